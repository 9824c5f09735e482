"""The rules of one CSV row (docs/csv.md): type aliases, methods per type, items, customers.

`RowPlanner.plan(fields)` checks everything a row can get wrong by itself and gives its
RowPlan (event type, business time, customer name, payload built by kirana.recording's payload
functions, so the rules are those of the single-entry commands). It needs no ledger, so the
import can plan rows in worker processes. `RowRules.record(fields)` plans a row and records it
(creating its customer on first use, checking a void's target). Both raise a KiranaError with
a one-line reason for a bad row (the caller adds `line N:`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from kirana import customers, dates, import_keys, recording
from kirana.catalog import CatalogSnapshot
from kirana.errors import InputError
from kirana.events import OPENING_BALANCE, PAYMENT, RETURN, SALE, VOID
from kirana.i18n import tr
from kirana.money import parse_amount, parse_signed_amount
from kirana.rules import closed_periods, invoices, ledger_checks, payloads, references
from kirana.store import Draft, Ledger

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
MEMO_SIZE = 50_000  # parsed dates / item lines remembered per import (then forgotten)
_ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$")


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What a good CSV row appends, decided from the row alone (no ledger state needed):
    the event type, business time, the customer's name as written (None = walk-in) and the
    payload. A void's target is checked against the ledger when it is recorded."""

    type: str
    occurred_at: str | None  # None for a void: it is dated when recorded
    customer: str | None
    data: dict


class RowPlanner:
    """The rules of one CSV row that need no ledger: type, method, date, items, amount, name.

    Items are looked up in a CatalogSnapshot; the clock is read once, so a long import judges
    every date against the same "now". Parsed dates and item lines are memoised (a shop's file
    repeats them); the payload rules themselves are kirana.recording's, as for the commands.
    """

    def __init__(self, catalog: CatalogSnapshot, now: datetime | None = None):
        self.catalog = catalog
        self.now = now or dates.now_local()
        self.order_key = dates.order_key_function()
        self._dates: dict[str, tuple[str, date]] = {}
        self._names: dict[str, str] = {}
        self._lines: dict[tuple, dict] = {}

    def plan(self, f: dict[str, str]) -> RowPlan:
        """The row's plan; raises a KiranaError with a one-line reason for a bad row."""
        raw_type = f["type"]
        if not raw_type:
            raise InputError(tr("type is empty; use sale, payment, return, opening or void"))
        kind = TYPE_ALIASES.get(raw_type.lower())
        if kind is None:
            raise InputError(
                tr(
                    "type {raw_type!r} is unknown; use sale, payment, return, opening or void"
                ).format(raw_type=raw_type)
            )
        if f["items"] and kind not in ("sale", "return"):
            raise InputError(
                tr("a {kind} has no items; leave the items column empty").format(kind=kind)
            )
        if kind == "void":
            return self._void(f)
        occurred_at, day = self.date(f["date"])
        if kind == "sale":
            return self._sale(f, occurred_at, day)
        if kind == "payment":
            return self._payment(f, occurred_at)
        if kind == "return":
            return self._return(f, occurred_at, day)
        return self._opening(f, occurred_at)

    def date(self, text: str) -> tuple[str, date]:
        """The date column -> (occurred_at, the shop-local business day), memoised."""
        known = self._dates.get(text)
        if known is None:
            occurred_at = parse_date(text, now=self.now)
            known = occurred_at, date.fromisoformat(self.order_key(occurred_at)[:10])
            _remember(self._dates, text, known)
        return known

    def _name(self, text: str) -> str | None:
        if not text:
            return None
        name = self._names.get(text)
        if name is None:
            name = customers.clean_name(text)
            _remember(self._names, text, name)
        return name

    def _lines_and_amount(self, f: dict[str, str], day: date):
        """Parsed items and amount; whether they agree is recording's rule (one place)."""
        lines = self.items(f["items"], day)
        amount = parse_amount(f["amount"]) if f["amount"] else None
        if not lines and amount is None:
            raise InputError(tr("amount is empty and there are no items; give one of them"))
        return lines or None, amount

    def _shared(self, f: dict[str, str], name: str | None, day: date | None = None) -> dict:
        """The arguments a row gives every payload builder: whether it names a customer, its
        reference and note, and (for goods, when `day` is given) its items and amount."""
        shared = {
            "has_customer": name is not None,
            "reference": f["reference"] or None,
            "note": f["note"] or None,
        }
        if day is not None:
            shared["lines"], shared["amount_paise"] = self._lines_and_amount(f, day)
        return shared

    def _sale(self, f: dict[str, str], occurred_at: str, day: date) -> RowPlan:
        method = payloads.sale_method(f["method"])
        name = self._name(f["customer"])
        data = payloads.sale_data(method, **self._shared(f, name, day))
        return RowPlan(SALE, occurred_at, name, data)

    def _payment(self, f: dict[str, str], occurred_at: str) -> RowPlan:
        method = payloads.payment_method(f["method"])
        name = self._name(f["customer"])
        if not f["amount"]:
            raise InputError(tr("a payment needs an amount; fill the amount column"))
        amount = parse_amount(f["amount"])
        data = payloads.payment_data(amount, method=method, **self._shared(f, name))
        return RowPlan(PAYMENT, occurred_at, name, data)

    def _return(self, f: dict[str, str], occurred_at: str, day: date) -> RowPlan:
        name = self._name(f["customer"])
        settled_to = payloads.settlement(f["method"], has_customer=name is not None)
        data = payloads.return_data(settled_to, **self._shared(f, name, day))
        return RowPlan(RETURN, occurred_at, name, data)

    def _opening(self, f: dict[str, str], occurred_at: str) -> RowPlan:
        name = self._name(f["customer"])
        if not f["amount"]:
            raise InputError(tr("opening dues need an amount (negative for an advance)"))
        amount = parse_signed_amount(f["amount"])
        data = payloads.opening_data(amount, has_customer=name is not None)
        return RowPlan(OPENING_BALANCE, occurred_at, name, data)

    def _void(self, f: dict[str, str]) -> RowPlan:
        target = f["reference"].lstrip("#")
        if not target.isdigit():
            raise InputError(
                tr(
                    "a void needs the entry no. to void in the reference column, not {target!r}"
                ).format(target=target)
            )
        data = payloads.void_data(int(target), f["note"] or "voided by import")
        return RowPlan(VOID, None, None, data)

    def items(self, text: str, day) -> list[dict]:
        """`NAME:QTY:PRICE[:GST[:HSN]]` joined by `;` -> stored sale lines."""
        lines = []
        for spec in (part.strip() for part in text.split(";")):
            if not spec:
                continue
            parts = [part.strip() for part in spec.split(":")]
            if not 3 <= len(parts) <= 5 or not parts[0]:
                raise InputError(
                    tr(
                        "item {spec!r} is not NAME:QTY:PRICE[:GST[:HSN]]; e.g. atta:2:250 or atta:2:250:5:1101, items joined by ';'"
                    ).format(spec=spec)
                )
            name = " ".join(parts[0].split())
            known = self.catalog.item_in_force(name, day)
            unit = known.unit if known else ""
            hsn = parts[4] if len(parts) == 5 else ""
            if len(parts) >= 4 and parts[3]:
                gst = parts[3]
            elif known:
                gst, hsn = known.gst_rate, hsn or known.hsn
            else:
                gst = self.catalog.default_gst_rate(day)
            lines.append(self._line(name, parts[1], parts[2], gst, hsn, unit))
        return lines

    def _line(self, name: str, qty: str, price: str, gst: str, hsn: str, unit: str) -> dict:
        key = (name, qty, price, gst, hsn, unit)
        line = self._lines.get(key)
        if line is None:
            price_paise = parse_amount(price, what=f"price of {name}")
            line = payloads.item_line(name, qty, price_paise, gst, hsn, unit)
            _remember(self._lines, key, line)
        return line  # shared by the rows that repeat it: payloads are never changed


