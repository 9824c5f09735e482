"""The SQLite event store: opening and migrating the file, the write transaction, appends.

- One file per ledger; WAL; migrations run when the file is opened (an ordered list of
  named steps recorded in `_migrations`).
- Triggers abort every UPDATE and DELETE on `events`: the log is append-only.
- Writes go through `Ledger.write()`: an app-level lock file plus `BEGIN IMMEDIATE` and a busy
  timeout, so two terminals appending at once both succeed and never fork the hash chain.
- `append()` assigns seq, id, recorded_at and the hash, inserts the event, and updates the read
  models in the same transaction (see projections.py).
"""

from __future__ import annotations

import getpass
import json
import os
import re
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Self

from kirana import dates
from kirana.errors import LedgerError
from kirana.events import (
    GENESIS_HASH,
    SCHEMA_VERSION,
    Event,
    canonical_json,
    canonical_json_of_stored,
    hash_text,
)

BUSY_TIMEOUT_MS = 60_000

EVENTS_DDL = """
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,
    type TEXT NOT NULL,
    schema INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    customer TEXT,
    data BLOB NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
) STRICT;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'kirana events are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'kirana events are append-only: DELETE is not allowed'); END;
"""
APPEND_ONLY_TRIGGERS = ("events_no_update", "events_no_delete")


