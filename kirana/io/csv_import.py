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

Each row is recorded through kirana.recording, so the rules are those of the single-entry
commands. Memory stays flat: rows are streamed; per-file occurrence counts live in a TEMP table.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from kirana import catalog, customers, dates, recording
from kirana.errors import InputError
from kirana.io.common import ImportSummary, RowResult, run_rows
from kirana.money import format_rupees, parse_amount, parse_signed_amount
from kirana.store import Ledger
from kirana.tabular import FORMULA_STARTS

COLUMNS = ("date", "type", "customer", "amount", "method", "items", "reference", "note", "key")
HEADER_HINT = "the first line must name the columns, e.g. " + ",".join(COLUMNS)
TYPE_ALIASES = {
    "sale": "sale",
    "kirana_sale_recorded": "sale",
    "payment": "payment",
    "payment_received": "payment",
    "return": "return",
    "opening": "opening",
    "opening_balance": "opening",
    "void": "void",
}
_ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$")
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
        known = self.conn.execute(
            "SELECT fingerprint, seq FROM import_keys WHERE key = ?", (key,)
        ).fetchone()
        if known:
            if known[0] == fingerprint:
                return RowResult(appended=False)
            raise InputError(
                f"key {key!r} was imported before (entry {known[1]}) with different content; "
                "give the changed row a new key, or record a correction (void/return) instead"
            )
        seq, new_customer = self.record(fields)
        self.conn.execute("INSERT INTO import_keys VALUES (?, ?, ?)", (key, fingerprint, seq))
        return RowResult(appended=True, new_customer=new_customer)

    # ---- one row's rules -----------------------------------------------------------------
    def record(self, f: dict[str, str]) -> tuple[int, str | None]:
        raw_type = f["type"]
        if not raw_type:
            raise InputError("type is empty; use sale, payment, return, opening or void")
        kind = TYPE_ALIASES.get(raw_type.lower())
        if kind is None:
            raise InputError(
                f"type {raw_type!r} is unknown; use sale, payment, return, opening or void"
            )
        if kind == "void":
            return self._void(f), None
        occurred_at = parse_date(f["date"])
        if kind == "sale":
            return self._sale(f, occurred_at)
        if kind == "payment":
            return self._payment(f, occurred_at)
        if kind == "return":
            return self._return(f, occurred_at)
        return self._opening(f, occurred_at)

    def _customer(self, text: str, occurred_at: str) -> tuple[str | None, str | None]:
        """(name to record with, name if newly created) — exact match, else created."""
        if not text:
            return None, None
        name = customers.clean_name(text)
        row = self.conn.execute(
            "SELECT c.name FROM customer_names n JOIN customers c ON c.id = n.customer_id"
            " WHERE n.name_lower = ?",
            (name.lower(),),
        ).fetchone()
        if row:
            return row[0], None
        recording.add_customer(self.ledger, name, occurred_at=occurred_at)
        return name, name

    def _lines_and_amount(self, f: dict[str, str], occurred_at: str):
        lines = parse_items(self.conn, f["items"], dates.business_date(occurred_at))
        amount = parse_amount(f["amount"]) if f["amount"] else None
        if lines:
            total = sum(line["total_paise"] for line in lines)
            if amount is not None and amount != total:
                raise InputError(
                    f"items add up to {format_rupees(total)} but amount is "
                    f"{format_rupees(amount)}; fix one of them or leave amount empty"
                )
        elif amount is None:
            raise InputError("amount is empty and there are no items; give one of them")
        return lines or None, amount

    def _sale(self, f: dict[str, str], occurred_at: str) -> tuple[int, str | None]:
        method = {"khata": "credit", "udhaar": "credit"}.get(
            f["method"].lower(), f["method"].lower()
        )
        if not method:
            raise InputError("method is empty; a sale needs cash, upi, card or credit")
        if method not in ("cash", "upi", "card", "credit"):
            raise InputError(
                f"sale method {f['method']!r} is unknown; use cash, upi, card or credit"
            )
        if method == "credit" and not f["customer"]:
            raise InputError("a credit sale needs a customer; fill the customer column")
        lines, amount = self._lines_and_amount(f, occurred_at)
        who, new = self._customer(f["customer"], occurred_at)
        recorded = recording.record_sale(
            self.ledger,
            who,
            method=method,
            occurred_at=occurred_at,
            lines=lines,
            amount_paise=amount,
            reference=f["reference"] or None,
            note=f["note"] or None,
        )
        return recorded.event.seq, new

    def _payment(self, f: dict[str, str], occurred_at: str) -> tuple[int, str | None]:
        method = f["method"].lower() or "cash"
        if method not in ("cash", "upi", "card", "cheque", "bank"):
            raise InputError(
                f"payment method {f['method']!r} is unknown; use cash, upi, card, cheque or bank"
            )
        if not f["customer"]:
            raise InputError("a payment needs a customer; fill the customer column")
        if not f["amount"]:
            raise InputError("a payment needs an amount; fill the amount column")
        amount = parse_amount(f["amount"])
        who, new = self._customer(f["customer"], occurred_at)
        recorded = recording.record_payment(
            self.ledger,
            who,
            amount,
            method=method,
            occurred_at=occurred_at,
            reference=f["reference"] or None,
            note=f["note"] or None,
        )
        return recorded.event.seq, new

    def _return(self, f: dict[str, str], occurred_at: str) -> tuple[int, str | None]:
        settlement = f["method"].lower() or ("khata" if f["customer"] else "cash")
        settlement = {"credit": "khata", "udhaar": "khata"}.get(settlement, settlement)
        if settlement not in ("khata", "cash", "upi"):
            raise InputError(
                f"return method {f['method']!r} is unknown; use khata (or credit), cash or upi"
            )
        if settlement == "khata" and not f["customer"]:
            raise InputError("a return to khata needs a customer; fill the customer column")
        lines, amount = self._lines_and_amount(f, occurred_at)
        who, new = self._customer(f["customer"], occurred_at)
        recorded = recording.record_return(
            self.ledger,
            who,
            settlement=settlement,
            occurred_at=occurred_at,
            lines=lines,
            amount_paise=amount,
            reference=f["reference"] or None,
            note=f["note"] or None,
        )
        return recorded.event.seq, new

    def _opening(self, f: dict[str, str], occurred_at: str) -> tuple[int, str | None]:
        if not f["customer"]:
            raise InputError("opening dues need a customer; fill the customer column")
        if not f["amount"]:
            raise InputError("opening dues need an amount (negative for an advance)")
        amount = parse_signed_amount(f["amount"])
        who, new = self._customer(f["customer"], occurred_at)
        recorded = recording.record_opening(self.ledger, who, amount, occurred_at=occurred_at)
        return recorded.event.seq, new

    def _void(self, f: dict[str, str]) -> int:
        target = f["reference"].lstrip("#")
        if not target.isdigit():
            raise InputError(
                f"a void needs the entry no. to void in the reference column, not {target!r}"
            )
        recorded = recording.record_void(self.ledger, int(target), f["note"] or "voided by import")
        return recorded.event.seq


