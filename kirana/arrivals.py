"""The ledger's rules for events that arrive whole (JSONL import), not typed as commands.

A hash proves an event was not edited after it was hashed, not that it is sensible: anyone can
compute one. So an imported event must pass the same rules as `kirana/recording.py` applies to
the commands that create it (the shared checks live there; this module maps each event type
to them). Raises a KiranaError naming what is wrong.
"""

from __future__ import annotations

from decimal import Decimal

from kirana import customers, dates, recording
from kirana.catalog import GST_RATES, line_total, parse_hsn
from kirana.errors import InputError
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
from kirana.money import MAX_PAISE
from kirana.store import Ledger


def check_event(ledger: Ledger, event: Event) -> None:
    """Raise unless `event` is one that the ledger's own commands could have recorded."""
    scheduled = event.type in (ITEM_PRICED, SHOP_CONFIGURED)  # may take effect later
    dates.check_stored_occurred_at(event.occurred_at, allow_future=scheduled)
    dates.check_stored_recorded_at(event.recorded_at, not_after_now=True)
    _check_customer(ledger, event)
    data = event.data
    if event.type in (SALE, RETURN):
        _check_sale_or_return(ledger, event)
    elif event.type == PAYMENT:
        _one_of(data.get("method"), PAYMENT_METHODS, "payment method")
        _paise(data.get("amount_paise"), "payment amount")
        _needs_customer(event)
    elif event.type == OPENING_BALANCE:
        _paise(data.get("amount_paise"), "opening dues", signed=True)
        _needs_customer(event)
    elif event.type == BALANCE_CONFIRMED:
        _needs_customer(event)
        amount = _paise(data.get("amount_paise"), "confirmed dues", signed=True, zero=True)
        row = customers.find(ledger.conn, event.customer)
        recording.check_confirmation(ledger, row, amount, event.occurred_at)
    elif event.type == VOID:
        target = recording.check_void_target(ledger, data.get("target"))
        if (target.customer or None) != (event.customer or None):
            raise InputError(f"a void names '{event.customer}' but entry {target.seq} does not")
    elif event.type == ITEM_PRICED:
        _paise(data.get("price_paise"), "item price")
        _one_of(data.get("gst_rate"), GST_RATES, "GST rate")
        parse_hsn(data.get("hsn"))
        _effective_from(event)
    elif event.type == SHOP_CONFIGURED:
        _check_shop(event)


def _check_customer(ledger: Ledger, event: Event) -> None:
    """New customers have clean, free names; every other event names a known customer."""
    if event.type == CUSTOMER_ADDED:
        _needs_customer(event)
        if customers.clean_name(event.customer) != event.customer:
            raise InputError(f"customer name {event.customer!r} is not a clean name")
        customers.ensure_name_free(ledger.conn, event.customer)
        return
    if event.customer is None:
        return
    row = customers.find_exact(ledger.conn, event.customer)
    if row is None:
        raise InputError(
            f"customer '{event.customer}' is not in the ledger; the file must include "
            "their customer_added entry before this one"
        )
    if event.type == CUSTOMER_UPDATED:
        changes = event.data
        if not changes or set(changes) - {"name", "phone", "credit_limit_paise"}:
            raise InputError(f"customer_updated data {changes!r} changes nothing kirana knows")
        if "name" in changes:
            name = changes["name"]
            if not isinstance(name, str) or customers.clean_name(name) != name:
                raise InputError(f"new customer name {name!r} is not a clean name")
            if name.lower() != row.name.lower():
                customers.ensure_name_free(ledger.conn, name, allow_id=row.id)
        if "phone" in changes and recording.clean_phone(str(changes["phone"])) != changes["phone"]:
            raise InputError(f"phone {changes['phone']!r} is not stored as 91XXXXXXXXXX")
        if "credit_limit_paise" in changes:
            _paise(changes["credit_limit_paise"], "credit limit")


def _check_shop(event: Event) -> None:
    data = event.data
    _effective_from(event)
    if "scheme" in data:
        _one_of(data["scheme"], GST_SCHEMES, "GST scheme")
    if "default_gst_rate" in data:
        _one_of(data["default_gst_rate"], GST_RATES, "default GST rate")
    if "gstin" in data and recording.check_gstin(str(data["gstin"])) != data["gstin"]:
        raise InputError(f"GSTIN {data['gstin']!r} is not a GSTIN")


def _effective_from(event: Event) -> None:
    """Catalog and shop settings take effect on a bare date, which is their occurred_at."""
    if event.data.get("effective_from") != event.occurred_at or len(event.occurred_at) != 10:
        raise InputError(f"effective_from {event.data.get('effective_from')!r} is not its date")


def _check_sale_or_return(ledger: Ledger, event: Event) -> None:
    data = event.data
    if event.type == SALE:
        _one_of(data.get("method"), SALE_METHODS, "sale method")
        if data["method"] == "credit":
            _needs_customer(event)
    else:
        _one_of(data.get("settlement"), RETURN_SETTLEMENTS, "return settlement")
        if data["settlement"] == "khata":
            _needs_customer(event)
    lines = data.get("items")
    for line in lines or []:
        _check_line(line)
    total = recording.sale_total(lines, _paise(data.get("amount_paise"), "amount"))
    if event.type == RETURN and "against" in data:
        row = customers.find(ledger.conn, event.customer) if event.customer else None
        recording.check_return_against(ledger, data["against"], row, total, event.occurred_at)


def _check_line(line: dict) -> None:
    try:
        qty, price, total = line["qty"], line["unit_price_paise"], line["total_paise"]
        _one_of(line["gst_rate"], GST_RATES, "GST rate")
        ok = Decimal(qty) > 0 and isinstance(price, int) and line_total(qty, price) == total
    except (KeyError, TypeError, ArithmeticError, ValueError):
        ok = False
    if not ok:
        raise InputError(f"item line {line!r} is not qty × price = total in paise")


def _needs_customer(event: Event) -> None:
    if not event.customer:
        raise InputError(f"a {event.type} needs a customer")


def _one_of(value: object, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InputError(f"{what} {value!r} is not one of {', '.join(allowed)}")


def _paise(value: object, what: str, *, signed: bool = False, zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{what} must be whole paise, not {value!r}")
    if abs(value) > MAX_PAISE or (value < 0 and not signed) or (value == 0 and not zero):
        raise InputError(f"{what} of {value} paise is out of range")
    return value
