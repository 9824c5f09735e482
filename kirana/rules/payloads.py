"""Each event type's payload rules, in one place: what a payload may hold and how it is built.

One builder per event type takes parsed values (paise, canonical rates, names) and returns the
payload that is stored, or raises an InputError that says what is wrong. The commands, the CSV
import and the JSONL import all build or check payloads here:
- commands and CSV rows parse their words or cells, then call the builder;
- an event arriving whole (JSONL) is checked by kirana.rules.stored_payloads.check_stored: its
  payload must be exactly what the builder gives back from the payload's own fields, so an
  unknown field, a wrong total or a method the commands would refuse is refused the same way.
Rules that need the ledger (customers, the sale a return is against, limits) are in
kirana.rules.ledger_checks.
"""

from __future__ import annotations

from kirana import catalog, invoices, names
from kirana.catalog import GST_RATES, make_line, parse_gst_rate, parse_hsn, parse_qty
from kirana.errors import InputError
from kirana.events import (
    GST_SCHEMES,
    PAYMENT,
    PAYMENT_METHODS,
    RETURN,
    RETURN_SETTLEMENTS,
    SALE,
    SALE_METHODS,
    reference_key,
    strict_rules,
)
from kirana.i18n import marked, tr
from kirana.money import MAX_PAISE, format_rupees
from kirana.rules.identifiers import check_gstin, check_shop_agrees, check_upi_id, clean_phone

MAX_TEXT = 200
SALE_METHOD_ALIASES = {"khata": "credit", "udhaar": "credit"}
SETTLEMENT_ALIASES = {"credit": "khata", "udhaar": "khata"}
SHOP_FIELDS = (
    "name",
    "gstin",
    "state",
    "scheme",
    "default_gst_rate",
    "tally_ledgers",
    "upi_id",
    "language",
)
TALLY_KEYS = ("cash", "upi", "card", "bank", "roundoff", "opening")
TALLY_RATED = ("sales", "cgst", "sgst")


# ---- small values ------------------------------------------------------------------------------
def text(value: str | None, what: str) -> str | None:
    """Free text (a reference, a note, a reason): trimmed, bounded; empty means none."""
    if value is not None and not isinstance(value, str):
        raise InputError(
            tr("{what} must be text, not {value!r}").format(what=tr(what), value=value)
        )
    return names.clean_text(value, what, MAX_TEXT)


def extras(reference: str | None, note: str | None) -> dict:
    """The optional reference and note of an entry (left out when empty)."""
    found = {"reference": text(reference, "reference"), "note": text(note, "note")}
    return {key: value for key, value in found.items() if value is not None}


def whole_paise(value: object, what: str, *, signed: bool = False, zero: bool = False) -> int:
    """An amount already in paise: an int within ±₹100 crore; negative or zero only if allowed."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(
            tr("{what} must be whole paise, not {value!r}").format(what=tr(what), value=value)
        )
    if abs(value) > MAX_PAISE or (value < 0 and not signed) or (value == 0 and not zero):
        raise InputError(
            tr("{what} of {value} paise is out of range").format(what=tr(what), value=value)
        )
    return value


def one_of(value: object, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise InputError(
            tr("{what} {value!r} is unknown; use one of {allowed}").format(
                what=tr(what), value=value, allowed=", ".join(allowed)
            )
        )
    return value  # type: ignore[return-value]


def sale_method(word: str | None) -> str:
    """A sale's method as typed (any case; khata/udhaar = credit)."""
    method = (word or "").strip().lower()
    if not method:
        raise InputError(tr("a sale needs a method: cash, upi, card or credit"))
    return one_of(SALE_METHOD_ALIASES.get(method, method), SALE_METHODS, marked("sale method"))


def payment_method(word: str | None) -> str:
    """A payment's method as typed (any case; none = cash)."""
    method = (word or "").strip().lower() or "cash"
    return one_of(method, PAYMENT_METHODS, marked("payment method"))


def settlement(word: str | None, *, has_customer: bool) -> str:
    """How a return is settled, as typed (credit/udhaar = khata); none = khata for a customer,
    cash for a walk-in."""
    chosen = (word or "").strip().lower() or ("khata" if has_customer else "cash")
    return one_of(
        SETTLEMENT_ALIASES.get(chosen, chosen), RETURN_SETTLEMENTS, marked("return settlement")
    )


