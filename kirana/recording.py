"""Recording what happened: validate a shopkeeper's request against the ledger, then append.

Each function takes already-parsed values (paise, occurred_at strings, canonical rates), checks
the ledger rules, and appends one event inside a write transaction. Nothing is appended when a
rule fails: the function raises a KiranaError before `append`. The CLI and the importers share
these functions, so a rule lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kirana import customers, dates, queries
from kirana.catalog import make_line, parse_gst_rate, parse_hsn, parse_qty
from kirana.errors import InputError, NotFoundError, RuleError
from kirana.events import (
    BALANCE_CONFIRMED,
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    GST_SCHEMES,
    ITEM_PRICED,
    OPENING_BALANCE,
    PAYMENT,
    PAYMENT_METHODS,
    RETURN,
    RETURN_SETTLEMENTS,
    SALE,
    SALE_METHODS,
    SHOP_CONFIGURED,
    VOID,
    Event,
)
from kirana.money import format_rupees
from kirana.store import Draft, Ledger

VOIDABLE = (SALE, PAYMENT, RETURN, OPENING_BALANCE, BALANCE_CONFIRMED)
MAX_TEXT = 200


@dataclass
class Recorded:
    """What a write command reports back: the event, whose dues, the new dues, any warnings."""

    event: Event
    customer: str | None = None
    dues_paise: int | None = None
    warnings: list[str] = field(default_factory=list)


def _text(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise InputError(f"{what} is longer than {MAX_TEXT} characters; shorten it")
    return value or None


def _extras(reference: str | None, note: str | None) -> dict:
    extras = {"reference": _text(reference, "reference"), "note": _text(note, "note")}
    return {key: value for key, value in extras.items() if value is not None}


def _done(ledger: Ledger, event: Event, row: customers.CustomerRow | None) -> Recorded:
    """What to tell the user: the customer (by the name they have now) and their new dues."""
    if row is None:
        return Recorded(event)
    name = event.data.get("name", row.name) if event.type == CUSTOMER_UPDATED else row.name
    return Recorded(event, name, queries.current_balance(ledger.conn, row.id))


def add_customer(
    ledger: Ledger,
    name: str,
    phone: str | None = None,
    limit_paise: int | None = None,
    occurred_at: str | None = None,
) -> Recorded:
    name = customers.clean_name(name)
    data = {}
    if phone:
        data["phone"] = clean_phone(phone)
    if limit_paise is not None:
        data["credit_limit_paise"] = limit_paise
    with ledger.write():
        customers.ensure_name_free(ledger.conn, name)
        event = ledger.append(
            Draft(CUSTOMER_ADDED, occurred_at or dates.parse_occurred_at(None), name, data)
        )
    return Recorded(event, name, 0)


def update_customer(
    ledger: Ledger,
    who: str,
    new_name: str | None = None,
    phone: str | None = None,
    limit_paise: int | None = None,
) -> Recorded:
    data: dict = {}
    with ledger.write():
        row = customers.find(ledger.conn, who)
        if new_name is not None:
            new_name = customers.clean_name(new_name)
            if new_name.lower() != row.name.lower():
                customers.ensure_name_free(ledger.conn, new_name, allow_id=row.id)
            data["name"] = new_name
        if phone is not None:
            data["phone"] = clean_phone(phone)
        if limit_paise is not None:
            data["credit_limit_paise"] = limit_paise
        if not data:
            raise InputError("nothing to change; give --name, --phone or --limit")
        event = ledger.append(
            Draft(CUSTOMER_UPDATED, dates.parse_occurred_at(None), row.name, data)
        )
        return _done(ledger, event, row)


def clean_phone(phone: str) -> str:
    """An Indian mobile as 91XXXXXXXXXX (what wa.me links need): accepts 98765 43210,
    09876543210, +91-98765-43210."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if any(ch not in "0123456789+- ()" for ch in phone):
        digits = ""
    if len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) == 10:
        return "91" + digits
    if len(digits) == 12 and digits.startswith("91"):
        return digits
    raise InputError(f"phone {phone!r} is not a phone number; type 10 digits, e.g. 9876543210")


