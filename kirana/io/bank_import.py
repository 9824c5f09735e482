"""`kirana import FILE --format bank`: a bank statement's (or a UPI app's report's) credits
become payments from the customers who paid, each transfer counted once (docs/bank-import.md).

The file is read whole (kirana.io.statement_file), its header row found by a profile
(kirana.io.bank_profiles), then every row under it runs through common.run_rows, in one
transaction, all or nothing:
- a row whose date cell is not written as a date is a preamble, footer or summary row: skipped;
- a debit (the shop's own spending, a refund, a failed UPI payment) is counted and skipped;
- a credit's transfer (UTR, payer's name and UPI id) comes from its narration
  (kirana.io.narration) and the reference column, or a UPI app's own columns; a credit that is
  not a UPI/IMPS/NEFT/RTGS transfer (interest, a cash deposit) is counted and skipped;
- a UTR already on a live entry (this statement imported before, an overlapping statement, a
  `pay --ref`, a review file imported) is a duplicate: nothing is appended;
- the payer is matched to one customer (kirana.rules.payers); an unknown or ambiguous payer is
  never guessed: the credit is listed and written to the review file;
- otherwise a `payment` is built by rules.payloads.payment_data (method `upi`, or `bank` for
  IMPS/NEFT/RTGS; reference = the UTR; business time = the statement's date) and checked by
  the rules every write path obeys (closed periods, confirmed dues, one live entry per
  reference).
Payments are appended as the CSV import appends its rows (store.EventBatch): each is sealed
into the hash chain at once and written with the others, one statement per table, every
FLUSH_EVERY payments and at the end. Every rule runs before a payment is buffered and reads
what this import keeps in memory (references, transfers, payers, confirmations), so no row
needs the tables to hold the ones before it, nor a savepoint of its own.

The review file is the CSV import's format (docs/csv.md) with an empty customer column, the
UTR as `reference` and `key`, the note a matched payment would carry, the payer's UPI id in an
`upi_id` column and why it was not matched in a `why` column (which the CSV import ignores):
filled in and imported with `kirana import`, it records the payments as the bank import would
have, and remembers each UPI id on its customer.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kirana import dates
from kirana.errors import InputError
from kirana.events import PAYMENT
from kirana.i18n import Message, marked, shown, tr
from kirana.io import bank_profiles, narration
from kirana.io.common import ImportSummary, RowResult, run_rows
from kirana.io.statement_file import Cell, read_rows
from kirana.jsonfast import canonical
from kirana.money import format_rupees, money_json, parse_amount, rupees_str
from kirana.projections import entry_effect
from kirana.rules import closed_periods, ledger_checks, payers, payloads, references
from kirana.rules.identifiers import check_upi_id
from kirana.store import Ledger, encode_payload
from kirana.store.batch import EventBatch
from kirana.tabular import neutralise

REVIEW_COLUMNS = (
    "date", "type", "customer", "amount", "method", "items", "reference", "note", "key", "upi_id",
    "why",
)  # fmt: skip
_METHODS = {"upi": "upi", "imps": "bank", "neft": "bank", "rtgs": "bank"}
FLUSH_EVERY = 5000  # buffered payments written at a time


@dataclass
class Credit:
    """A credit kirana could not tie to one customer (listed, and written for review)."""

    line: int
    occurred_at: str
    amount_paise: int
    method: str
    utr: str
    vpa: str | None
    name: str | None
    why: str
    note: str  # the note its payment will carry (payment_note)

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "date": self.occurred_at,
            "vpa": self.vpa,
            "name": self.name,
            **money_json(self.amount_paise, "amount"),
            "method": self.method,
            "reference": self.utr,
            "why": self.why,
        }


@dataclass
class BankSummary(ImportSummary):
    """An import summary with the bank import's counts; `to_json()` is `import --json`."""

    profile: str = ""
    unmatched: list[Credit] = field(default_factory=list)
    debits_skipped: int = 0
    other_credits_skipped: int = 0
    payments: list[dict[str, Any]] = field(default_factory=list)
    review_path: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "appended": self.appended,
            "duplicates": self.duplicates,
            "unmatched": len(self.unmatched),
            "debits_skipped": self.debits_skipped,
            "other_credits_skipped": self.other_credits_skipped,
            "rejected": self.rejected,
            "payments": self.payments,
            "unmatched_credits": [credit.to_json() for credit in self.unmatched],
            "review_file": str(self.review_path) if self.review_path else None,
            "dry_run": self.dry_run,
            "warnings": self.warnings,
        }


