"""The item catalog and shop settings as in force on a date, and turning ITEM specs into lines.

An ITEM spec is `NAME[:QTY][@PRICE]` (`atta:2@250`, `milk@60`, `rice:1.5`). A missing price or
GST rate comes from the catalog in force on the sale date; an unknown item with no price is an
error. Each line stores what was charged (price, GST rate, HSN, unit), so later catalog
changes never rewrite history. Line total = qty × unit price, rounded half-up to the paisa.

The shop's state is one of the GST states and union territories (GST_STATES, by the two-digit
code a GSTIN begins with).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kirana import names
from kirana.errors import InputError
from kirana.events import strict_rules
from kirana.i18n import marked, tr
from kirana.money import MAX_PAISE, format_rupees, parse_amount, round_half_up

if TYPE_CHECKING:  # decimal is imported where it is used: most commands never need it
    from decimal import Decimal

GST_RATES = ("0", "0.1", "0.25", "1", "1.5", "3", "5", "6", "12", "18", "28", "40")
_ITEM = re.compile(r"^(?P<name>[^:@]+?)\s*(?::\s*(?P<qty>[^@]+?))?\s*(?:@\s*(?P<price>.+))?$")
MAX_QTY = 100_000
_HSN = re.compile(r"^\d{4}(\d{2}){0,2}$")

# The GST state codes (a GSTIN's first two digits), names as the GST portal spells them.
# python-stdnum's table (stdnum.in_.gstin) is not used: it has no 38 (Ladakh), names 26
# before the 2020 merger, and spells Orissa, Chattisgarh, Dadar, Anadaman.
GST_STATES = {
    "01": "Jammu and Kashmir",
    "02": "Himachal Pradesh",
    "03": "Punjab",
    "04": "Chandigarh",
    "05": "Uttarakhand",
    "06": "Haryana",
    "07": "Delhi",
    "08": "Rajasthan",
    "09": "Uttar Pradesh",
    "10": "Bihar",
    "11": "Sikkim",
    "12": "Arunachal Pradesh",
    "13": "Nagaland",
    "14": "Manipur",
    "15": "Mizoram",
    "16": "Tripura",
    "17": "Meghalaya",
    "18": "Assam",
    "19": "West Bengal",
    "20": "Jharkhand",
    "21": "Odisha",
    "22": "Chhattisgarh",
    "23": "Madhya Pradesh",
    "24": "Gujarat",
    "25": "Daman and Diu",
    "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra",
    "28": "Andhra Pradesh (Before Division)",
    "29": "Karnataka",
    "30": "Goa",
    "31": "Lakshadweep",
    "32": "Kerala",
    "33": "Tamil Nadu",
    "34": "Puducherry",
    "35": "Andaman and Nicobar Islands",
    "36": "Telangana",
    "37": "Andhra Pradesh",
    "38": "Ladakh",
}
_OLD_STATE_NAMES = {"orissa": "21", "chattisgarh": "22", "pondicherry": "34", "uttaranchal": "05"}


@dataclass(frozen=True)
class CatalogItem:
    name: str
    price_paise: int
    gst_rate: str
    hsn: str
    unit: str
    effective_from: str


def parse_gst_rate(text: str) -> str:
    """'5', '5%', '12.0' -> canonical '5' / '12'; only real GST slabs are accepted."""
    from decimal import Decimal, InvalidOperation

    raw = str(text).strip().rstrip("%").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    canonical = None if value is None or not value.is_finite() else _canonical_decimal(value)
    if canonical not in GST_RATES:
        raise InputError(
            tr("GST rate {text!r} is not a GST slab; use one of {gst_rates}").format(
                text=text, gst_rates=", ".join(GST_RATES)
            )
        )
    return canonical


def parse_qty(text: str) -> str:
    """A positive decimal quantity with at most 3 decimals ('2', '0.5', '1.25'), canonical form."""
    from decimal import Decimal, InvalidOperation

    raw = str(text).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not re.fullmatch(r"\d+(\.\d{1,3})?", raw):
        raise InputError(
            tr("quantity {text!r} is not a number; use e.g. 2 or 0.5").format(text=text)
        )
    if value <= 0:
        raise InputError(tr("quantity {text!r} must be more than zero").format(text=text))
    if value > MAX_QTY:
        raise InputError(
            tr("quantity {text!r} is more than {max_qty}; check the digits").format(
                text=text, max_qty=MAX_QTY
            )
        )
    return _canonical_decimal(value)


def parse_hsn(text: str | None) -> str:
    raw = (text or "").strip()
    if raw and not _HSN.match(raw):
        raise InputError(tr("HSN {text!r} must be 4, 6 or 8 digits, e.g. 1101").format(text=text))
    return raw


def _canonical_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def line_total(qty: str, unit_price_paise: int) -> int:
    from decimal import Decimal

    return round_half_up(Decimal(qty) * unit_price_paise)


def item_in_force(conn: sqlite3.Connection, name: str, on: date) -> CatalogItem | None:
    row = conn.execute(
        "SELECT name, price_paise, gst_rate, hsn, unit, effective_from FROM catalog"
        " WHERE name_lower = ? AND effective_from <= ?"
        " ORDER BY effective_from DESC, seq DESC LIMIT 1",
        (name.lower(), on.isoformat()),
    ).fetchone()
    return CatalogItem(*row) if row else None


def catalog_on(conn: sqlite3.Connection, on: date) -> list[CatalogItem]:
    names = [n for (n,) in conn.execute("SELECT DISTINCT name_lower FROM catalog ORDER BY 1")]
    items = (item_in_force(conn, name, on) for name in names)
    return [item for item in items if item is not None]


def shop_settings_on(
    conn: sqlite3.Connection, on: date | None = None, known_seq: int | None = None
) -> dict:
    """Every shop_configured field in force on a date, later settings overriding earlier (only
    those recorded by entry `known_seq`, when given)."""
    day = (on or date.max).isoformat()
    settings: dict = {}
    for (text,) in conn.execute(
        "SELECT settings FROM shop_settings WHERE effective_from <= ? AND seq <= ?"
        " ORDER BY effective_from, seq",
        (day, known_seq if known_seq is not None else 2**62),
    ):
        settings.update(json.loads(text))
    return settings


def state_code(text: object) -> str | None:
    """The GST state code of a state as typed: its name (any case, '&' for 'and'), an old
    spelling (Orissa, Pondicherry), or its code (27, 7); None when it is none of these."""
    typed = " ".join(str(text).replace("&", " and ").split()).lower()
    if typed.isdigit() and typed.zfill(2) in GST_STATES:
        return typed.zfill(2)
    names = {name.lower(): code for code, name in sorted(GST_STATES.items())}
    return names.get(typed) or _OLD_STATE_NAMES.get(typed)


def parse_state(text: object) -> str:
    """A state or union territory as typed (name in any case, or its GST code) -> its name as
    the GST portal spells it."""
    import difflib

    code = state_code(text)
    if code is not None:
        return GST_STATES[code]
    names = {name.lower(): name for name in GST_STATES.values()}
    close = difflib.get_close_matches(" ".join(str(text).split()).lower(), names, n=1)
    hint = " " + tr("(did you mean {state}?)").format(state=names[close[0]]) if close else ""
    raise InputError(
        tr(
            "state {text!r} is not an Indian state or union territory{hint}; give its name or its GST state code, e.g. Maharashtra or 27"
        ).format(text=text, hint=hint)
    )


def default_gst_rate(conn: sqlite3.Connection, on: date) -> str:
    """The rate for an item the catalog does not know: the shop's default in force, else 0."""
    return str(shop_settings_on(conn, on).get("default_gst_rate", "0"))


