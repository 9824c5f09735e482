"""Reading a statement file as the bank gives it: CSV (or tab-separated text), XLSX
(openpyxl) or XLS (xlrd), told apart by their first bytes, not by the name (a bank's ".xls"
is sometimes text). Gives every row with text in it as (line, cells): the file's line number
(the sheet's row number for a spreadsheet) and the cells: text (trimmed), numbers and dates as
the spreadsheet holds them.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from kirana.errors import InputError
from kirana.i18n import tr

Cell = str | int | float | date | datetime | None
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


def read_rows(path: Path) -> list[tuple[int, list[Cell]]]:
    """Every row with text in it; InputError for a file that cannot be read as a statement."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(tr("no file {path}; check the name").format(path=path)) from None
    except IsADirectoryError:
        raise InputError(
            tr("{path} is a folder; give the statement file").format(path=path)
        ) from None
    if not data.strip():
        raise InputError(tr("{path} is empty; download the statement again").format(path=path))
    if data.startswith(_ZIP):
        rows = _xlsx(path)
    elif data.startswith(_OLE):
        rows = _xls(path)
    else:
        rows = _text(data)
    return [(line, cells) for line, cells in rows if any(_has_text(cell) for cell in cells)]


def _has_text(cell: Cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def _text(data: bytes) -> list[tuple[int, list[Cell]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # older bank exports (Windows-1252)
    head = "\n".join(text.splitlines()[:60])  # a preamble's lines may have neither
    dialect = "excel-tab" if head.count("\t") > head.count(",") else "excel"
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        raise InputError(
            tr("line {line_num}: not a readable CSV line ({exc})").format(
                line_num=reader.line_num, exc=exc
            )
        ) from None
    return rows


def _xlsx(path: Path) -> list[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise InputError(
            tr("{path} is not a readable XLSX file ({exc})").format(path=path, exc=exc)
        ) from None
    try:
        sheet = book.worksheets[0]
        return [
            (number, [cell.strip() if isinstance(cell, str) else cell for cell in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _xls(path: Path) -> list[tuple[int, list[Cell]]]:
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        raise InputError(
            tr("reading .xls needs the xlrd package; save the file as .xlsx")
        ) from None
    try:
        book = xlrd.open_workbook(str(path))
    except Exception as exc:  # noqa: BLE001 - xlrd raises its own kinds for a damaged file
        raise InputError(
            tr("{path} is not a readable XLS file ({exc})").format(path=path, exc=exc)
        ) from None
    sheet = book.sheet_by_index(0)
    rows = []
    for number in range(sheet.nrows):
        cells: list[Cell] = []
        for cell in sheet.row(number):
            if cell.ctype == xlrd.XL_CELL_DATE:
                cells.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
            elif cell.ctype == xlrd.XL_CELL_TEXT:
                cells.append(cell.value.strip())
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                cells.append(cell.value)
            else:
                cells.append(None)
        rows.append((number + 1, cells))
    return rows