def _is_upi_id(vpa: str) -> bool:
    try:
        return check_upi_id(vpa) == vpa
    except InputError:
        return False


def paise_of(cell: Cell, what: str, *, signed: bool = False) -> int | None:
    """A statement's amount cell -> paise (None when empty or zero): text with Indian or
    Western grouping (`1,25,000.00`, `₹ 500`, `500.00 Cr`), or a spreadsheet's number. With
    `signed` (one amount column and no Dr/Cr flag), `-500.00` or `(500.00)` is a debit."""
    if cell is None:
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        try:
            value = Decimal(repr(cell)) * 100
        except InvalidOperation:
            raise InputError(
                tr("{what} {cell!r} is not an amount").format(what=what, cell=cell)
            ) from None
        if value != value.to_integral_value() or (value < 0 and not signed):
            raise InputError(
                tr("{what} {cell!r} is not an amount in rupees and paise").format(
                    what=what, cell=cell
                )
            )
        return int(value) or None
    text = " ".join(str(cell).split())
    for suffix in (" cr", " dr", "cr", "dr"):
        if text.lower().endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    if text in ("", "-", "--"):
        return None
    sign = 1
    if signed and (text.startswith("-") or (text.startswith("(") and text.endswith(")"))):
        sign, text = -1, text.strip("()").removeprefix("-")
    return sign * parse_amount(text.replace(" ", ""), what=what, allow_zero=True) or None


def payment_note(transfer: narration.Transfer) -> str:
    """What a statement's payment says about who paid: `UPI from NAME (VPA): NOTE`."""
    vpa = f"({transfer.vpa})" if transfer.vpa and transfer.name else transfer.vpa
    from_whom = " ".join(part for part in (transfer.name, vpa) if part)
    note = f"{transfer.kind.upper()} from {from_whom or 'statement'}"
    if transfer.note:
        note += f": {transfer.note}"
    return note[: payloads.MAX_TEXT]