class CatalogSnapshot:
    """The whole catalog and the shop's default GST rates, read once: what a CSV import looks
    items up in (it cannot change them, and its worker processes have no connection).

    `item_in_force` and `default_gst_rate` answer as the SQL functions above do for one item:
    the latest entry effective on or before the day, later entries winning ties (the CSV import
    tests check the catalog rate in force and the shop default through it).
    """

    def __init__(self, conn: sqlite3.Connection):
        self._items: dict[str, list[tuple[str, CatalogItem]]] = {}
        for row in conn.execute(
            "SELECT name_lower, effective_from, name, price_paise, gst_rate, hsn, unit FROM catalog"
            " ORDER BY name_lower, effective_from, seq"
        ):
            item = CatalogItem(row[2], row[3], row[4], row[5], row[6], row[1])
            self._items.setdefault(row[0], []).append((row[1], item))
        self._rates: list[tuple[str, str]] = []
        for day, text in conn.execute(
            "SELECT effective_from, settings FROM shop_settings ORDER BY effective_from, seq"
        ):
            rate = json.loads(text).get("default_gst_rate")
            if rate is not None:
                self._rates.append((day, str(rate)))

    def item_in_force(self, name: str, on: date) -> CatalogItem | None:
        day, found = on.isoformat(), None
        for effective_from, item in self._items.get(name.lower(), ()):
            if effective_from > day:
                break
            found = item
        return found

    def default_gst_rate(self, on: date) -> str:
        day, rate = on.isoformat(), "0"
        for effective_from, value in self._rates:
            if effective_from > day:
                break
            rate = value
        return rate