def item_line(name: str, qty: str, price_paise: int, gst: str, hsn: str = "", unit: str = ""):
    """A sale line from already-split fields (the CSV importer's items column)."""
    return make_line(name, parse_qty(qty), price_paise, parse_gst_rate(gst), parse_hsn(hsn), unit)


# ---- one builder per event type -------------------------------------------------------------
def sale_total(lines: list[dict] | None, amount_paise: int | None) -> int:
    """The total of items or a bare amount; when both are given they must agree."""
    if lines:
        total = sum(line["total_paise"] for line in lines)
        if amount_paise is not None and amount_paise != total:
            raise InputError(
                tr(
                    "items add up to {total} but the amount given is {amount}; fix one of them or leave the amount out"
                ).format(total=format_rupees(total), amount=format_rupees(amount_paise))
            )
    elif amount_paise is None:
        raise InputError(tr("give items (e.g. atta:2@250) or an amount"))
    else:
        total = amount_paise
    if total <= 0:
        raise InputError(tr("the total is ₹0.00; check the quantities and prices"))
    if total > MAX_PAISE and strict_rules():
        raise InputError(
            tr("the total {total} is more than {max}; check the quantities and prices").format(
                total=format_rupees(total), max=format_rupees(MAX_PAISE)
            )
        )
    return total


def sale_data(
    method: str,
    *,
    has_customer: bool,
    lines: list[dict] | None = None,
    amount_paise: int | None = None,
    reference: str | None = None,
    note: str | None = None,
    duplicate_ref: bool = False,
    voucher: str | None = None,
) -> dict:
    """A sale: a method, items or a bare amount; a credit sale names its customer. Its invoice
    number (`voucher`) is given by kirana.rules.invoices when it is appended."""
    one_of(method, SALE_METHODS, marked("sale method"))
    if method == "credit" and not has_customer:
        raise InputError(tr("a credit (udhaar) sale needs a customer: name who owes it"))
    data = {"method": method, **_goods(lines, amount_paise, reference, note)}
    return _with_voucher(SALE, _with_duplicate_ref(SALE, data, duplicate_ref), voucher)


def _with_voucher(kind: str, data: dict, voucher: str | None) -> dict:
    """A sale's invoice number or a return's credit note number, as kirana.invoices writes it."""
    if voucher is not None:
        series, _number = invoices.parse_number(voucher)
        if not series.startswith(invoices.prefix_for(kind) + "/"):
            raise InputError(
                tr("{voucher!r} is not a {kind}'s number").format(voucher=voucher, kind=kind)
            )
        data[invoices.FIELD] = voucher
    return data


def _with_duplicate_ref(kind: str, data: dict, duplicate_ref: bool) -> dict:
    """`--duplicate-ref`: recorded on purpose with a reference another entry already has."""
    if duplicate_ref is not False:
        if duplicate_ref is not True or reference_key(kind, data) is None:
            raise InputError(
                tr("--duplicate-ref is for a UPI, card, cheque or bank entry with a --ref")
            )
        data["duplicate_ref"] = True
    return data


def _goods(lines: list[dict] | None, amount_paise: int | None, reference, note) -> dict:
    """What a sale and a return share: the total, the reference and note, the item lines."""
    data = {"amount_paise": sale_total(lines, amount_paise), **extras(reference, note)}
    if lines:
        data["items"] = lines
    return data


def payment_data(
    amount_paise: int,
    *,
    has_customer: bool = True,
    method: str = "cash",
    reference: str | None = None,
    note: str | None = None,
    duplicate_ref: bool = False,
) -> dict:
    """A payment towards a customer's dues."""
    one_of(method, PAYMENT_METHODS, marked("payment method"))
    if not has_customer:
        raise InputError(tr("a payment needs a customer: name who paid"))
    amount = whole_paise(amount_paise, marked("payment amount"))
    data = {"method": method, "amount_paise": amount, **extras(reference, note)}
    return _with_duplicate_ref(PAYMENT, data, duplicate_ref)