def run_ddl(conn: sqlite3.Connection, script: str) -> None:
    """Run a DDL script statement by statement (executescript would COMMIT our transaction)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def _migration_events(conn: sqlite3.Connection) -> None:
    run_ddl(conn, EVENTS_DDL)


def _migration_read_models(conn: sqlite3.Connection) -> None:
    from kirana import projections

    projections.create_tables(conn)


def _migration_import_keys(conn: sqlite3.Connection) -> None:
    """Idempotency keys of imported rows: key -> fingerprint of the row's content, and its seq.
    Both are stored as short digests (16 and 8 bytes; see io/csv_import.py) to keep a
    million-row import small on disk."""
    conn.execute(
        "CREATE TABLE import_keys (key BLOB PRIMARY KEY, fingerprint BLOB NOT NULL,"
        " seq INTEGER NOT NULL) STRICT, WITHOUT ROWID"
    )


def _migration_business_time_index(conn: sqlite3.Connection) -> None:
    """Reports read one month or quarter of business time; this keeps that an index range."""
    conn.execute("CREATE INDEX events_by_occurred_at ON events (occurred_at)")


def _migration_ledger_settings(conn: sqlite3.Connection) -> None:
    """Settings of the file itself: the timezone its business times are keyed in."""
    conn.execute("CREATE TABLE ledger_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT")
    zone = os.environ.get("KIRANA_TZ") or dates.DEFAULT_TZ
    conn.execute("INSERT INTO ledger_settings VALUES ('timezone', ?)", (zone,))


MIGRATIONS = [
    ("001_events", _migration_events),
    ("002_read_models", _migration_read_models),
    ("003_import_keys", _migration_import_keys),
    ("004_events_by_occurred_at", _migration_business_time_index),
    ("005_ledger_settings", _migration_ledger_settings),
]


@dataclass(frozen=True)
class Draft:
    """An event before it is appended: what the user asked to record."""

    type: str
    occurred_at: str
    customer: str | None
    data: dict[str, Any]


def default_db_path() -> Path:
    env = os.environ.get("KIRANA_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("kirana", appauthor=False)) / "khata.db"


def current_user() -> str:
    env = os.environ.get("KIRANA_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


class Ledger:
    """An open ledger file. Use `open_ledger()`; close with `.close()` or a with-block."""

    def __init__(self, path: Path, conn: sqlite3.Connection, recorded_by: str):
        self.path = path
        self.conn = conn
        self.recorded_by = recorded_by
        self._in_write = False
        self._head: tuple[int, str, str] | None = None  # cached inside a write transaction

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ---- writing -------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Ledger]:
        """One write transaction: lock file + BEGIN IMMEDIATE; commit on success, else rollback."""
        if self._in_write:
            yield self
            return
        with _file_lock(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            self._in_write, self._head = True, None
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._in_write, self._head = False, None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested, all-or-nothing step inside write() (one import row)."""
        self.conn.execute("SAVEPOINT kirana_step")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO kirana_step")
            self.conn.execute("RELEASE kirana_step")
            self._head = None  # the rolled-back step may have appended
            raise
        self.conn.execute("RELEASE kirana_step")

    def append(self, draft: Draft, *, recorded_at: str | None = None) -> Event:
        """Append one event inside the current write transaction and update the read models."""
        if not self._in_write:
            raise RuntimeError("append() must run inside Ledger.write()")
        from kirana import projections

        head_seq, head_hash, head_recorded = self.head_row()
        now = recorded_at or dates.format_recorded_at(dates.now_utc())
        event = Event(
            seq=head_seq + 1,
            id=new_event_ids(1)[0],
            type=draft.type,
            occurred_at=draft.occurred_at,
            recorded_at=max(now, head_recorded) if recorded_at is None else now,
            recorded_by=self.recorded_by,
            customer=draft.customer,
            data=draft.data,
            prev_hash=head_hash,
        )
        return self.insert(event, projections)

    def insert(self, event: Event, projections_module: Any = None) -> Event:
        """Hash and insert a fully-formed event (also used by JSONL import)."""
        if projections_module is None:
            from kirana import projections as projections_module
        dates.check_stored_recorded_at(event.recorded_at)
        head_seq, head_hash, head_recorded = self.head_row()
        if (
            event.recorded_at < head_recorded
            or event.seq != head_seq + 1
            or (event.prev_hash != head_hash)
        ):
            raise LedgerError(
                f"entry {event.seq} would break the log's order (recorded {event.recorded_at},"
                f" after entry {head_seq} recorded {head_recorded})"
            )
        data_json = canonical_json(event.data)
        hashed_fields = (
            event.seq,
            event.id,
            event.type,
            event.schema,
            event.occurred_at,
            event.recorded_at,
            event.recorded_by,
            event.customer,
        )
        hashed = replace(event, hash=seal(event.prev_hash, *hashed_fields, data_json))
        payload = encode_payload(data_json)
        self.conn.execute(
            INSERT_EVENT, stored_row(*hashed_fields, payload, hashed.prev_hash, hashed.hash)
        )
        projections_module.apply(self.conn, hashed)
        if self._in_write:
            self._head = (hashed.seq, hashed.hash, hashed.recorded_at)
        return hashed

    def head_row(self) -> tuple[int, str, str]:
        """(seq, hash, recorded_at) of the newest event; (0, genesis hash, '') when empty."""
        if self._head is not None:
            return self._head
        row = self.conn.execute(
            "SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        head = (row[0], row[1].hex(), row[2]) if row else (0, GENESIS_HASH, "")
        if self._in_write:  # nobody else can append until this transaction ends
            self._head = head
        return head

    # ---- reading -------------------------------------------------------------------------
    def head(self) -> dict[str, Any]:
        """{'seq': N, 'hash': '…'} of the newest event (seq 0 and the genesis hash if empty)."""
        seq, hash_, _ = self.head_row()
        return {"seq": seq, "hash": hash_}

    def head_as_known_at(self, known_at: str | None) -> dict[str, Any]:
        """The head as it stood at a recorded_at bound (the current head when None)."""
        if known_at is None:
            return self.head()
        from kirana.queries import known_at_seq

        seq = known_at_seq(self.conn, known_at)
        event = self.get(seq) if seq else None
        return {"seq": seq, "hash": event.hash if event else GENESIS_HASH}

    def event_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM events").fetchone()[0]

    def get(self, seq: int) -> Event | None:
        return fetch_event(self.conn, seq)

    def get_by_id(self, event_id: str) -> Event | None:
        """The event with this id (32 hex digits), if the log has it."""
        try:
            key = id_bytes(event_id)
        except LedgerError:
            return None
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM events WHERE id = ?", (key,)).fetchone()
        return row_to_event(row) if row else None

    def iter_events(
        self, where: str = "", params: tuple = (), order: str = "seq"
    ) -> Iterator[Event]:
        """Stream events (optionally filtered with a SQL WHERE clause) without loading them all."""
        sql = (
            f"SELECT {_COLUMNS} FROM events {('WHERE ' + where) if where else ''} ORDER BY {order}"
        )
        for row in self.conn.execute(sql, params):
            yield row_to_event(row)


class EventBatch:
    """Many appends, written with one executemany per table: the CSV import's fast path.

    `append()` seals each event into the hash chain at once (seq, id, recorded_at, hash, as
    Ledger.append would) and moves the ledger's head; `flush()` writes the buffered events and
    their read-model changes (projections.EntryBatch, the same rule as projections.apply).
    Only khata entries (sale, payment, return, opening) go through a batch. Call `flush()`
    before anything reads the tables, and outside a savepoint; Ledger.append may run between
    appends (a new customer), since rows need not be inserted in seq order.
    """

    def __init__(self, ledger: Ledger):
        from kirana import projections

        self.ledger = ledger
        self.rows: list[tuple] = []
        self.read_models = projections.EntryBatch()
        self.order_key = dates.order_key_function()
        self._ids: list[str] = []
        self._now = ""

    def append(
        self,
        kind: str,
        occurred_at: str,
        customer: str | None,
        customer_id: int | None,
        effect: tuple,
        data_json: str,
        payload: bytes,
    ) -> int:
        """Buffer one event: its payload as canonical JSON and as stored (encode_payload), and
        projections.entry_effect of it. Returns its seq."""
        head_seq, prev_hash, head_recorded = self.ledger.head_row()
        if not self._ids:
            self._ids = new_event_ids(1000)[::-1]  # popped from the end: in time order
            self._now = dates.format_recorded_at(dates.now_utc())
        seq, event_id = head_seq + 1, self._ids.pop()
        recorded_at = max(self._now, head_recorded)
        hashed_fields = (
            seq,
            event_id,
            kind,
            SCHEMA_VERSION,
            occurred_at,
            recorded_at,
            self.ledger.recorded_by,
            customer,
        )
        hash_ = seal(prev_hash, *hashed_fields, data_json)
        self.rows.append(stored_row(*hashed_fields, payload, prev_hash, hash_))
        self.read_models.add(seq, kind, effect, self.order_key(occurred_at), customer_id)
        self.ledger._head = (seq, hash_, recorded_at)
        return seq

    def flush(self) -> None:
        if self.rows:
            self.ledger.conn.executemany(INSERT_EVENT, self.rows)
            self.rows = []
        self.read_models.flush(self.ledger.conn)


INSERT_EVENT = (
    "INSERT INTO events (seq, id, type, schema, occurred_at, recorded_at, recorded_by,"
    " customer, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


def seal(prev_hash: str, *fields: Any) -> str:
    """The event's hash: sha256 of the previous hash and the event's canonical JSON, from the
    fields events.canonical_json_of_stored takes (seq … customer, data_json)."""
    return hash_text(prev_hash, canonical_json_of_stored(*fields))


def stored_row(
    seq: int,
    id_: str,
    type_: str,
    schema: int,
    occurred_at: str,
    recorded_at: str,
    recorded_by: str,
    customer: str | None,
    payload: bytes,
    prev_hash: str,
    hash_: str,
) -> tuple:
    """An event as the row INSERT_EVENT stores (ids and hashes as bytes)."""
    return (
        seq,
        id_bytes(id_),
        type_,
        schema,
        occurred_at,
        recorded_at,
        recorded_by,
        customer,
        payload,
        bytes.fromhex(prev_hash),
        bytes.fromhex(hash_),
    )


def new_event_ids(count: int) -> list[str]:
    """`count` fresh event ids: UUIDv7 (RFC 9562: 48 bits of Unix time in ms, the version and
    variant, 74 random bits) as 32 lowercase hex digits. Time-ordered, so the id index grows
    at its end instead of at random places (a faster import)."""
    stamp = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    noise = os.urandom(10 * count)
    ids = []
    for start in range(0, 10 * count, 10):
        r = noise[start : start + 10]
        ids.append((stamp + bytes((0x70 | r[0] & 0x0F, r[1], 0x80 | r[2] & 0x3F)) + r[3:]).hex())
    return ids


_COLUMNS = (
    "seq, id, type, schema, occurred_at, recorded_at, recorded_by, customer, data, prev_hash, hash"
)


def fetch_event(conn: sqlite3.Connection, seq: int) -> Event | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM events WHERE seq = ?", (seq,)).fetchone()
    return row_to_event(row) if row else None


def row_to_event(row: tuple) -> Event:
    """A stored row as an Event, exactly as stored (old schemas are upcast by events.upcast)."""
    return event_from_row(row, decode_payload(row[8]))


def event_from_row(row: tuple, data_json: str) -> Event:
    """row_to_event for a caller that has already decoded the payload."""
    seq, id_, type_, schema, occurred, recorded, by, customer, _, prev, hash_ = row
    return Event(
        seq=seq,
        id=id_.hex(),
        type=type_,
        occurred_at=occurred,
        recorded_at=recorded,
        recorded_by=by,
        customer=customer,
        data=json.loads(data_json),
        schema=schema,
        prev_hash=prev.hex(),
        hash=hash_.hex(),
    )


EVENT_ID = re.compile(r"^[0-9a-f]{32}$")


def id_bytes(event_id: str) -> bytes:
    """Event ids are 128-bit values (UUIDv7, see new_event_ids), shown as 32 lowercase hex digits (so that the
    stored 16 bytes read back as exactly the text that was hashed)."""
    if not isinstance(event_id, str) or not EVENT_ID.match(event_id):
        raise LedgerError(f"event id {event_id!r} is not 32 lowercase hex digits")
    return bytes.fromhex(event_id)


# ---- payload codec -------------------------------------------------------------------------
# The `data` column holds the payload's canonical JSON, deflated with a preset dictionary of
# the keys and values every payload repeats (a sale's JSON shrinks about 4x) whenever that is
# shorter. First byte: b"{" = plain JSON, b"\x01" = deflate with PAYLOAD_DICT_V1. The
# dictionary is part of the file format: never edit it; add a V2 and a new marker instead.
PAYLOAD_DICT_V1 = (
    b'"reference":"UPI","note":"","settlement":"khata","against":,"target":,"reason":"'
    b'"method":"credit","method":"cash","method":"upi","method":"card","method":"bank",'
    b'"unit":"pcs","unit":"kg","unit":"l","unit":"pack","hsn":"","name":"","qty":"1",'
    b'{"gst_rate":"0","gst_rate":"5","gst_rate":"12","gst_rate":"18","hsn":"1101",'
    b'"name":"","qty":"1","total_paise":,"unit":"kg","unit_price_paise":},'
    b'{"amount_paise":,"items":[{"gst_rate":"5","hsn":"","name":"","qty":"1","total_paise":'
)
_DEFLATED = b"\x01"


def encode_payload(canonical: str) -> bytes:
    raw = canonical.encode("utf-8")
    packer = zlib.compressobj(6, zlib.DEFLATED, -15, 1, zlib.Z_DEFAULT_STRATEGY, PAYLOAD_DICT_V1)
    packed = _DEFLATED + packer.compress(raw) + packer.flush()
    plain_is_safe = raw.startswith(b"{")  # a JSON object can never be mistaken for the marker
    return raw if plain_is_safe and len(raw) <= len(packed) else packed


def decode_payload(stored: bytes) -> str:
    """The canonical JSON text of a stored payload (raises ValueError if it is damaged)."""
    if stored[:1] == _DEFLATED:
        try:
            unpacker = zlib.decompressobj(-15, PAYLOAD_DICT_V1)
            raw = unpacker.decompress(stored[1:]) + unpacker.flush()
        except zlib.error as exc:
            raise ValueError(f"payload does not inflate: {exc}") from None
        if not unpacker.eof or unpacker.unused_data:
            raise ValueError("payload is truncated or has bytes after its end")
        return raw.decode("utf-8")
    return stored.decode("utf-8")


@contextmanager
def _file_lock(db_path: Path) -> Iterator[None]:
    """Serialise writers across processes (works around the pre-3.51.3 WAL-reset race)."""
    try:
        import fcntl
    except ImportError:  # Windows: rely on BEGIN IMMEDIATE alone
        yield
        return
    lock_path = str(db_path) + ".lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def open_ledger(path: Path | str | None = None, *, create: bool = True) -> Ledger:
    """Open (and migrate) a ledger file; create it owner-only if missing and `create` is set."""
    db_path = Path(path).expanduser() if path else default_db_path()
    if not db_path.exists():
        if not create:
            raise LedgerError(
                f"no ledger at {db_path} yet; record something first "
                "(e.g. kirana customer add NAME) or try kirana demo"
            )
        db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _refuse_foreign_database(conn, db_path)  # before any pragma that writes to the file
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        ledger = Ledger(db_path, conn, current_user())
        _migrate(ledger)
        _check_zone(ledger)
    except sqlite3.DatabaseError as exc:
        raise LedgerError(f"{db_path} is not a usable kirana ledger ({exc})") from None
    return ledger


def _refuse_foreign_database(conn: sqlite3.Connection, db_path: Path) -> None:
    """A file with tables but without kirana's first migration belongs to another program."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    ours = (
        "_migrations" in tables
        and conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (MIGRATIONS[0][0],)).fetchone()
    )
    if tables and not ours:
        raise LedgerError(
            f"{db_path} is another program's database, not a kirana ledger; check --db"
        )


def _check_zone(ledger: Ledger) -> None:
    """Business times are keyed in the zone the ledger was created in: refuse another one."""
    row = ledger.conn.execute("SELECT value FROM ledger_settings WHERE key = 'timezone'").fetchone()
    wanted = os.environ.get("KIRANA_TZ") or dates.DEFAULT_TZ
    if row and row[0] != wanted:
        raise LedgerError(
            f"this ledger keeps business time in {row[0]}, but KIRANA_TZ says {wanted}; "
            f"set KIRANA_TZ={row[0]}"
        )


def _migrate(ledger: Ledger) -> None:
    conn = ledger.conn
    try:
        done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError:
        done = set()
    if len(done) >= len(MIGRATIONS) and all(name in done for name, _ in MIGRATIONS):
        return
    with ledger.write():
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
        done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
        for name, step in MIGRATIONS:
            if name not in done:
                step(conn)
                conn.execute(
                    "INSERT INTO _migrations VALUES (?, ?)",
                    (name, dates.format_recorded_at(dates.now_utc())),
                )
