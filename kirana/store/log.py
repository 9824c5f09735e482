"""The ledger file's event log: the write transaction, the file lock, sealed appends, reads.

- Writes go through `Ledger.write()`: an app-level lock file plus `BEGIN IMMEDIATE` and a busy
  timeout, so two terminals appending at once both succeed and never fork the hash chain.
  A write waits for another's lock at most `Settings.lock_timeout` seconds (then LedgerBusy,
  naming the holder's pid and command line, which the holder writes into the lock file); the
  caller hears of the wait once through `lock_wait_notices` (the CLI prints it).
- `append()` assigns seq, id, recorded_at and the hash, inserts the event, and hands it to the
  read models plugged in at opening (`ReadModels.apply`), in the same transaction.
- `open_store()` opens and migrates a file (`migrate` runs the steps it has not had); kirana.ledger.open_ledger plugs the read models in.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, Self

from kirana import dates
from kirana.errors import LedgerError
from kirana.events import GENESIS_HASH, Event, canonical_json
from kirana.i18n import tr
from kirana.settings import Settings
from kirana.store import codec, schema
from kirana.store.codec import (
    COLUMNS,
    INSERT_EVENT,
    encode_payload,
    fetch_event,
    id_bytes,
    row_to_event,
    seal,
    stored_row,
)

BUSY_TIMEOUT_MS = 60_000
MIN_BEGIN_WAIT_S = 1.0  # BEGIN IMMEDIATE's own wait, once the lock file is ours (see write())
NOTICE_AFTER_S = 1.0  # a write that waits this long for the lock says so (see _wait_for_lock)


class ReadModels(Protocol):
    """What the layer above keeps in step with the log (kirana.projections)."""

    def apply(self, conn: sqlite3.Connection, event: Event) -> None: ...

    def entry_batch(self) -> Any: ...


@dataclass(frozen=True)
class Draft:
    """An event before it is appended: what the user asked to record."""

    type: str
    occurred_at: str
    customer: str | None
    data: dict[str, Any]


class Ledger:
    """An open ledger file. Use `kirana.ledger.open_ledger()`; close with `.close()` or a
    with-block."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, settings: Settings, read_models: ReadModels
    ):
        self.path = path
        self.conn = conn
        self.settings = settings
        self.recorded_by = settings.recorded_by
        self.read_models = read_models
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
        with _file_lock(self.path, self.settings.lock_timeout) as deadline:
            self._begin(deadline)
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

    def _begin(self, deadline: float) -> None:
        """BEGIN IMMEDIATE, waiting for SQLite's write lock only for what is left of the lock
        timeout (at least MIN_BEGIN_WAIT_S). Under the lock file no kirana holds that lock, so
        this waits only for another program writing to the file (or, without fcntl, for
        another kirana): the whole wait stays near Settings.lock_timeout, not 60 s more."""
        wait_ms = int(max(MIN_BEGIN_WAIT_S, deadline - time.monotonic()) * 1000)
        self.conn.execute(f"PRAGMA busy_timeout = {min(wait_ms, BUSY_TIMEOUT_MS)}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            raise LedgerBusy(None) from None
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    @property
    def in_write(self) -> bool:
        return self._in_write

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
        head_seq, head_hash, head_recorded = self.head_row()
        now = recorded_at or dates.format_recorded_at(dates.now_utc())
        event = Event(
            seq=head_seq + 1,
            id=codec.new_event_ids(1)[0],
            type=draft.type,
            occurred_at=draft.occurred_at,
            recorded_at=max(now, head_recorded) if recorded_at is None else now,
            recorded_by=self.recorded_by,
            customer=draft.customer,
            data=draft.data,
            prev_hash=head_hash,
        )
        return self.insert(event)

    def insert(self, event: Event) -> Event:
        """Hash and insert a fully-formed event (also used by JSONL import)."""
        dates.check_stored_recorded_at(event.recorded_at)
        head_seq, head_hash, head_recorded = self.head_row()
        if (
            event.recorded_at < head_recorded
            or event.seq != head_seq + 1
            or (event.prev_hash != head_hash)
        ):
            raise LedgerError(
                tr(
                    "entry {seq} would break the log's order (recorded {recorded_at}, after entry {head_seq} recorded {head_recorded})"
                ).format(
                    seq=event.seq,
                    recorded_at=event.recorded_at,
                    head_seq=head_seq,
                    head_recorded=head_recorded,
                )
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
            INSERT_EVENT, stored_row(hashed_fields, payload, hashed.prev_hash, hashed.hash)
        )
        self.read_models.apply(self.conn, hashed)
        if self._in_write:
            self._head = (hashed.seq, hashed.hash, hashed.recorded_at)
        return hashed

    def move_head(self, seq: int, hash_: str, recorded_at: str) -> None:
        """A batch has sealed an event not yet inserted: the next append follows it."""
        self._head = (seq, hash_, recorded_at)

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
        row = self.conn.execute(f"SELECT {COLUMNS} FROM events WHERE id = ?", (key,)).fetchone()
        return row_to_event(row) if row else None

    def iter_events(
        self, where: str = "", params: tuple = (), order: str = "seq"
    ) -> Iterator[Event]:
        """Stream events (optionally filtered with a SQL WHERE clause) without loading them all."""
        sql = f"SELECT {COLUMNS} FROM events {('WHERE ' + where) if where else ''} ORDER BY {order}"
        for row in self.conn.execute(sql, params):
            yield row_to_event(row)


@dataclass(frozen=True)
class LockHolder:
    """Who holds the ledger's lock file, as it wrote there (either may be unknown)."""

    pid: int | None = None
    command: str = ""

    def describe(self) -> str:
        """'pid 123, kirana import big.csv', 'pid 123' or ''."""
        parts = [f"pid {self.pid}"] if self.pid else []
        return ", ".join([*parts, self.command] if self.command else parts)


class LedgerBusy(LedgerError):
    """Another writer held the ledger for longer than Settings.lock_timeout; `holder` is None
    when it was not a kirana (SQLite's own lock: e.g. a sqlite3 shell in a transaction)."""

    def __init__(self, holder: LockHolder | None):
        self.holder = holder
        if holder is None:
            message = tr(
                "another program is writing to the ledger file; wait for it to finish, or "
                "close it (e.g. a sqlite3 shell with an open transaction)"
            )
        else:
            who = holder.describe()
            stop = (
                tr("fg or kill {pid}").format(pid=holder.pid)
                if holder.pid
                else tr("fg, or find it with ps")
            )
            kirana = f"kirana ({who})" if who else "kirana"
            message = tr(
                "another {kirana} holds the ledger; wait for it to finish, or stop it (it may be"
                " suspended: {stop})"
            ).format(kirana=kirana, stop=stop)
        super().__init__(message)


_wait_notice: ContextVar[Callable[[LockHolder], None] | None] = ContextVar(
    "kirana_lock_wait_notice", default=None
)


@contextmanager
def lock_wait_notices(notice: Callable[[LockHolder], None]) -> Iterator[None]:
    """While the block runs, a write that has waited a moment for another kirana holding the
    ledger calls `notice(holder)` once (the CLI prints it; the store prints nothing)."""
    token = _wait_notice.set(notice)
    try:
        yield
    finally:
        _wait_notice.reset(token)


@contextmanager
def _file_lock(db_path: Path, timeout: float) -> Iterator[float]:
    """Serialise writers across processes (works around the pre-3.51.3 WAL-reset race).

    Tries the lock without blocking, then again every 10 ms at first, every 0.2 s later, until
    `timeout` seconds have passed (then LedgerBusy). The holder writes its pid and command
    line into the lock file (the file stays; it is emptied again on release), so a waiter can
    say who it waits for. Yields the deadline (time.monotonic()) for the rest of the write's
    waiting."""
    started = time.monotonic()
    deadline = started + timeout
    try:
        import fcntl
    except ImportError:  # Windows: rely on BEGIN IMMEDIATE alone
        yield deadline
        return
    lock_path = str(db_path) + ".lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try_lock(fcntl, fd):
            _wait_for_lock(fcntl, fd, started, deadline)
        try:
            _note_holder(fd, f"{os.getpid()}\n{_command_line()}\n")
            yield deadline
        finally:
            _note_holder(fd, "")
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _note_holder(fd: int, text: str) -> None:
    """Replace the lock file's content (only said for a waiter: a failure changes nothing)."""
    try:
        os.ftruncate(fd, 0)
        if text:
            os.pwrite(fd, text.encode("utf-8", "replace"), 0)
    except OSError:
        pass


def _try_lock(fcntl, fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _wait_for_lock(fcntl, fd: int, started: float, deadline: float) -> None:
    """Poll for the lock until the deadline. A wait longer than a moment (NOTICE_AFTER_S, or
    half the timeout if that is shorter) is told to the caller once, naming the holder; two
    commands typed at once wait a few ms for each other, and that is not worth a word."""
    first = _holder(fd)
    notice = _wait_notice.get()
    notice_at = started + min(NOTICE_AFTER_S, (deadline - started) / 2)
    pause = 0.01
    while not _try_lock(fcntl, fd):
        now = time.monotonic()
        if now >= deadline:
            raise LedgerBusy(_latest_holder(fd, first))
        if notice is not None and now >= notice_at:
            notice(_latest_holder(fd, first))
            notice = None
        wake = deadline if notice is None else min(deadline, notice_at)
        time.sleep(max(0.0, min(pause, wake - now)))
        pause = min(pause * 2, 0.2)


def _latest_holder(fd: int, first: LockHolder) -> LockHolder:
    """The holder as the lock file says now (an earlier reading may have found it empty)."""
    latest = _holder(fd)
    return latest if latest.pid else first


def _holder(fd: int) -> LockHolder:
    """What the holder wrote into the lock file: its pid on the first line, its command line on
    the second. The file may be empty or cut short (read while it is being written, or held by
    an older kirana that writes nothing): then less is known."""
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    except OSError:
        return LockHolder()
    first, _, rest = text.partition("\n")
    if not (first.isascii() and first.isdigit() and 0 < len(first) < 10 and int(first) > 0):
        return LockHolder()
    return LockHolder(int(first), " ".join(rest.split()) if rest.endswith("\n") else "")


def _command_line() -> str:
    """This process's command line, as typed: `kirana import big.csv`."""
    argv = sys.argv or [""]
    program = Path(argv[0]).name
    if program == "__main__.py":  # python -m kirana
        program = Path(argv[0]).parent.name
    elif program in ("", "-c"):
        program = "python -c" if program else "python"
    return " ".join([program, shlex.join(argv[1:])]).strip()[:500]


def open_store(
    path: Path,
    settings: Settings,
    read_models: ReadModels,
    migrations: Sequence[schema.Migration],
    *,
    create: bool = True,
    on_update: Callable[[], None] | None = None,
) -> Ledger:
    """Open (and migrate) a ledger file; create it owner-only if missing and `create` is set.
    `on_update` is called before steps that may take a while run (see `migrate`)."""
    db_path = Path(path).expanduser()
    if not db_path.exists():
        if not create:
            raise LedgerError(
                tr(
                    "no ledger at {path} yet; record something first "
                    "(e.g. kirana customer add NAME) or try kirana demo"
                ).format(path=db_path)
            )
        db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        schema.refuse_foreign_database(conn, db_path)  # before any pragma that writes to it
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        ledger = Ledger(db_path, conn, settings, read_models)
        migrate(ledger, migrations, on_update)
        schema.check_zone(conn, settings)
    except sqlite3.DatabaseError as exc:
        raise LedgerError(
            tr("{db_path} is not a usable kirana ledger ({exc})").format(db_path=db_path, exc=exc)
        ) from None
    return ledger


# a log this long may take a second or more to bring up to date (a step that fills a read
# model reads every event: about 14 s at a million)
UPDATE_NOTICE_FROM = 50_000


def _log_length(conn: sqlite3.Connection) -> int:
    """The last entry's number (0 for a new file, whose log is not made yet)."""
    try:
        return conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def migrate(
    ledger: Ledger,
    migrations: Sequence[schema.Migration],
    on_update: Callable[[], None] | None = None,
) -> None:
    """Run, in order and in one write transaction, the steps this file has not had yet;
    `on_update` is called first when there are some and the log holds UPDATE_NOTICE_FROM
    events or more (so the command can say why it is slow, once)."""
    conn = ledger.conn
    try:
        done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError:
        done = set()
    unknown = sorted(done - {name for name, _ in migrations})
    if unknown:  # a newer kirana's read models, which this one would not keep up to date
        raise LedgerError(
            tr(
                "{path} was opened by a newer kirana (it has step {step}, unknown to this "
                "one); use that version or a later one"
            ).format(path=ledger.path, step=unknown[0])
        )
    if all(name in done for name, _ in migrations):
        return
    if on_update is not None and _log_length(conn) >= UPDATE_NOTICE_FROM:
        on_update()
    with ledger.write():
        conn.execute(schema.MIGRATIONS_DDL)
        done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
        for name, step in migrations:
            if name not in done:
                step(conn, ledger.settings)
                conn.execute(
                    "INSERT INTO _migrations VALUES (?, ?)",
                    (name, dates.format_recorded_at(dates.now_utc())),
                )
