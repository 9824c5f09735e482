"""`kirana item import FILE`: load a catalog CSV (name,price,gst,hsn,unit,from) all or nothing.

Every row is checked against the catalog as it stands (and the rows before it); any bad row
means nothing is appended, and each is reported as `line N: reason`. A row priced as
`item set` would price it (an empty hsn or unit keeps the one in force on its day) that is
identical to the item's entry for the same day is skipped, so importing the same file twice
appends nothing; one that differs from it is a bad row unless `replace` (--replace): an import
never silently re-prices a day that already has a price.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kirana import dates, recording
from kirana.catalog import parse_gst_rate, parse_hsn
from kirana.errors import InputError, KiranaError
from kirana.i18n import tr, tr_n
from kirana.money import format_rupees, parse_amount
from kirana.store import Ledger

REQUIRED = ("name", "price", "gst")
COMPARED = ("price_paise", "gst_rate", "hsn", "unit")


@dataclass
class CatalogImport:
    appended: int
    unchanged: int
    replaced: int = 0


def _read_rows(path: Path) -> list[tuple[int, dict]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(
                    tr(
                        "{path}: missing column(s) {missing}; the header must be name,price,gst,hsn,unit,from"
                    ).format(path=path, missing=", ".join(missing))
                )
            return [(reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise InputError(tr("no file {path}; check the path").format(path=path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            tr("{path} is not UTF-8 text ({reason}); save it as UTF-8 CSV").format(
                path=path, reason=exc.reason
            )
        ) from None


def _price(row: dict) -> dict:
    """A row's cells, parsed as `item set` parses its options (an empty hsn or unit: None)."""
    effective = row.get("from") or ""
    day = dates.parse_when(effective, what="from") if effective.strip() else dates.today()
    day = day.date() if hasattr(day, "date") else day
    hsn, unit = (row.get("hsn") or "").strip(), (row.get("unit") or "").strip()
    return {
        "price_paise": parse_amount(row["price"] or "", what="price"),
        "gst": parse_gst_rate(row["gst"] or ""),
        "hsn": parse_hsn(hsn) if hsn else None,
        "unit": unit or None,
        "effective_from": day.isoformat(),
    }


def import_catalog(
    ledger: Ledger,
    path: Path,
    *,
    replace: bool = False,
    on_problem: Callable[[int, str], None] | None = None,
) -> CatalogImport:
    """Import `path` in one write transaction; rolled back (InputError `N bad rows; nothing
    imported`) after every bad row has gone to `on_problem(line, reason)`."""
    result, bad, priced_by = CatalogImport(0, 0), 0, {}
    with ledger.write():
        for line, row in _read_rows(path):
            try:
                data = recording.item_payload(ledger, row["name"] or "", **_price(row))
                key = (data["name"].lower(), data["effective_from"])
                same_day = _same_day_price(ledger, data)
                if same_day == {k: data[k] for k in COMPARED}:
                    result.unchanged += 1
                    continue
                if same_day and not replace:
                    raise InputError(_conflict(data, same_day, priced_by.get(key)))
            except KiranaError as exc:
                bad += 1
                if on_problem is not None:
                    on_problem(line, " ".join(str(exc).split()))
                continue
            recording.set_item(
                ledger,
                data["name"],
                price_paise=data["price_paise"],
                gst=data["gst_rate"],
                hsn=data["hsn"],
                unit=data["unit"],
                effective_from=data["effective_from"],
            )
            priced_by[key] = line
            result.appended += 1
            result.replaced += 1 if same_day else 0
        if bad:
            raise InputError(
                tr_n(
                    "{bad} bad row; nothing imported", "{bad} bad rows; nothing imported", bad
                ).format(bad=bad)
            )
    return result


def _same_day_price(ledger: Ledger, data: dict) -> dict | None:
    """The item's catalog entry for exactly that day (the latest, if several), or None."""
    row = ledger.conn.execute(
        "SELECT price_paise, gst_rate, hsn, unit FROM catalog WHERE name_lower = ? AND"
        " effective_from = ? ORDER BY seq DESC LIMIT 1",
        (data["name"].lower(), data["effective_from"]),
    ).fetchone()
    return dict(zip(COMPARED, row, strict=True)) if row else None


def _conflict(data: dict, same_day: dict, line: int | None) -> str:
    """'butter already costs ₹57.00 (GST 12%, pcs) from 2025-03-01; this row says ₹525.00;
    use --replace to change it', naming each value that differs."""

    def shown(field: str, value: object) -> str:
        if field == "price_paise":
            return format_rupees(value)
        if field == "gst_rate":
            return f"GST {value}%"
        if field == "hsn":
            return f"HSN {value}" if value else tr("no HSN")
        return tr("unit {unit}").format(unit=value)

    now = f"GST {same_day['gst_rate']}%, {same_day['unit']}"
    now += f", HSN {same_day['hsn']}" if same_day["hsn"] else ""
    where = " " + tr("(line {line} of this file)").format(line=line) if line else ""
    says = ", ".join(shown(f, data[f]) for f in COMPARED if data[f] != same_day[f])
    return tr(
        "{name} already costs {price} ({now}) from {day}{where}; this row says {says};"
        " use --replace to change it"
    ).format(
        name=data["name"],
        price=format_rupees(same_day["price_paise"]),
        now=now,
        day=data["effective_from"],
        where=where,
        says=says,
    )