class BankImporter:
    """Runs a statement's rows (see the module docstring); called by common.run_rows."""

    def __init__(self, ledger: Ledger, path: Path, profile: bank_profiles.Profile | None):
        self.ledger = ledger
        self.path = path
        rows = read_rows(path)
        at, self.profile, self.columns = bank_profiles.detect(rows, profile)
        self.rows = rows[at + 1 :]
        self.summary = BankSummary(profile=self.profile.name)
        self.skipped = 0  # rows that appended nothing and are no duplicate

    def setup(self) -> None:
        conn = self.ledger.conn
        self.now = dates.now_local()
        self.payers = payers.Payers(conn)
        self.known = payers.KnownTransfers(conn)
        self.confirmed = ledger_checks.ConfirmedDues(conn)
        self.references = references.References(conn)
        self.closed = closed_periods.ClosedPeriods(conn)
        self.batch = EventBatch(self.ledger)
        self.customer_ids = dict(conn.execute("SELECT name_lower, customer_id FROM customer_names"))

    def all_rows(self):
        """The statement's rows for run_rows; the buffered payments are written as they go
        and after the last row, inside the import's transaction."""
        for count, row in enumerate(self.rows, start=1):
            yield row
            if count % FLUSH_EVERY == 0:
                self.batch.flush()
        self.batch.flush()

    def cell(self, cells: list[Cell], role: str) -> Cell:
        position = self.columns.get(role)
        if position is None or position >= len(cells):
            return None
        value = cells[position]
        return value.strip() if isinstance(value, str) else value

    def text(self, cells: list[Cell], role: str) -> str:
        value = self.cell(cells, role)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a reference a spreadsheet stored as a number
        return "" if value is None else str(value)

    def handle(self, line: int, cells: list[Cell]) -> RowResult:
        when = self.cell(cells, "date")
        if not isinstance(when, date) and not dates.looks_like_date(str(when or "")):
            self.skipped += 1  # a preamble, footer, summary or page-heading row
            return RowResult(appended=False)
        occurred_at = dates.parse_statement_date(when, now=self.now)
        amount, credit = self.amount(cells)
        if amount is None:
            self.skipped += 1  # an opening-balance row, or a day with no movement
            return RowResult(appended=False)
        if not credit:
            self.summary.debits_skipped += 1
            self.skipped += 1
            return RowResult(appended=False)
        transfer = self.transfer(cells)
        if transfer is None or transfer.utr is None:
            self.summary.other_credits_skipped += 1
            self.skipped += 1
            return RowResult(appended=False)
        seq = self.known.entry_of(transfer.utr)
        if seq is not None:
            return RowResult(appended=False)  # a duplicate
        method = self.profile.method or _METHODS[transfer.kind]
        match = self.payers.match(transfer.vpa, transfer.name)
        if match.customer is None:
            unmatched = Credit(line, occurred_at, amount, method, transfer.utr, transfer.vpa,
                               transfer.name, match.why, payment_note(transfer))  # fmt: skip
            self.summary.unmatched.append(unmatched)
            self.known.add(transfer.utr, 0)  # a repeat later in the file is no new credit
            self.skipped += 1
            return RowResult(appended=False)
        return self.record(line, occurred_at, amount, method, transfer, match)

    def amount(self, cells: list[Cell]) -> tuple[int | None, bool]:
        """(paise, whether it is a credit) of a transaction row."""
        if "amount" in self.columns:
            flagged = "flag" in self.columns
            amount = paise_of(self.cell(cells, "amount"), "amount", signed=not flagged)
            if amount is None or not flagged:
                return (abs(amount), amount > 0) if amount is not None else (None, True)
            flag = self.cell(cells, "flag")
            side = bank_profiles.direction(flag)
            if side is None:
                raise InputError(
                    tr("{flag!r} is not Cr or Dr (nor a payment or a refund)").format(flag=flag)
                )
            return amount, side == "credit"
        credit = paise_of(self.cell(cells, "credit"), tr("credit amount"))
        debit = paise_of(self.cell(cells, "debit"), tr("debit amount"))
        if credit is not None and debit is not None:
            raise InputError(tr("the row has both a debit and a credit amount; fix the file"))
        return (credit, True) if credit is not None else (debit, False)

    def transfer(self, cells: list[Cell]) -> narration.Transfer | None:
        said = narration.parse(self.text(cells, "narration"))
        if self.profile.method is not None:  # a UPI app's report: its own columns
            said = said or narration.Transfer("upi")
            payer = self.text(cells, "payer")
            vpa = self.text(cells, "vpa") or (payer if "@" in payer else "")
            said = narration.Transfer(
                "upi", said.utr, said.name or (payer if "@" not in payer else None) or None,
                vpa.lower() or said.vpa, said.note,
            )  # fmt: skip
        found = narration.with_reference(said, self.text(cells, "ref"))
        if found is not None and found.vpa is not None and not _is_upi_id(found.vpa):
            found = replace(found, vpa=None)  # not a UPI id: never matched or remembered
        return found

    def record(self, line, occurred_at, amount, method, transfer, match) -> RowResult:
        row = match.customer
        data = payloads.payment_data(
            amount, method=method, reference=transfer.utr, note=payment_note(transfer)
        )
        self.closed.check_entry(PAYMENT, occurred_at, data)
        self.confirmed.check(row, occurred_at, -amount, marked("this credit"))
        key = self.references.check(PAYMENT, data, marked("this credit"))
        data_json = canonical(data)  # payment_data's values: text and integers, no floats
        seq = self.batch.append(
            PAYMENT,
            occurred_at,
            row.name,
            self.customer_ids.get(row.name.lower()),  # as the read models find them by name
            entry_effect(PAYMENT, data),
            data_json,
            encode_payload(data_json),
        )
        self.references.add(key, Message("line {line} of this statement", line=line), seq)
        self.known.add(transfer.utr, seq)
        self.summary.payments.append(
            {
                "line": line,
                "seq": seq,
                "date": occurred_at,
                "customer": row.name,
                **money_json(amount, "amount"),
                "method": method,
                "reference": transfer.utr,
                "matched_by": match.how,
                "vpa": transfer.vpa,
                "name": transfer.name,
            }
        )
        return RowResult(appended=True)