def sale_total(lines: list[dict] | None, amount_paise: int | None) -> int:
    if lines:
        total = sum(line["total_paise"] for line in lines)
        if amount_paise is not None and amount_paise != total:
            raise InputError(
                f"items add up to {format_rupees(total)} but the amount given is "
                f"{format_rupees(amount_paise)}; fix one of them or leave the amount out"
            )
    elif amount_paise is None:
        raise InputError("give items (e.g. atta:2@250) or --amount A")
    else:
        total = amount_paise
    if total <= 0:
        raise InputError("the total is ₹0.00; check the quantities and prices")
    return total


def sale_data(
    method: str,
    *,
    has_customer: bool,
    lines: list[dict] | None = None,
    amount_paise: int | None = None,
    reference: str | None = None,
    note: str | None = None,
) -> dict:
    """A sale's payload from parsed values: the rules that need no ledger (CLI and import)."""
    if method not in SALE_METHODS:
        raise InputError(f"sale method {method!r} is unknown; use one of {', '.join(SALE_METHODS)}")
    total = sale_total(lines, amount_paise)
    if method == "credit" and not has_customer:
        raise InputError(
            "a credit (udhaar) sale needs a customer; e.g. kirana sale 'Priya' ... --credit"
        )
    data = {"method": method, "amount_paise": total, **_extras(reference, note)}
    if lines:
        data["items"] = lines
    return data


def record_sale(
    ledger: Ledger,
    who: str | None,
    *,
    method: str,
    occurred_at: str,
    lines: list[dict] | None = None,
    amount_paise: int | None = None,
    reference: str | None = None,
    note: str | None = None,
) -> Recorded:
    data = sale_data(
        method,
        has_customer=bool(who),
        lines=lines,
        amount_paise=amount_paise,
        reference=reference,
        note=note,
    )
    with ledger.write():
        row = customers.find(ledger.conn, who) if who else None
        event = ledger.append(Draft(SALE, occurred_at, row.name if row else None, data))
        recorded = _done(ledger, event, row)
        limit = row.credit_limit_paise if row and method == "credit" else None
        if limit is not None and recorded.dues_paise > limit:
            recorded.warnings.append(
                f"{row.name}'s dues {format_rupees(recorded.dues_paise)} are over their "
                f"credit limit of {format_rupees(limit)}"
            )
        return recorded


def payment_data(
    amount_paise: int,
    *,
    method: str = "cash",
    reference: str | None = None,
    note: str | None = None,
) -> dict:
    """A payment's payload from parsed values (no ledger needed)."""
    if method not in PAYMENT_METHODS:
        raise InputError(
            f"payment method {method!r} is unknown; use one of {', '.join(PAYMENT_METHODS)}"
        )
    return {"method": method, "amount_paise": amount_paise, **_extras(reference, note)}


def record_payment(
    ledger: Ledger,
    who: str,
    amount_paise: int,
    *,
    method: str = "cash",
    occurred_at: str,
    reference: str | None = None,
    note: str | None = None,
) -> Recorded:
    data = payment_data(amount_paise, method=method, reference=reference, note=note)
    with ledger.write():
        row = customers.find(ledger.conn, who)
        event = ledger.append(Draft(PAYMENT, occurred_at, row.name, data))
        return _done(ledger, event, row)


def return_data(
    settlement: str,
    *,
    lines: list[dict] | None = None,
    amount_paise: int | None = None,
    reference: str | None = None,
    note: str | None = None,
) -> dict:
    """A return's payload from parsed values (no ledger needed; `against` is added later)."""
    if settlement not in RETURN_SETTLEMENTS:
        raise InputError(
            f"return settlement {settlement!r} is unknown; use one of {', '.join(RETURN_SETTLEMENTS)}"
        )
    total = sale_total(lines, amount_paise)
    data = {"settlement": settlement, "amount_paise": total, **_extras(reference, note)}
    if lines:
        data["items"] = lines
    return data


