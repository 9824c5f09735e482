"""`kirana import FILE.csv`: the SPEC §5 CSV contract, streamed row by row.

Columns (header required, any order, extra columns ignored, UTF-8 with or without BOM):
`date,type,customer,amount,method,items,reference,note,key`; `date` and `type` and one of
`amount`/`items` must be in the header.
- `type`: sale|payment|return|opening|void, any case; aliases SALE, PAYMENT_RECEIVED,
  KIRANA_SALE_RECORDED (and opening_balance).
- `method`: sale cash|upi|card|credit (`khata` = credit); payment cash|upi|card|cheque|bank
  (default cash); return: the settlement khata|cash|upi (`credit` = khata; default khata with
  a customer, cash without).
- `items`: `NAME:QTY:PRICE[:GST[:HSN]]` joined by `;`. Without GST the catalog's rate (and HSN,
  unit) in force on the date is used, else the shop's default rate. `amount` may be empty when
  items are given; when both are, they must agree.
- `customer`: matched exactly (any case, or a former name); an unknown name is created on first
  use (dated like the row); empty = walk-in.
- `void`: `reference` is the entry no. (seq) to void, `note` the reason; the void is dated now
  (a void removes its target from every business-time view, so its own date does not matter).
- `key`: idempotency key. Without it the key is derived: sha256 of the row's normalised content
  and its occurrence number among identical rows of this file. Keys live in `import_keys`
  (key -> fingerprint of the content, seq): a known key with the same content is a duplicate
  (skipped), with different content an error naming the line.
- A leading `'` that `kirana export --format csv` (or a spreadsheet guard) put before `= + - @`
  is removed, so an exported file imports back exactly.

Each row is recorded through kirana.recording (see csv_rules.py), so the rules are those of the single-entry
commands. Memory stays flat: rows are streamed; per-file occurrence counts live in a TEMP table.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from kirana.errors import InputError
from kirana.io.common import ImportSummary, RowResult, run_rows
from kirana.io.csv_rules import TYPE_ALIASES, RowRules
from kirana.store import Ledger
from kirana.tabular import FORMULA_STARTS

COLUMNS = ("date", "type", "customer", "amount", "method", "items", "reference", "note", "key")
HEADER_HINT = "the first line must name the columns, e.g. " + ",".join(COLUMNS)
UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEEN_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS kirana_import_seen"
    " (fingerprint TEXT PRIMARY KEY, n INTEGER NOT NULL)"
)


def unneutralise(text: str) -> str:
    """Undo kirana.tabular.neutralise: "'=x" -> "=x"; any other text is unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def _has_bad_bytes(cells: list[str]) -> bool:
    return any(UNDECODABLE.search(cell) for cell in cells)


def read_header(reader) -> dict[str, int]:
    """Column name -> index, from the first row; raises InputError naming line 1."""
    header: list[str] = []
    while not any(cell.strip() for cell in header):
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"line 1: the file is empty; {HEADER_HINT}") from None
    if _has_bad_bytes(header):
        raise InputError("line 1: not UTF-8 text; save the file as UTF-8 (CSV UTF-8)")
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(name.strip().lower(), position)
    if not any(name in index for name in COLUMNS):
        raise InputError(f"line 1: no header row; {HEADER_HINT}")
    missing = [name for name in ("date", "type") if name not in index]
    if "amount" not in index and "items" not in index:
        missing.append("amount (or items)")
    if missing:
        raise InputError(f"line 1: missing column(s) {', '.join(missing)}; {HEADER_HINT}")
    return index


_EVENT_ID = re.compile(r"^[0-9a-f]{32}$")


def _digest(text: str, size: int) -> bytes:
    """A short, fixed-size digest of a key or fingerprint for the import_keys table."""
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()[:size]