def return_data(
    settled_to: str,
    *,
    has_customer: bool,
    lines: list[dict] | None = None,
    amount_paise: int | None = None,
    against: int | None = None,
    reference: str | None = None,
    note: str | None = None,
    voucher: str | None = None,
) -> dict:
    """Goods returned: items or an amount, settled to the khata (needs a customer) or refunded.
    Its credit note number (`voucher`) is given by kirana.rules.invoices when it is appended."""
    one_of(settled_to, RETURN_SETTLEMENTS, marked("return settlement"))
    if settled_to == "khata" and not has_customer:
        raise InputError(tr("a return to khata needs a customer: name one, or settle it in cash"))
    data = {"settlement": settled_to, **_goods(lines, amount_paise, reference, note)}
    if against is not None:
        data["against"] = against
    return _with_voucher(RETURN, data, voucher)


def opening_data(amount_paise: int, *, has_customer: bool = True) -> dict:
    """Opening dues from the paper khata (negative = an advance); zero needs no entry."""
    if not has_customer:
        raise InputError(tr("opening dues need a customer: name whose dues they are"))
    if amount_paise == 0:
        raise InputError(
            tr("opening dues of zero need no entry; give the amount from the paper khata")
        )
    return {"amount_paise": whole_paise(amount_paise, marked("opening dues"), signed=True)}


def void_data(target: object, reason: str | None) -> dict:
    """An entry made in error stops counting; the reason is required."""
    if isinstance(target, bool) or not isinstance(target, int) or target < 1:
        raise InputError(
            tr("a void needs the entry no. to void, not {target!r}").format(target=target)
        )
    said = text(reason, "reason")
    if not said:
        raise InputError(tr("say why the entry is voided, e.g. 'typed wrong amount'"))
    return {"target": target, "reason": said}


def merge_data(from_name: str | None, reason: str | None) -> dict:
    """Two customers are one person: FROM (named here) joins the event's customer."""
    said = text(reason, "reason")
    if not said:
        raise InputError(tr("say why they are one customer, e.g. --reason 'typed her name twice'"))
    if not isinstance(from_name, str) or not from_name:
        raise InputError(tr("a merge names the customer merged away ('from')"))
    return {"from": from_name, "reason": said}


def confirmation_data(amount_paise: int, *, has_customer: bool = True) -> dict:
    """The dues a customer agreed to (zero: settled; negative: an advance we hold)."""
    if not has_customer:
        raise InputError(tr("a confirmation needs a customer: name who agreed their dues"))
    return {
        "amount_paise": whole_paise(amount_paise, marked("confirmed dues"), signed=True, zero=True)
    }


def customer_data(
    phone: str | None = None, limit_paise: int | None = None, gstin: str | None = None
) -> dict:
    """A new customer's optional phone, credit limit and GSTIN (a business that buys B2B);
    the name is the event's customer."""
    data: dict = {}
    if phone:
        data["phone"] = clean_phone(phone)
    if limit_paise is not None:
        data["credit_limit_paise"] = whole_paise(limit_paise, marked("credit limit"))
    if gstin is not None:
        data["gstin"] = check_gstin(str(gstin))
    return data


def customer_update_data(
    name: str | None = None,
    phone: str | None = None,
    limit_paise: int | None = None,
    gstin: str | None = None,
    upi_ids: list[str] | None = None,
) -> dict:
    """What changes about a customer (name checked free, and UPI ids checked unowned, by the
    ledger checks). `upi_ids` are added to the ones the customer has (schema 3)."""
    data = {} if name is None else {"name": name}
    if phone is not None:
        data["phone"] = clean_phone(phone)
    if limit_paise is not None:
        data["credit_limit_paise"] = whole_paise(limit_paise, marked("credit limit"))
    if gstin is not None:
        data["gstin"] = check_gstin(str(gstin))
    if upi_ids is not None:
        if not isinstance(upi_ids, list) or not upi_ids:
            raise InputError(
                tr("upi_ids must be a list of UPI ids, not {upi_ids!r}").format(upi_ids=upi_ids)
            )
        data["upi_ids"] = list(dict.fromkeys(check_upi_id(vpa) for vpa in upi_ids))
    if not data:
        raise InputError(
            tr("nothing to change; give --name, --phone, --limit, --gstin or --upi-id")
        )
    return data