def record_return(
    ledger: Ledger,
    who: str | None,
    *,
    settlement: str,
    occurred_at: str,
    lines: list[dict] | None = None,
    amount_paise: int | None = None,
    against: int | None = None,
    reference: str | None = None,
    note: str | None = None,
) -> Recorded:
    data = return_data(
        settlement, lines=lines, amount_paise=amount_paise, reference=reference, note=note
    )
    total = data["amount_paise"]
    with ledger.write():
        row = customers.find(ledger.conn, who) if who else None
        if against is not None:
            sale = check_return_against(ledger, against, row, total, occurred_at)
            data["against"] = against
            if row is None and sale.customer:
                row = customers.find(ledger.conn, sale.customer)
        if settlement == "khata" and row is None:
            raise InputError("a return to khata needs a customer; name one, or use --to cash")
        event = ledger.append(Draft(RETURN, occurred_at, row.name if row else None, data))
        return _done(ledger, event, row)


def check_return_against(ledger: Ledger, seq: int, row, total: int, occurred_at: str) -> Event:
    sale = ledger.get(seq)
    if sale is None or sale.type != SALE:
        raise NotFoundError(f"entry {seq} is not a sale; give --against the entry no. of the sale")
    if queries.voided_by(ledger.conn, seq):
        raise RuleError(f"sale {seq} was voided; a return cannot be made against it")
    if (
        row is not None
        and sale.customer
        and customers.find(ledger.conn, sale.customer).id != row.id
    ):
        raise InputError(f"sale {seq} was to '{sale.customer}', not '{row.name}'")
    returned_key, sold_key = dates.order_key(occurred_at), dates.order_key(sale.occurred_at)
    if len(returned_key) == 10 or len(sold_key) == 10:  # a bare date: compare days
        returned_key, sold_key = returned_key[:10], sold_key[:10]
    if returned_key < sold_key:
        raise InputError(
            f"the return is dated {occurred_at[:10]}, before sale {seq} on "
            f"{sale.occurred_at[:10]}; check --on"
        )
    returned = queries.returned_against(ledger, seq)
    if returned + total > sale.amount_paise:
        raise RuleError(
            f"sale {seq} was {format_rupees(sale.amount_paise)} and "
            f"{format_rupees(returned)} is already returned; this return of "
            f"{format_rupees(total)} is too much"
        )
    return sale


def opening_data(amount_paise: int) -> dict:
    """Opening dues from the paper khata (negative = an advance); zero needs no entry."""
    if amount_paise == 0:
        raise InputError("opening dues of zero need no entry; give the amount from the paper khata")
    return {"amount_paise": amount_paise}


def record_opening(ledger: Ledger, who: str, amount_paise: int, *, occurred_at: str) -> Recorded:
    data = opening_data(amount_paise)
    with ledger.write():
        row = customers.find(ledger.conn, who)
        event = ledger.append(Draft(OPENING_BALANCE, occurred_at, row.name, data))
        return _done(ledger, event, row)


def record_void(ledger: Ledger, seq: int, reason: str) -> Recorded:
    reason = _text(reason, "reason")
    if not reason:
        raise InputError("say why the entry is voided: --reason 'typed wrong amount'")
    with ledger.write():
        target = check_void_target(ledger, seq)
        data = {"target": seq, "reason": reason}
        event = ledger.append(Draft(VOID, dates.parse_occurred_at(None), target.customer, data))
        row = customers.find(ledger.conn, target.customer) if target.customer else None
        return _done(ledger, event, row)


