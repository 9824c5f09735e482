"""The rules of one CSV row (SPEC §5): type aliases, methods per type, items, customers.

`RowRules.record(fields)` validates a row's fields and records it through kirana.recording, so
the rules are exactly those of the single-entry commands; it returns the appended event's seq
and the name of a customer it created on first use (or None). Raises a KiranaError with a
one-line reason for a bad row (the caller adds `line N:`).
"""

from __future__ import annotations

import re
from datetime import datetime

from kirana import catalog, customers, dates, recording
from kirana.errors import InputError
from kirana.events import PAYMENT_METHODS, RETURN_SETTLEMENTS, SALE_METHODS
from kirana.money import parse_amount, parse_signed_amount
from kirana.store import Ledger

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


class RowRules:
    """Records one parsed CSV row into the ledger (inside the import's transaction)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.conn = ledger.conn

    def record(self, f: dict[str, str]) -> tuple[int, str | None]:
        raw_type = f["type"]
        if not raw_type:
            raise InputError("type is empty; use sale, payment, return, opening or void")
        kind = TYPE_ALIASES.get(raw_type.lower())
        if kind is None:
            raise InputError(
                f"type {raw_type!r} is unknown; use sale, payment, return, opening or void"
            )
        if f["items"] and kind not in ("sale", "return"):
            raise InputError(f"a {kind} has no items; leave the items column empty")
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
        """Parsed items and amount; whether they agree is recording's rule (one place)."""
        lines = parse_items(self.conn, f["items"], dates.business_date(occurred_at))
        amount = parse_amount(f["amount"]) if f["amount"] else None
        if not lines and amount is None:
            raise InputError("amount is empty and there are no items; give one of them")
        return lines or None, amount

    def _sale(self, f: dict[str, str], occurred_at: str) -> tuple[int, str | None]:
        method = {"khata": "credit", "udhaar": "credit"}.get(
            f["method"].lower(), f["method"].lower()
        )
        if not method:
            raise InputError("method is empty; a sale needs cash, upi, card or credit")
        if method not in SALE_METHODS:
            raise InputError(
                f"sale method {f['method']!r} is unknown; use {', '.join(SALE_METHODS)}"
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
        if method not in PAYMENT_METHODS:
            raise InputError(
                f"payment method {f['method']!r} is unknown; use {', '.join(PAYMENT_METHODS)}"
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
        if settlement not in RETURN_SETTLEMENTS:
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
            gst = catalog.default_gst_rate(conn, day)
            hsn = parts[4] if len(parts) == 5 else ""
        lines.append(recording.item_line(name, qty, price, gst, hsn, unit))
    return lines
