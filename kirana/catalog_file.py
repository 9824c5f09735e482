"""`kirana item import FILE`: load a catalog CSV (name,price,gst,hsn,unit,from) all or nothing.

Every row is checked first; any bad row means nothing is appended and each problem is reported
as `line N: reason`. Rows identical to a price already in the catalog are skipped, so importing
the same file twice appends nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kirana import dates, recording
from kirana.catalog import parse_gst_rate, parse_hsn
from kirana.errors import InputError, KiranaError
from kirana.money import parse_amount
from kirana.store import Ledger

REQUIRED = ("name", "price", "gst")


@dataclass
class CatalogImport:
    appended: int
    unchanged: int


def _read_rows(path: Path) -> list[tuple[int, dict]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(
                    f"{path}: missing column(s) {', '.join(missing)}; "
                    "the header must be name,price,gst,hsn,unit,from"
                )
            return [(reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise InputError(f"no file {path}; check the path") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text ({exc.reason}); save it as UTF-8 CSV") from None


def import_catalog(ledger: Ledger, path: Path) -> CatalogImport:
    parsed, problems = [], []
    for line, row in _read_rows(path):
        try:
            effective = row.get("from") or ""
            day = dates.parse_when(effective, what="from") if effective.strip() else dates.today()
            day = day.date() if hasattr(day, "date") else day
            parsed.append(
                {
                    "name": row["name"],
                    "price_paise": parse_amount(row["price"], what="price"),
                    "gst": parse_gst_rate(row["gst"]),
                    "hsn": parse_hsn(row.get("hsn")),
                    "unit": (row.get("unit") or "pcs").strip(),
                    "effective_from": day.isoformat(),
                }
            )
        except KiranaError as exc:
            problems.append(f"line {line}: {exc}")
    if problems:
        raise InputError(f"{path}: nothing imported; " + "; ".join(problems))
    appended = unchanged = 0
    with ledger.write():
        for item in parsed:
            if _already_priced(ledger, item):
                unchanged += 1
                continue
            recording.set_item(ledger, item.pop("name"), **item)
            appended += 1
    return CatalogImport(appended, unchanged)


def _already_priced(ledger: Ledger, item: dict) -> bool:
    row = ledger.conn.execute(
        "SELECT price_paise, gst_rate, hsn, unit FROM catalog WHERE name_lower = ? AND"
        " effective_from = ? ORDER BY seq DESC LIMIT 1",
        (" ".join(item["name"].split()).lower(), item["effective_from"]),
    ).fetchone()
    return row == (item["price_paise"], item["gst"], item["hsn"], item["unit"])
