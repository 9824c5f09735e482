"""A payload that arrives whole (the JSONL import): it must be exactly what the builder of its
event type (kirana.rules.payloads) gives back from the payload's own fields, so an unknown
field, a wrong total or a method the commands would refuse is refused the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from kirana import import_keys, invoices
from kirana.catalog import GST_RATES, line_total, make_line, parse_hsn
from kirana.errors import InputError
from kirana.events import (
    BALANCE_CONFIRMED,
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    CUSTOMERS_MERGED,
    ITEM_PRICED,
    OPENING_BALANCE,
    PAYMENT,
    RETURN,
    SALE,
    SHOP_CONFIGURED,
    VOID,
)
from kirana.i18n import marked, tr
from kirana.rules import payloads


def stored_line(line: object) -> dict:
    """A stored item line, rebuilt from its own fields: qty × price must give its total."""
    try:
        qty, price = line["qty"], line["unit_price_paise"]  # type: ignore[index]
        rebuilt = make_line(
            line["name"],  # type: ignore[index]
            qty,
            payloads.whole_paise(price, marked("unit price")),
            payloads.one_of(line["gst_rate"], GST_RATES, marked("GST rate")),  # type: ignore[index]
            parse_hsn(line["hsn"]),  # type: ignore[index]
            line["unit"],  # type: ignore[index]
        )
        ok = Decimal(qty) > 0 and rebuilt == line
        ok = ok and rebuilt["total_paise"] == line_total(qty, price)
    except (KeyError, TypeError, ArithmeticError, ValueError, InputError):
        ok = False
    if not ok:
        raise InputError(
            tr("item line {line!r} is not qty × price = total in paise").format(line=line)
        )
    return rebuilt


def _rebuild_stored(kind: str, customer: str | None, data: dict) -> dict:
    has_customer = customer is not None
    items = [stored_line(line) for line in data["items"]] if "items" in data else None
    get = data.get
    builders: dict[str, Callable[[], dict]] = {
        SALE: lambda: payloads.sale_data(
            get("method"),
            has_customer=has_customer,
            lines=items,
            amount_paise=payloads.whole_paise(get("amount_paise"), marked("amount")),
            reference=get("reference"),
            note=get("note"),
            duplicate_ref=get("duplicate_ref", False),
            voucher=get(invoices.FIELD),
        ),
        PAYMENT: lambda: payloads.payment_data(
            get("amount_paise"),
            has_customer=has_customer,
            method=get("method"),
            reference=get("reference"),
            note=get("note"),
            duplicate_ref=get("duplicate_ref", False),
        ),
        RETURN: lambda: payloads.return_data(
            get("settlement"),
            has_customer=has_customer,
            lines=items,
            amount_paise=payloads.whole_paise(get("amount_paise"), marked("amount")),
            against=get("against"),
            reference=get("reference"),
            note=get("note"),
            voucher=get(invoices.FIELD),
        ),
        OPENING_BALANCE: lambda: payloads.opening_data(
            payloads.whole_paise(get("amount_paise"), marked("opening dues"), signed=True),
            has_customer=has_customer,
        ),
        VOID: lambda: payloads.void_data(get("target"), get("reason")),
        CUSTOMERS_MERGED: lambda: payloads.merge_data(get("from"), get("reason")),
        BALANCE_CONFIRMED: lambda: payloads.confirmation_data(
            get("amount_paise"), has_customer=has_customer
        ),
        CUSTOMER_ADDED: lambda: payloads.customer_data(
            get("phone"), get("credit_limit_paise"), get("gstin")
        ),
        CUSTOMER_UPDATED: lambda: payloads.customer_update_data(
            get("name"), get("phone"), get("credit_limit_paise"), get("gstin"), get("upi_ids")
        ),
        ITEM_PRICED: lambda: payloads.item_data(
            get("name"),
            price_paise=get("price_paise"),
            gst=payloads.one_of(get("gst_rate"), GST_RATES, marked("GST rate")),
            hsn=get("hsn"),
            unit=get("unit"),
            effective_from=get("effective_from"),
        ),
        SHOP_CONFIGURED: lambda: payloads.shop_data(
            {key: value for key, value in data.items() if key != "effective_from"},
            get("effective_from"),
        ),
    }
    if kind not in builders:
        raise InputError(tr("event type {kind!r} is unknown").format(kind=kind))
    return builders[kind]()


def check_stored(kind: str, customer: str | None, data: object) -> None:
    """Raise unless `data` is exactly the payload the builder of `kind` gives from its fields:
    the one check for events that arrive whole (the JSONL import)."""
    if not isinstance(data, dict):
        raise InputError(
            tr("a {kind}'s data must be an object, not {data!r}").format(kind=kind, data=data)
        )
    if kind in (SALE, RETURN) and "items" in data and not isinstance(data["items"], list):
        raise InputError(tr("a {kind}'s items must be a list of item lines").format(kind=kind))
    data, _ = import_keys.split_off(kind, data)
    rebuilt = _rebuild_stored(kind, customer, data)
    if rebuilt != data:
        odd = sorted(set(data) ^ set(rebuilt)) or sorted(
            key for key in data if data[key] != rebuilt.get(key)
        )
        raise InputError(
            tr("a {kind}'s data is not what kirana records (check {map})").format(
                kind=kind, map=", ".join(map(str, odd))
            )
        )
