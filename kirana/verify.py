"""`kirana verify`: prove the log was not rewritten and the read models tell the truth.

Checks, each returning problems as values (a list of Problem, each tied to a seq):
the hash chain and seq numbering, the append-only triggers, read models == a full replay,
balance_confirmed assertions, SQLite's quick_check, and optionally an expected earlier head.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kirana import aging_runs, find_index, month_dues, page_lines, replay, verify_schema, year_dues
from kirana.events import (
    GENESIS_HASH,
    Event,
    canonical_json_of_stored,
    hash_text,
)
from kirana.i18n import Message
from kirana.jsonfast import loads_payload
from kirana.store import APPEND_ONLY_TRIGGERS, Ledger, decode_payload
from kirana.verify_file import _read_only, refuse_unfinished  # noqa: F401 - verify's API


@dataclass(frozen=True)
class Problem:
    """A ledger check that failed, tied to the entry that shows it (0 = the whole file)."""

    seq: int
    message: str


@dataclass
class VerifyResult:
    events: int
    head: dict
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


_ROWS = (
    "SELECT seq, id, type, schema, occurred_at, recorded_at, recorded_by, customer, data,"
    " prev_hash, hash FROM events WHERE seq <= ? ORDER BY seq"
)
# Read models are derived, so rebuilding them mends a mismatch; but the mismatch is evidence
# (of a bug, or of someone editing the file): the advice saves it first.
ADVICE = Message("keep the file as evidence (kirana backup COPY.db), then run kirana rebuild")
PARALLEL_FROM = 50_000  # events; below this a second process costs more than it saves


def check_hashes(rows: Iterable[tuple]) -> list[Problem]:
    """Re-hash every stored event and check each links to the one before (seq order)."""
    problems: list[Problem] = []
    prev_hash, expected_seq = GENESIS_HASH, 1
    for row in rows:
        seq = row[0]
        if seq != expected_seq:
            problems.append(
                Problem(
                    seq,
                    Message(
                        "entry {expected_seq} is missing (next is {seq})",
                        expected_seq=expected_seq,
                        seq=seq,
                    ),
                )
            )
        odd = _odd_columns(row)
        if odd:
            problems.append(
                Problem(
                    seq, Message("entry {seq}: stored row is damaged ({odd})", seq=seq, odd=odd)
                )
            )
            prev_hash, expected_seq = row[10].hex() if _is_hash(row[10]) else "", seq + 1
            continue
        stored_prev, stored_hash = row[9].hex(), row[10].hex()
        if stored_prev != prev_hash:
            problems.append(
                Problem(
                    seq,
                    Message(
                        "entry {seq}: prev_hash does not match entry {previous}",
                        seq=seq,
                        previous=seq - 1,
                    ),
                )
            )
        try:
            fields = (seq, row[1].hex(), *row[2:8], decode_payload(row[8]))
            if hash_text(stored_prev, canonical_json_of_stored(*fields)) != stored_hash:
                problems.append(
                    Problem(
                        seq,
                        Message("entry {seq}: content does not match its hash (edited?)", seq=seq),
                    )
                )
        except (ValueError, TypeError, UnicodeError) as exc:
            problems.append(
                Problem(
                    seq, Message("entry {seq}: stored data is damaged ({exc})", seq=seq, exc=exc)
                )
            )
        prev_hash, expected_seq = stored_hash, seq + 1
    return problems


# The stored row's columns: seq, id, type, schema, occurred_at, recorded_at, recorded_by,
# customer, data, prev_hash, hash, and the Python type each must have.
_COLUMN_TYPES = (
    ("id", bytes),
    ("type", str),
    ("schema", int),
    ("occurred_at", str),
    ("recorded_at", str),
    ("recorded_by", str),
    ("customer", (str, type(None))),
    ("data", bytes),
)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == 32


def _odd_columns(row: tuple) -> str:
    """Which columns of a stored row do not have their type (NULL, text for bytes, …): such a
    row cannot be hashed, and is named instead of stopping verify."""
    odd = [
        f"{name} is {type(value).__name__}"
        for (name, kind), value in zip(_COLUMN_TYPES, row[1:9], strict=True)
        if not isinstance(value, kind)
    ]
    odd += [f"{name} is not 32 bytes" for name, value in zip(("prev_hash", "hash"), row[9:11])
            if not _is_hash(value)]  # fmt: skip
    return ", ".join(odd)


_ENTRIES = (
    "SELECT seq, customer_id, order_key, delta_paise FROM entries WHERE seq <= ? ORDER BY seq"
)


def check_file(
    conn: sqlite3.Connection, last_seq: int, quick: bool = False
) -> tuple[list[Problem], str]:
    """The checks that need no replay, up to `last_seq`: the hash chain, SQLite's
    integrity_check (every index against its table: a damaged index gives wrong reports while
    the rows are fine; `quick` runs the cheaper quick_check, which does not look), and the
    digest of the stored entries read model (compared later with the replay's)."""
    problems = check_hashes(conn.execute(_ROWS, (last_seq,)))
    pragma = "quick_check" if quick else "integrity_check"
    found = [text for (text,) in conn.execute(f"PRAGMA {pragma}(20)")]
    if found != ["ok"]:
        more = Message(" (and {count} more)", count=len(found) - 3) if len(found) > 3 else ""
        problems.append(
            Problem(
                0,
                Message(
                    "SQLite {pragma}: {found}{more}",
                    pragma=pragma,
                    found="; ".join(found[:3]),
                    more=more,
                ),
            )
        )
    return problems, replay.entries_digest(conn.execute(_ENTRIES, (last_seq,)))


def _check_file_at(path: str, last_seq: int, quick: bool) -> tuple[list[Problem], str]:
    """check_file in a worker process, on its own read-only connection. Entries appended
    after verify started (seq > last_seq) are not its business."""
    conn = _read_only(path)
    conn.text_factory = text_or_bytes
    try:
        return check_file(conn, last_seq, quick)
    finally:
        conn.close()


_REPLAY_ROWS = (
    "SELECT seq, type, schema, occurred_at, recorded_at, customer, data FROM events"
    " WHERE seq <= ? ORDER BY seq"
)


def replay_events(conn: sqlite3.Connection, last_seq: int) -> Iterator[Event]:
    """Stream what the fold needs (ids and hashes are check_hashes' business, so they are left
    empty here); rows that do not decode are skipped: check_hashes names them."""
    rows = conn.execute(_REPLAY_ROWS, (last_seq,))
    for seq, kind, schema, occurred, recorded, customer, data in rows:
        try:
            payload = loads_payload(decode_payload(data))
        except (ValueError, TypeError, AttributeError):
            continue  # not a payload at all (text where bytes belong, …)
        yield Event(seq, "", kind, occurred, recorded, "", customer, payload, schema)


def check_schema(ledger: Ledger) -> list[Problem]:
    """Every table, index, trigger and view must be exactly kirana's (verify_schema)."""
    from kirana.ledger import MIGRATIONS

    problems = []
    for name, message in verify_schema.schema_problems(ledger.conn, MIGRATIONS):
        if name in APPEND_ONLY_TRIGGERS and message.endswith("is missing"):
            message = Message(
                "append-only trigger {name} is missing: the log could be edited", name=name
            )
        problems.append(Problem(0, message))
    return problems


def check_read_models(
    ledger: Ledger, state: replay.Khata, stored_entries_digest: str
) -> list[Problem]:
    """Stored balances, entries and voids must equal what a full replay gives."""
    conn = ledger.conn
    problems = []
    stored = dict(conn.execute("SELECT customer_id, balance_paise FROM balances"))
    if stored != state.balances:
        for cid in sorted(set(stored) | set(state.balances)):
            if stored.get(cid) != state.balances.get(cid):
                problems.append(
                    Problem(
                        cid,
                        Message(
                            "balances read model for customer {cid} says {stored} paise, replay says {replayed}; {advice}",
                            cid=cid,
                            stored=stored.get(cid),
                            replayed=state.balances.get(cid),
                            advice=ADVICE,
                        ),
                    )
                )
    stored_voids = dict(conn.execute("SELECT target_seq, void_seq FROM voided"))
    if stored_voids != state.voided:
        problems.append(
            Problem(0, Message("voided read model differs from replay; {advice}", advice=ADVICE))
        )
    live = {
        seq: (cid, delta)
        for seq, cid, delta in conn.execute(
            "SELECT seq, customer_id, delta_paise FROM entries WHERE delta_paise != 0"
        )
        if seq not in stored_voids
    }
    if live != state.counted:
        first = min(set(live.items()) ^ set(state.counted.items()))[0]
        problems.append(
            Problem(
                first,
                Message(
                    "entries read model differs from replay at entry {first}; {advice}",
                    first=first,
                    advice=ADVICE,
                ),
            )
        )
    stored_daily = {
        day: [sales, returns]
        for day, sales, returns in conn.execute(
            "SELECT day, sales_paise, returns_paise FROM daily_sales"
        )
        if sales or returns
    }
    if stored_daily != {day: pair for day, pair in state.daily.items() if any(pair)}:
        problems.append(
            Problem(
                0, Message("daily_sales read model differs from replay; {advice}", advice=ADVICE)
            )
        )
    if stored_entries_digest != state.entries_digest.hexdigest():
        problems.append(
            Problem(0, Message("entries read model differs from replay; {advice}", advice=ADVICE))
        )
    problems += check_year_dues(conn)
    wrong = page_lines.problem(conn, state.page_count, state.page_sum, ADVICE)
    problems += [Problem(*wrong)] if wrong else []
    problems += check_aging_runs(conn)
    why = find_index.problem(conn, state.find_digest.hexdigest())
    if why:
        problems.append(Problem(0, f"{why}; {ADVICE}"))
    checks = {
        "customer_names": (
            dict(conn.execute("SELECT name_lower, customer_id FROM customer_names")),
            state.names,
        ),
        "returns_against": (
            set(conn.execute("SELECT sale_seq, return_seq, amount_paise FROM returns_against")),
            state.returns_against,
        ),
        "catalog": (
            set(
                conn.execute(
                    "SELECT seq, name_lower, name, effective_from, price_paise, gst_rate, hsn,"
                    " unit FROM catalog"
                )
            ),
            state.catalog,
        ),
        "shop_settings": (
            {
                (seq, start, _sorted_json(text))
                for seq, start, text in conn.execute(
                    "SELECT seq, effective_from, settings FROM shop_settings"
                )
            },
            state.shop,
        ),
        "entry_references": (
            set(conn.execute("SELECT seq, method, reference FROM entry_references")),
            state.references,
        ),
        "customer_merges": (
            set(conn.execute("SELECT from_id, into_id, seq FROM customer_merges")),
            {(old, new, state.merge_seqs[old]) for old, new in state.merged.items()},
        ),
        "customers.merged_into": (
            set(
                conn.execute("SELECT id, merged_into FROM customers WHERE merged_into IS NOT NULL")
            ),
            set(state.merged.items()),
        ),
        "import_keys": (
            set(conn.execute("SELECT key, fingerprint, seq FROM import_keys")),
            state.import_keys,
        ),
        "invoice_series": (
            dict(conn.execute("SELECT series, next_number FROM invoice_series")),
            state.series,
        ),
        "period_closes": (
            set(conn.execute("SELECT * FROM period_closes")),
            {tuple(row) for row in state.closes.values()},
        ),
        "customer_upi_ids": (
            {vpa: (cid, seq) for vpa, cid, seq in conn.execute("SELECT * FROM customer_upi_ids")},
            state.upi_ids,
        ),
        "customers": (
            set(conn.execute("SELECT id, name, phone, credit_limit_paise FROM customers")),
            {(c.id, c.name, c.phone, c.credit_limit_paise) for c in state.customers.values()},
        ),
    }
    for table, (stored_rows, replayed) in checks.items():
        if stored_rows != replayed:
            problems.append(
                Problem(
                    0,
                    Message(
                        "{table} read model differs from replay; {advice}",
                        table=table,
                        advice=ADVICE,
                    ),
                )
            )
    return problems


def check_year_dues(conn: sqlite3.Connection) -> list[Problem]:
    """year_dues and month_dues must hold, for every customer and year (month), what the live
    entries moved: the entries and voids that check_read_models has just compared with the
    replay."""
    problems = []
    if _differs(conn, "SELECT customer_id, year, moved_paise FROM year_dues", year_dues):
        message = Message("year_dues read model differs from replay; {advice}", advice=ADVICE)
        problems.append(Problem(0, message))
    if _differs(conn, "SELECT month, customer_id, moved_paise FROM month_dues", month_dues):
        message = Message("month_dues read model differs from replay; {advice}", advice=ADVICE)
        problems.append(Problem(0, message))
    return problems


def _differs(conn: sqlite3.Connection, stored: str, model) -> bool:
    rows = set(conn.execute(f"{stored} WHERE moved_paise != 0"))
    return rows != set(conn.execute(model.FROM_ENTRIES))


def check_aging_runs(conn: sqlite3.Connection) -> list[Problem]:
    """aging_runs must hold every live credit with its customer's running total, as the entries,
    voids and merges (compared with the replay just before) give them."""
    stored = sorted(conn.execute("SELECT * FROM aging_runs"))
    if stored == sorted(conn.execute(aging_runs.FROM_ENTRIES)):
        return []
    return [
        Problem(0, Message("aging_runs read model differs from replay; {advice}", advice=ADVICE))
    ]


def _sorted_json(text: object) -> object:
    """A stored JSON text with sorted keys; damaged text as it is (so it differs, by name)."""
    try:
        return json.dumps(json.loads(text), sort_keys=True)
    except (ValueError, TypeError):
        return text


def check_expected_head(ledger: Ledger, expect: str) -> list[Problem]:
    """`--expect-head HASH` or `SEQ:HASH` (a prefix of 8+ hex digits is enough)."""
    seq_text, _, hash_part = expect.rpartition(":")
    prefix = hash_part.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", prefix):
        return [
            Problem(
                0, Message("--expect-head needs 8 to 64 hex digits of the hash (SEQ:HASH or HASH)")
            )
        ]
    if seq_text:
        event = ledger.get(int(seq_text)) if seq_text.strip().isdigit() else None
        found = bool(event and event.hash.startswith(prefix))
    else:
        row = ledger.conn.execute(
            "SELECT 1 FROM events WHERE hex(hash) LIKE ? LIMIT 1", (prefix.upper() + "%",)
        ).fetchone()
        found = bool(row)
    if found:
        return []
    return [
        Problem(
            0,
            Message(
                "the expected head {expect} is no longer in the chain: history was rewritten",
                expect=expect,
            ),
        )
    ]


def verify(ledger: Ledger, expect_head: str | None = None, quick: bool = False) -> VerifyResult:
    """Run every check on one snapshot (a read transaction: a shopkeeper may keep appending
    meanwhile). On a large log the re-hashing runs in a second process, bounded to the same
    last entry, in parallel with the replay: a million events verify in seconds on two cores."""
    ledger.conn.text_factory = text_or_bytes  # undecodable text is named, not raised
    ledger.conn.execute("BEGIN")
    try:
        head = ledger.head()
        last = head["seq"]
        problems: list[Problem] = []
        if last >= PARALLEL_FROM:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=1) as pool:
                worker = pool.submit(_check_file_at, str(ledger.path), last, quick)
                state = replay.fold(replay_events(ledger.conn, last), audit=True)
                file_problems, entries_digest = worker.result()
        else:
            file_problems, entries_digest = check_file(ledger.conn, last, quick)
            state = replay.fold(replay_events(ledger.conn, last), audit=True)
        problems += file_problems
        problems += check_schema(ledger)
        problems += [Problem(seq, message) for seq, message in state.damaged]
        if not problems:
            problems += check_read_models(ledger, state, entries_digest)
        if not problems:
            problems += check_confirmations(ledger)
            problems += check_closed_periods(ledger)
        if expect_head:
            problems += check_expected_head(ledger, expect_head)
        count = ledger.event_count()
    finally:
        ledger.conn.execute("COMMIT")
        ledger.conn.text_factory = str
    return VerifyResult(count, head, problems)


def text_or_bytes(raw: bytes) -> str | bytes:
    """A stored text column as text, or as its bytes when they are not UTF-8 (damage that
    check_hashes then names by the entry's seq)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def check_closed_periods(ledger: Ledger) -> list[Problem]:
    """No live entry sits inside a period while it was closed (kirana/verify_periods.py)."""
    from kirana.verify_periods import entries_inside_closed_periods

    return [Problem(seq, message) for seq, message in entries_inside_closed_periods(ledger)]


def check_confirmations(ledger: Ledger) -> list[Problem]:
    """Each balance_confirmed must equal the dues as of its moment (verify_confirmations.py)."""
    from kirana.verify_confirmations import wrong_confirmations

    return [Problem(seq, message) for seq, message in wrong_confirmations(ledger)]


def first_bad_seq(result: VerifyResult) -> int | None:
    seqs = [p.seq for p in result.problems if p.seq]
    return min(seqs) if seqs else None