def _fingerprint(fields: dict[str, str]) -> str:
    """The row's normalised content (everything but the key), hashed."""
    kind = TYPE_ALIASES.get(fields["type"].lower(), fields["type"].lower())
    method = fields["method"].lower()
    normal = [
        fields["date"],
        kind,
        " ".join(fields["customer"].split()).lower(),
        fields["amount"],
        method,
        ";".join(part.strip() for part in fields["items"].split(";") if part.strip()),
        fields["reference"],
        fields["note"],
    ]
    text = json.dumps(normal, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


class CsvRows:
    """Streams (line, fields) from a CSV file; `position()` is the bytes read so far."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.raw = open(path, "rb")  # noqa: SIM115 - closed in close()
        except FileNotFoundError:
            raise InputError(f"no file {path}; check the name") from None
        except IsADirectoryError:
            raise InputError(f"{path} is a folder; give a CSV file") from None
        self.text = io.TextIOWrapper(
            self.raw, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        self.reader = csv.reader(self.text)
        self.index: dict[str, int] = {}

    def open(self) -> None:
        try:
            self.index = read_header(self.reader)
        except csv.Error as exc:
            raise InputError(f"line 1: not a readable CSV line ({exc})") from None

    def position(self) -> int:
        return self.raw.tell()

    def close(self) -> None:
        self.text.close()

    def __iter__(self) -> Iterator[tuple[int, tuple[list[str], dict[str, str]]]]:
        previous_end = self.reader.line_num
        while True:
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(
                    f"line {previous_end + 1}: not a readable CSV line ({exc})"
                ) from None
            line = previous_end + 1
            previous_end = self.reader.line_num
            if not cells or all(not cell.strip() for cell in cells):
                continue
            fields = {
                name: unneutralise(cells[self.index[name]].strip())
                if name in self.index and self.index[name] < len(cells)
                else ""
                for name in COLUMNS
            }
            yield line, (cells, fields)


class CsvImporter:
    """Validates and records one CSV row at a time (called by common.run_rows)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.conn = ledger.conn
        self.rules = RowRules(ledger)

    def setup(self) -> None:
        self.conn.execute(_SEEN_DDL)
        self.conn.execute("DELETE FROM kirana_import_seen")

    def occurrence(self, fingerprint: str) -> int:
        """The how-many-th time this content appears in the file (counted outside savepoints)."""
        return self.conn.execute(
            "INSERT INTO kirana_import_seen VALUES (?, 1) ON CONFLICT (fingerprint)"
            " DO UPDATE SET n = n + 1 RETURNING n",
            (fingerprint,),
        ).fetchone()[0]

    def handle(self, line: int, row: tuple[list[str], dict[str, str], str, str]) -> RowResult:
        cells, fields, key, fingerprint = row
        if _has_bad_bytes(cells):
            raise InputError("not UTF-8 text; save the file as UTF-8 (CSV UTF-8)")
        if any(_CONTROL.search(cell) for cell in cells):
            raise InputError("the row has control characters (e.g. NUL); remove them")
        if _EVENT_ID.match(key) and self.ledger.get_by_id(key):
            return RowResult(appended=False)  # a row of `kirana export --format csv` of this ledger
        key_digest, fingerprint_digest = _digest(key, 16), _digest(fingerprint, 8)
        known = self.conn.execute(
            "SELECT fingerprint, seq FROM import_keys WHERE key = ?", (key_digest,)
        ).fetchone()
        if known:
            if known[0] == fingerprint_digest:
                return RowResult(appended=False)
            raise InputError(
                f"key {key!r} was imported before (entry {known[1]}) with different content; "
                "give the changed row a new key, or record a correction (void/return) instead"
            )
        seq, new_customer = self.rules.record(fields)
        self.conn.execute(
            "INSERT INTO import_keys VALUES (?, ?, ?)", (key_digest, fingerprint_digest, seq)
        )
        return RowResult(appended=True, new_customer=new_customer)


def import_csv(
    ledger: Ledger,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    on_problem: Callable[[int, str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import a CSV file (see the module docstring); raises InputError if nothing was imported
    because of bad rows (each reported through `on_problem(line, reason)` first)."""
    rows = CsvRows(Path(path))
    importer = CsvImporter(ledger)
    rejects = _RejectsWriter(rejects_path) if skip_invalid and not dry_run else None
    total = Path(path).stat().st_size

    def keyed():
        rows.open()
        if rejects is not None:
            rejects.header = _original_header(rows)
        for line, (cells, fields) in rows:
            fingerprint = _fingerprint(fields)
            key = fields["key"]
            if not key:
                occurrence = importer.occurrence(fingerprint)
                key = "sha256:" + hashlib.sha256(f"{fingerprint}:{occurrence}".encode()).hexdigest()
            yield line, (cells, fields, key, fingerprint)

    def problem(line: int, reason: str, row) -> None:
        if on_problem is not None:
            on_problem(line, reason)
        if rejects is not None:
            rejects.write(row[0], reason)

    try:
        summary = run_rows(
            ledger,
            keyed(),
            importer.handle,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            on_problem=problem,
            on_progress=(lambda _done: progress(rows.position(), total)) if progress else None,
            setup=importer.setup,
        )
    finally:
        rows.close()
        if rejects is not None:
            rejects.close()
    if rejects is not None and rejects.count:
        summary.rejects_path = rejects.path
    return summary


def _original_header(rows: CsvRows) -> list[str]:
    """The header row as the user wrote it (re-read: the reader has moved on)."""
    with open(rows.path, encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        return next((row for row in csv.reader(handle) if any(c.strip() for c in row)), [])


class _RejectsWriter:
    """Writes rejected rows (original cells + a `reason` column), opened on the first reject."""

    def __init__(self, path: Path | None):
        self.path = path
        self.header: list[str] = []
        self.count = 0
        self._handle = None
        self._writer = None

    def write(self, cells: list[str], reason: str) -> None:
        if self.path is None:
            return
        if self._writer is None:
            self._handle = open(  # noqa: SIM115 - closed in close()
                self.path, "w", encoding="utf-8", errors="surrogateescape", newline=""
            )
            self._writer = csv.writer(self._handle, lineterminator="\n")
            width = len(self.header)
            self._writer.writerow([*self.header, "reason"])
            self._width = width
        padded = list(cells) + [""] * max(0, self._width - len(cells))
        self._writer.writerow([*padded, reason])
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