def item_data(
    name: str,
    *,
    price_paise: int,
    gst: str,
    hsn: str | None,
    unit: str | None,
    effective_from: str,
    in_force: catalog.CatalogItem | None = None,
) -> dict:
    """A catalog price: the item, its GST-inclusive price, rate, HSN and unit, from a day.

    Setting a price changes only what is given: an HSN or unit left out (None) is the one in
    force that day (`in_force`, the catalog's entry), else no HSN and pcs (a new item)."""
    if in_force is not None:
        hsn = in_force.hsn if hsn is None else hsn
        unit = in_force.unit if unit is None else unit
    return {
        "name": catalog.item_name(name),
        "price_paise": whole_paise(price_paise, marked("item price")),
        "gst_rate": parse_gst_rate(gst),
        "hsn": parse_hsn(hsn),
        "unit": (unit or "pcs").strip(),
        "effective_from": effective_from,
    }


def shop_data(fields: dict, effective_from: str) -> dict:
    """Shop settings from a day on: name, GSTIN, state, GST scheme, default GST rate, UPI id. The
    state is stored as the GST portal names it; a GSTIN given with it must be of that state."""
    chosen = {key: value for key, value in fields.items() if value is not None}
    if not chosen:
        raise InputError(
            tr(
                "nothing to set; give --name, --gstin, --state, --scheme, --default-gst, --upi-id or --lang"
            )
        )
    unknown = sorted(set(chosen) - set(SHOP_FIELDS))
    if unknown:
        raise InputError(
            tr("shop setting(s) {unknown} are unknown").format(unknown=", ".join(unknown))
        )
    if "name" in chosen and strict_rules():
        chosen["name"] = names.clean_name(chosen["name"], marked("shop name"))
    if "scheme" in chosen:
        one_of(chosen["scheme"], GST_SCHEMES, marked("GST scheme"))
    if "default_gst_rate" in chosen:
        chosen["default_gst_rate"] = parse_gst_rate(chosen["default_gst_rate"])
    if "state" in chosen:
        chosen["state"] = catalog.parse_state(chosen["state"])
    if "gstin" in chosen:
        chosen["gstin"] = check_gstin(str(chosen["gstin"]))
    if "tally_ledgers" in chosen:
        chosen["tally_ledgers"] = tally_ledgers(chosen["tally_ledgers"])
    if "upi_id" in chosen:
        chosen["upi_id"] = check_upi_id(str(chosen["upi_id"]))
    if "language" in chosen:
        from kirana.i18n import parse_language

        chosen["language"] = parse_language(str(chosen["language"]), marked("shop language"))
    check_shop_agrees(chosen, {})
    return {**chosen, "effective_from": effective_from}


def tally_ledger(text: str) -> tuple[str, str]:
    """`--tally-ledger "sales@5=Sales GST 5%"` -> ('sales@5', 'Sales GST 5%')."""
    key, equals, name = str(text).partition("=")
    if not equals:
        raise InputError(
            tr('--tally-ledger {text!r} is not KEY=NAME, e.g. "sales@5=Sales GST 5%"').format(
                text=text
            )
        )
    return key.strip().lower(), name


def tally_ledgers(mapping: object) -> dict:
    """The shop's Tally ledger names: keys `sales@RATE`, `cgst@RATE`, `sgst@RATE` (a GST
    rate), or cash, upi, card, bank, roundoff, opening; names as the accountant keeps them."""
    if not isinstance(mapping, dict):
        raise InputError(
            tr("tally_ledgers must be an object, not {mapping!r}").format(mapping=mapping)
        )
    found = {}
    for key, name in mapping.items():
        head, at, rate = str(key).partition("@")
        if not (key in TALLY_KEYS or (at and head in TALLY_RATED and rate in GST_RATES)):
            raise InputError(
                tr(
                    "Tally ledger key {key!r} is unknown; use sales@RATE, cgst@RATE, sgst@RATE (a GST rate, e.g. sales@5) or one of {tally_keys}"
                ).format(key=key, tally_keys=", ".join(TALLY_KEYS))
            )
        found[key] = names.clean_name(name, tr("Tally ledger name for {key}").format(key=key))
    return found