def parse_item_spec(conn: sqlite3.Connection, spec: str, on: date) -> dict:
    """'atta:2@250' -> a stored sale line with what was charged."""
    match = _ITEM.match(spec.strip())
    if not match or not match.group("name").strip():
        raise InputError(
            tr("item {spec!r} is not NAME[:QTY][@PRICE]; e.g. atta:2@250 or milk@60").format(
                spec=spec
            )
        )
    name = " ".join(match.group("name").split())
    qty = parse_qty(match.group("qty")) if match.group("qty") else "1"
    known = item_in_force(conn, name, on)
    if match.group("price"):
        price = parse_amount(match.group("price"), what=tr("price of {name}").format(name=name))
    elif known:
        price = known.price_paise
    else:
        raise InputError(
            tr(
                "item '{name}' is not in the catalog on {day}; give a price like {name}@60 or add it with: kirana item set '{name}' --price P --gst RATE"
            ).format(name=name, day=on.isoformat())
        )
    if known:
        gst_rate, hsn, unit = known.gst_rate, known.hsn, known.unit
        name = known.name
    else:
        gst_rate, hsn, unit = default_gst_rate(conn, on), "", ""
    return make_line(name, qty, price, gst_rate, hsn, unit)


def item_name(name: str | None) -> str:
    """An item's name: a clean name (kirana.names) without the item-syntax marks : @ ;"""
    if name is not None and any(ch in name for ch in ":@;"):
        raise InputError(
            tr("item name {name!r} must be plain text without ':', '@' or ';'").format(name=name)
        )
    return names.clean_name(name, marked("item name"))


def line_name(name: str) -> str:
    """A sale line's item name: an item name now; as stored, for a line of an old event (its
    rules checked no names)."""
    return item_name(name) if strict_rules() else name


def default_rate_note(conn: sqlite3.Connection, lines: list[dict] | None, on: date) -> str | None:
    """What a confirmation adds when parse_item_spec taxed lines at the shop's default rate
    (items the catalog does not know on the day, priced inline), e.g.
    '(paneer: GST 5% — shop default; not in catalog)'; None when every item is known."""
    unknown = {
        line["name"]: line["gst_rate"]
        for line in lines or ()
        if not item_in_force(conn, line["name"], on)
    }
    if not unknown:
        return None

    has_default = "default_gst_rate" in shop_settings_on(conn, on)
    source = tr("shop default") if has_default else tr("no shop default set")
    rate = next(iter(unknown.values()))
    return tr("({items}: GST {rate} — {source}; not in catalog)").format(
        items=", ".join(unknown), rate=f"{rate}%", source=source
    )


def make_line(name: str, qty: str, unit_price_paise: int, gst_rate: str, hsn: str, unit: str):
    """A stored sale line: qty × unit price, rounded half-up once, at most ₹100 crore."""
    total = line_total(qty, unit_price_paise)
    if total > MAX_PAISE and strict_rules():
        raise InputError(
            tr(
                "{name}: {qty} × {unit_price} is more than {max}; check the quantity and price"
            ).format(
                name=name,
                qty=qty,
                unit_price=format_rupees(unit_price_paise),
                max=format_rupees(MAX_PAISE),
            )
        )
    return {
        "name": line_name(name),
        "qty": qty,
        "unit": unit,
        "unit_price_paise": unit_price_paise,
        "gst_rate": gst_rate,
        "hsn": hsn,
        "total_paise": total,
    }


def parse_returned_item_spec(sale_lines: list[dict], spec: str, sale_seq: int) -> dict:
    """An item returned against a sale: priced, taxed and classified exactly as the sale
    charged it (a credit note follows its invoice); QTY defaults to the quantity sold."""
    match = _ITEM.match(spec.strip())
    if not match or not match.group("name").strip():
        raise InputError(tr("item {spec!r} is not NAME[:QTY]; e.g. atta:1").format(spec=spec))
    name = " ".join(match.group("name").split())
    sold = next((line for line in sale_lines if line["name"].lower() == name.lower()), None)
    if sold is None:
        on_sale = ", ".join(line["name"] for line in sale_lines) or tr("no items (a bare amount)")
        raise InputError(
            tr("'{name}' is not on sale {sale_seq} ({on_sale}); return what was sold").format(
                name=name, sale_seq=sale_seq, on_sale=on_sale
            )
        )
    from decimal import Decimal

    qty = parse_qty(match.group("qty")) if match.group("qty") else sold["qty"]
    if Decimal(qty) > Decimal(sold["qty"]):
        raise InputError(
            tr("sale {sale_seq} sold {qty} of {name}, fewer than {asked}").format(
                sale_seq=sale_seq, qty=sold["qty"], name=name, asked=qty
            )
        )
    if match.group("price") and parse_amount(match.group("price")) != sold["unit_price_paise"]:
        raise InputError(
            tr("sale {sale_seq} charged {unit_price} for {name}; leave out the price").format(
                sale_seq=sale_seq, unit_price=format_rupees(sold["unit_price_paise"]), name=name
            )
        )
    return make_line(
        sold["name"], qty, sold["unit_price_paise"], sold["gst_rate"], sold["hsn"], sold["unit"]
    )
