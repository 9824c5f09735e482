"""`kirana import FILE.jsonl`: the canonical event JSON, one event per line.

Rules, line by line (in one transaction, all or nothing like CSV):
- An event whose `id` is already in the ledger is a duplicate (skipped) if its hash matches the
  stored one, else an error.
- The file must be an unbroken piece of one hash chain: every line's `prev_hash` is the hash
  of the line before it, so a line removed, added or moved is refused, naming the line.
- A new event must continue the ledger (its `prev_hash` is the ledger's head hash and its `seq`
  is head + 1): into an empty ledger from entry 1, or the tail of a later export of the same
  ledger. It is inserted exactly as exported: same seq, id, recorded_at, recorded_by and hash
  (the hash is re-computed and must match, so an edited line is refused). Exporting a ledger
  and importing it into an empty one therefore reproduces it bit for bit. An event of another
  ledger's chain is refused (two ledgers are not merged by importing one into the other).
- Each new event must also pass the commands' rules (kirana/arrivals.py). A file cut short
  is a shorter chain, which this cannot see: `kirana verify --expect-head SEQ:HASH` can.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from kirana import arrivals
from kirana.errors import InputError, KiranaError
from kirana.events import (
    CUSTOMER_ADDED,
    EVENT_TYPES,
    SCHEMA_VERSION,
    Event,
    chain_hash,
)
from kirana.i18n import tr
from kirana.io.common import ImportSummary, RowResult, run_rows
from kirana.io.csv_chunks import UNDECODABLE
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


def parse_event(text: str) -> Event:
    """One JSONL line -> Event, checking the shape (not the rules)."""
    if UNDECODABLE.search(text):
        raise InputError(tr("not UTF-8 text; the file must be a kirana JSONL export"))
    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise InputError(
            tr("not valid JSON ({value})").format(value=exc.args[0] if exc.args else exc)
        ) from None
    if not isinstance(obj, dict):
        raise InputError(tr("not an event object; each line must be one event from kirana export"))
    missing = [name for name in FIELDS if name not in obj]
    if missing:
        raise InputError(
            tr("event is missing {missing}; use kirana export --format jsonl").format(
                missing=", ".join(missing)
            )
        )
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
            raise InputError(tr("event field {name!r} has the wrong type").format(name=name))
    if obj["customer"] is not None and not isinstance(obj["customer"], str):
        raise InputError(tr("event field 'customer' has the wrong type"))
    if obj["type"] not in EVENT_TYPES:
        raise InputError(
            tr("event type {type!r} is unknown to this kirana").format(type=obj["type"])
        )
    if obj["schema"] > SCHEMA_VERSION:
        raise InputError(
            tr("event schema {schema} is newer than this kirana; upgrade kirana").format(
                schema=obj["schema"]
            )
        )
    return Event(**{name: obj[name] for name in FIELDS})


class JsonlImporter:
    """Inserts or re-appends one event at a time (called by common.run_rows)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.conn = ledger.conn

    def setup(self) -> None:
        self.expected_prev: str | None = None  # the hash the next line must follow
        self.refused: set[str] = set()  # hashes of lines that were not imported

    def handle(self, line: int, text: str) -> RowResult:
        event = parse_event(text)
        try:
            return self._handle(event)
        except KiranaError:
            self.refused.add(event.hash)
            self.expected_prev = event.hash  # the lines after it are judged on their own
            raise

    def _handle(self, event: Event) -> RowResult:
        if event.prev_hash in self.refused:
            raise InputError(
                tr("entry {seq} follows entry {value}, which was not imported").format(
                    seq=event.seq, value=event.seq - 1
                )
            )
        if chain_hash(event.prev_hash, event.body()) != event.hash:
            raise InputError(
                tr("entry {seq}: content does not match its hash (edited after export?)").format(
                    seq=event.seq
                )
            )
        if self.expected_prev is not None and event.prev_hash != self.expected_prev:
            raise InputError(
                tr(
                    "entry {seq} does not follow the line before it (a line was removed, added or moved); import the export as it was written"
                ).format(seq=event.seq)
            )
        stored = self.ledger.get_by_id(event.id)
        if stored:
            if stored.hash != event.hash:
                raise InputError(
                    tr(
                        "entry id {id} is already in the ledger (entry {seq}) with different content"
                    ).format(id=event.id, seq=stored.seq)
                )
            self.expected_prev = event.hash
            return RowResult(appended=False)
        head_seq, head_hash, _ = self.ledger.head_row()
        if event.prev_hash != head_hash or event.seq != head_seq + 1:
            start = (
                tr("its first entry")
                if head_seq == 0
                else tr("entry {seq}").format(seq=head_seq + 1)
            )
            raise InputError(
                tr(
                    "entry {seq} does not continue this ledger, which needs {start} next; a JSONL file imports into an empty ledger from entry 1, or continues the ledger it was exported from"
                ).format(seq=event.seq, start=start)
            )
        arrivals.check_event(self.ledger, event)  # the commands' rules (kirana/arrivals.py)
        try:
            inserted = self.ledger.insert(event)
        except (KeyError, TypeError, ValueError, sqlite3.IntegrityError) as exc:
            raise InputError(
                tr("entry {seq} is not a valid kirana event ({exc!r})").format(
                    seq=event.seq, exc=exc
                )
            ) from None
        self.expected_prev = inserted.hash
        new = inserted.customer if inserted.type == CUSTOMER_ADDED else None
        warning = ledger_checks.limit_warning_after(self.ledger, inserted.seq)
        return RowResult(appended=True, new_customer=new, limit_warning=warning)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        handle = open(path, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(tr("no file {path}; check the name").format(path=path)) from None
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
