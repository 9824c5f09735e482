"""`kirana import FILE.jsonl`: the canonical event JSON, one event per line.

Rules, line by line (in one transaction, all or nothing like CSV):
- An event whose `id` is already in the ledger is a duplicate (skipped) if its hash matches the
  stored one, else an error.
- An event that continues the local chain (its `prev_hash` is the ledger's head hash and its
  `seq` is head + 1) is inserted exactly as exported: same seq, id, recorded_at, recorded_by
  and hash (the hash is re-computed and must match, so an edited line is refused). Exporting a
  ledger and importing it into an empty one therefore reproduces it bit for bit; importing a
  later export of the same ledger appends just the new tail.
- Any other event (the chains diverged: a different ledger, or a file from the middle) is
  re-appended as a new event: new seq, new recorded_at (now: this ledger learns of it now),
  a new hash in the local chain; same id, type, occurred_at, recorded_by, customer and data.
  Keeping the id makes re-importing the same file append nothing. Seq references inside the
  data (`void.target`, `return.against`) are re-mapped to the local entry numbers of the
  events this file brought in (or already had); a reference the file cannot resolve is an
  error. Customers must exist (their `customer_added` earlier in the file or in the ledger).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from kirana import arrivals, dates
from kirana.errors import InputError
from kirana.events import (
    CUSTOMER_ADDED,
    EVENT_TYPES,
    RETURN,
    SCHEMA_VERSION,
    VOID,
    Event,
    chain_hash,
)
from kirana.io.common import ImportSummary, RowResult, run_rows
from kirana.io.csv_import import UNDECODABLE
from kirana.io.safe_file import OutputFile
from kirana.rules import ledger_checks
from kirana.store import Ledger

FIELDS = (
    "seq",
    "id",
    "type",
    "schema",
    "occurred_at",
    "recorded_at",
    "recorded_by",
    "customer",
    "data",
    "prev_hash",
    "hash",
)
_SEQMAP_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS kirana_import_seqmap"
    " (source INTEGER PRIMARY KEY, local INTEGER NOT NULL)"
)


def parse_event(text: str) -> Event:
    """One JSONL line -> Event, checking the shape (not the rules)."""
    if UNDECODABLE.search(text):
        raise InputError("not UTF-8 text; the file must be a kirana JSONL export")
    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc.args[0] if exc.args else exc})") from None
    if not isinstance(obj, dict):
        raise InputError("not an event object; each line must be one event from kirana export")
    missing = [name for name in FIELDS if name not in obj]
    if missing:
        raise InputError(f"event is missing {', '.join(missing)}; use kirana export --format jsonl")
    checks = (
        ("seq", int),
        ("schema", int),
        ("data", dict),
        *((name, str) for name in ("id", "type", "occurred_at", "recorded_at", "recorded_by")),
        ("prev_hash", str),
        ("hash", str),
    )
    for name, kind in checks:
        if not isinstance(obj[name], kind) or isinstance(obj[name], bool):
            raise InputError(f"event field {name!r} has the wrong type")
    if obj["customer"] is not None and not isinstance(obj["customer"], str):
        raise InputError("event field 'customer' has the wrong type")
    if obj["type"] not in EVENT_TYPES:
        raise InputError(f"event type {obj['type']!r} is unknown to this kirana")
    if obj["schema"] > SCHEMA_VERSION:
        raise InputError(f"event schema {obj['schema']} is newer than this kirana; upgrade kirana")
    return Event(**{name: obj[name] for name in FIELDS})


class JsonlImporter:
    """Inserts or re-appends one event at a time (called by common.run_rows)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.conn = ledger.conn

    def setup(self) -> None:
        self.conn.execute(_SEQMAP_DDL)
        self.conn.execute("DELETE FROM kirana_import_seqmap")

    def handle(self, line: int, text: str) -> RowResult:
        event = parse_event(text)
        if chain_hash(event.prev_hash, event.body()) != event.hash:
            raise InputError(
                f"entry {event.seq}: content does not match its hash (edited after export?)"
            )
        stored = self.ledger.get_by_id(event.id)
        if stored:
            if stored.hash != event.hash and not self._same_content(stored, event):
                raise InputError(
                    f"entry id {event.id} is already in the ledger (entry {stored.seq}) "
                    "with different content"
                )
            self._map(event.seq, stored.seq)
            return RowResult(appended=False)
        head_seq, head_hash, head_recorded = self.ledger.head_row()
        if event.prev_hash == head_hash and event.seq == head_seq + 1:
            local = self._check(event)
        else:
            now = dates.format_recorded_at(dates.now_utc())
            local = replace(
                self._check(self._remapped(event)),
                seq=head_seq + 1,
                recorded_at=max(now, head_recorded),
                prev_hash=head_hash,
                hash="",
            )
        try:
            inserted = self.ledger.insert(local)
        except (KeyError, TypeError, ValueError, sqlite3.IntegrityError) as exc:
            raise InputError(f"entry {event.seq} is not a valid kirana event ({exc!r})") from None
        self._map(event.seq, inserted.seq)
        new = inserted.customer if inserted.type == CUSTOMER_ADDED else None
        warning = ledger_checks.limit_warning_after(self.ledger, inserted.seq)
        return RowResult(appended=True, new_customer=new, limit_warning=warning)

    def _same_content(self, mine: Event, event: Event) -> bool:
        """A re-appended copy has a new seq/hash and local entry numbers; compare the rest."""

        def kept(e: Event) -> tuple:
            data = {k: v for k, v in e.data.items() if k not in ("target", "against")}
            return (e.type, e.occurred_at, e.recorded_by, e.customer, data)

        return kept(mine) == kept(event)

    def _map(self, source: int, local: int) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO kirana_import_seqmap VALUES (?, ?)", (source, local)
        )

    def _local_seq(self, source: int, what: str) -> int:
        row = self.conn.execute(
            "SELECT local FROM kirana_import_seqmap WHERE source = ?", (source,)
        ).fetchone()
        if row is None:
            raise InputError(
                f"{what} entry {source}, which is neither in this file nor in the ledger; "
                "import the whole export"
            )
        return row[0]

    def _remapped(self, event: Event) -> Event:
        data = dict(event.data)
        if event.type == VOID and isinstance(data.get("target"), int):
            data["target"] = self._local_seq(data["target"], "it voids")
        if event.type == RETURN and isinstance(data.get("against"), int):
            data["against"] = self._local_seq(data["against"], "it is a return against")
        return replace(event, data=data)

    def _check(self, event: Event) -> Event:
        """The same rules as the commands that create such an event (kirana/arrivals.py)."""
        arrivals.check_event(self.ledger, event)
        return event


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        handle = open(path, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(f"no file {path}; check the name") from None
    with handle:
        for number, text in enumerate(handle, start=1):
            if text.strip():
                yield number, text


def import_jsonl(
    ledger: Ledger,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    on_problem: Callable[[int, str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import a JSONL export (rules in the module docstring)."""
    importer = JsonlImporter(ledger)
    rejects: OutputFile | None = None
    handle = None
    count = 0

    def problem(line: int, reason: str, text: str) -> None:
        nonlocal rejects, handle, count
        if on_problem is not None:
            on_problem(line, reason)
        if skip_invalid and not dry_run and rejects_path is not None:
            if rejects is None:  # never the ledger; a temp file until the import is done
                rejects = OutputFile(rejects_path, flag="--rejects", ledger=ledger.path)
                handle = rejects.open(errors="surrogateescape")
            record = {"line": line, "reason": reason, "event": text.rstrip("\n")}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()  # a full disk stops the import, not just the rejects file
            count += 1

    try:
        summary = run_rows(
            ledger,
            _lines(Path(path)),
            importer.handle,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            on_problem=problem,
            on_progress=(lambda done: progress(done, 0)) if progress else None,
            setup=importer.setup,
        )
    except BaseException:
        if rejects is not None:
            rejects.discard()
        raise
    if rejects is not None:
        rejects.commit()
    if count:
        summary.rejects_path = rejects_path
    return summary