def parse_date(text: str) -> str:
    """The date column -> occurred_at. Bare dates stay bare; exported timestamps keep time."""
    if not text:
        raise InputError("date is empty; give e.g. 2024-08-12 or '2024-08-12 10:15'")
    if _ISO_WITH_OFFSET.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InputError(f"date {text!r} is not a real date or time") from None
        return dates.occurred_at_of(moment)
    return dates.parse_occurred_at(text, what="date")


def parse_items(conn, text: str, day) -> list[dict]:
    """`NAME:QTY:PRICE[:GST[:HSN]]` joined by `;` -> stored sale lines."""
    lines = []
    for spec in (part.strip() for part in text.split(";")):
        if not spec:
            continue
        parts = [part.strip() for part in spec.split(":")]
        if not 3 <= len(parts) <= 5 or not parts[0]:
            raise InputError(
                f"item {spec!r} is not NAME:QTY:PRICE[:GST[:HSN]]; e.g. atta:2:250 or "
                "atta:2:250:5:1101, items joined by ';'"
            )
        name = " ".join(parts[0].split())
        qty, price_text = parts[1], parts[2]
        price = parse_amount(price_text, what=f"price of {name}")
        known = catalog.item_in_force(conn, name, day)
        unit = known.unit if known else ""
        if len(parts) >= 4 and parts[3]:
            gst, hsn = parts[3], parts[4] if len(parts) == 5 else ""
        elif known:
            gst, hsn = known.gst_rate, parts[4] if len(parts) == 5 and parts[4] else known.hsn
        else:
            gst = str(catalog.shop_settings_on(conn, day).get("default_gst_rate", "0"))
            hsn = parts[4] if len(parts) == 5 else ""
        lines.append(recording.item_line(name, qty, price, gst, hsn, unit))
    return lines


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