def check_void_target(ledger: Ledger, seq: int) -> Event:
    """The entry a void may remove: it exists, is voidable, and nothing depends on it."""
    target = ledger.get(seq) if isinstance(seq, int) else None
    if target is None:
        head = ledger.head()["seq"]
        raise NotFoundError(
            f"there is no entry {seq}; entries run from 1 to {head} (see kirana log)"
        )
    if target.type == VOID:
        raise RuleError(f"entry {seq} is itself a void; record the entry again instead")
    if target.type not in VOIDABLE:
        raise RuleError(
            f"entry {seq} is a {target.type}, which cannot be voided; "
            "correct it with a new entry (e.g. kirana customer update)"
        )
    already = queries.voided_by(ledger.conn, seq)
    if already:
        raise RuleError(f"entry {seq} was already voided by entry {already}")
    returns = queries.live_returns_against(ledger.conn, seq)
    if returns:
        listed = ", ".join(f"#{r}" for r in returns)
        raise RuleError(
            f"sale {seq} has returns against it ({listed}); void those first, then the sale"
        )
    return target


def record_confirmation(
    ledger: Ledger, who: str, amount_paise: int, *, occurred_at: str
) -> Recorded:
    with ledger.write():
        row = customers.find(ledger.conn, who)
        check_confirmation(ledger, row, amount_paise, occurred_at)
        data = {"amount_paise": amount_paise}
        event = ledger.append(Draft(BALANCE_CONFIRMED, occurred_at, row.name, data))
        return _done(ledger, event, row)


def check_confirmation(ledger: Ledger, row, amount_paise: int, occurred_at: str) -> None:
    """A customer can only confirm the dues the ledger gives at that moment."""
    key = dates.order_key(occurred_at)
    bound = key + dates.END_OF_DAY if len(key) == 10 else key
    actual = queries.balance(ledger.conn, row.id, as_of=bound)
    if actual != amount_paise:
        raise RuleError(
            f"{row.name}'s dues on {occurred_at} are {format_rupees(actual)} in the ledger, "
            f"not {format_rupees(amount_paise)}; record the missing entry first "
            f"(see kirana statement '{row.name}')"
        )


def set_item(
    ledger: Ledger,
    name: str,
    *,
    price_paise: int,
    gst: str,
    hsn: str | None = None,
    unit: str | None = None,
    effective_from: str | None = None,
) -> Recorded:
    clean = " ".join((name or "").split())
    if not clean or any(ch in clean for ch in ":@;"):
        raise InputError(f"item name {name!r} must be plain text without ':', '@' or ';'")
    data = {
        "name": clean,
        "price_paise": price_paise,
        "gst_rate": parse_gst_rate(gst),
        "hsn": parse_hsn(hsn),
        "unit": (unit or "pcs").strip(),
        "effective_from": effective_from or dates.today().isoformat(),
    }
    with ledger.write():
        event = ledger.append(Draft(ITEM_PRICED, data["effective_from"], None, data))
    return Recorded(event)


def set_shop(ledger: Ledger, settings: dict, effective_from: str | None = None) -> Recorded:
    fields = {key: value for key, value in settings.items() if value is not None}
    if not fields:
        raise InputError("nothing to set; give --name, --gstin, --state, --scheme or --default-gst")
    if "scheme" in fields and fields["scheme"] not in GST_SCHEMES:
        raise InputError(
            f"GST scheme {fields['scheme']!r} is unknown; use {', '.join(GST_SCHEMES)}"
        )
    if "default_gst_rate" in fields:
        fields["default_gst_rate"] = parse_gst_rate(fields["default_gst_rate"])
    if "gstin" in fields:
        fields["gstin"] = check_gstin(fields["gstin"])
    data = {**fields, "effective_from": effective_from or dates.today().isoformat()}
    with ledger.write():
        event = ledger.append(Draft(SHOP_CONFIGURED, data["effective_from"], None, data))
    return Recorded(event)


def check_gstin(text: str) -> str:
    import re

    gstin = text.strip().upper()
    if not re.fullmatch(r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]", gstin):
        raise InputError(f"GSTIN {text!r} is not 15 characters like 27ABCDE1234F1Z5")
    return gstin


def item_line(name: str, qty: str, price_paise: int, gst: str, hsn: str = "", unit: str = ""):
    """A sale line from already-split fields (the CSV importer's items column)."""
    return make_line(name, parse_qty(qty), price_paise, parse_gst_rate(gst), parse_hsn(hsn), unit)