def _remember(memo: dict, key, value) -> None:
    if len(memo) >= MEMO_SIZE:
        memo.clear()  # a file with this many different values gains little from memoising
    memo[key] = value


class RowRules:
    """Records one CSV row into the ledger (inside the import's transaction), creating its
    customer on first use."""

    def __init__(self, ledger: Ledger, planner: RowPlanner, *, new_customers: bool = False):
        self.ledger = ledger
        self.conn = ledger.conn
        self.planner = planner
        self.new_customers = new_customers  # accept names that look like known customers
        self.confirmed: ledger_checks.ConfirmedDues | None = None  # kept by the importer

    def record(
        self, f: dict[str, str], import_key: tuple[bytes, bytes] | None = None
    ) -> tuple[int, str | None]:
        """Append the row's event, carrying the row's `import_key` digests (key, content) when
        given; (its seq, the name of a customer it created or None)."""
        plan = self.planner.plan(f)
        if plan.type == VOID:
            target, reason = plan.data["target"], plan.data["reason"]
            void = recording.record_void(
                self.ledger, target, reason, import_key=import_key, confirmed=self.confirmed
            )
            return void.event.seq, None
        closed_periods.check_entry(self.conn, plan.type, plan.occurred_at, plan.data)
        who, new = self.customer(plan.customer, plan.occurred_at)
        row = customers.find_exact(self.conn, who) if who else None
        ledger_checks.check_confirmed(self.ledger, row, plan.type, plan.occurred_at, plan.data)
        references.check_reference(self.ledger, plan.type, plan.data)
        data = plan.data if import_key is None else import_keys.keyed(plan.data, *import_key)
        with self.ledger.write():
            data = invoices.stamped(self.ledger, plan.type, plan.occurred_at, data)
            event = self.ledger.append(Draft(plan.type, plan.occurred_at, who, data))
        return event.seq, new

    def customer(self, name: str | None, occurred_at: str) -> tuple[str | None, str | None]:
        """(name to record with, name if newly created) — exact match, else created."""
        if name is None:
            return None, None
        row = self.conn.execute(
            "SELECT c.name FROM customer_names n JOIN customers c ON c.id = n.customer_id"
            " WHERE n.name_lower = ?",
            (name.lower(),),
        ).fetchone()
        if row:
            return row[0], None
        if not self.new_customers:
            ledger_checks.check_newcomer(self.ledger, name)
        recording.add_customer(self.ledger, name, occurred_at=occurred_at)
        return name, name


def parse_date(text: str, *, now: datetime | None = None) -> str:
    """The date column -> occurred_at. Bare dates stay bare; exported timestamps keep time."""
    if not text:
        raise InputError(tr("date is empty; give e.g. 2024-08-12 or '2024-08-12 10:15'"))
    if _ISO_WITH_OFFSET.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InputError(
                tr("date {text!r} is not a real date or time").format(text=text)
            ) from None
        return dates.occurred_at_of(moment, now=now)
    return dates.parse_occurred_at(text, what="date", now=now)