def import_statement(
    ledger: Ledger,
    path: Path,
    *,
    profile: bank_profiles.Profile | None = None,
    dry_run: bool = False,
    review_path: Path | None = None,
    on_problem: Callable[[int, str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BankSummary:
    """Import a statement (see the module docstring); raises InputError naming the bad rows'
    count when any row is bad (each reported through `on_problem(line, reason)` first). The
    review file is written (`review_path`) only when a credit is unmatched and the import is
    committed."""
    path = Path(path)
    importer = BankImporter(ledger, path, profile)
    total = len(importer.rows)
    done = run_rows(
        ledger,
        importer.all_rows(),
        importer.handle,
        dry_run=dry_run,
        on_problem=(lambda line, reason, _row: on_problem(line, reason)) if on_problem else None,
        on_progress=(lambda count: progress(count, total)) if progress else None,
        setup=importer.setup,
        savepoints=False,  # a row is checked whole before it is buffered
    )
    summary = importer.summary
    summary.appended, summary.dry_run = done.appended, dry_run
    summary.duplicates = done.duplicates - importer.skipped
    if summary.unmatched and review_path is not None and not dry_run:
        write_review(review_path, summary.unmatched, path, ledger.path)
        summary.review_path = review_path
    return summary


def write_review(target: Path, credits: list[Credit], statement: Path, ledger_path) -> None:
    """The unmatched credits as CSV import rows with an empty customer (kirana.io.safe_file).
    A review file already there keeps the customers filled in on it (by the row's key)."""
    from kirana.io.safe_file import writing

    filled = _filled_in(target)
    with writing(target, flag="--review", ledger=ledger_path, inputs=[statement]) as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(REVIEW_COLUMNS)
        for credit in credits:
            why = f"line {credit.line} of {statement.name}: {credit.why}"
            cells = [credit.occurred_at, "payment", filled.get(credit.utr, ""),
                     rupees_str(credit.amount_paise), credit.method, "", credit.utr,
                     credit.note, credit.utr, credit.vpa or "", why]  # fmt: skip
            out.writerow([neutralise(cell) for cell in cells])  # a spreadsheet opens it


def _filled_in(target: Path) -> dict[str, str]:
    """key -> customer of the rows of an earlier review file that were filled in."""
    try:
        with target.open(encoding="utf-8", newline="") as handle:
            return {
                row.get("key") or "": (row.get("customer") or "").strip()
                for row in csv.DictReader(handle)
                if (row.get("customer") or "").strip()
            }
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}


def describe(credit: Credit) -> str:
    """One line for the shopkeeper: where, who, how much, why it was not matched."""
    who = " ".join(part for part in (credit.vpa, credit.name) if part) or tr("(no payer given)")
    return tr("line {line}: {who} {amount} — {why}").format(
        line=credit.line, who=who, amount=format_rupees(credit.amount_paise), why=shown(credit.why)
    )
