"""The header line of a kirana CSV: which column is where, and the one error that says what is
wrong with a header (empty file, not UTF-8, a column twice, a misspelt column, a missing one)."""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator

from kirana.errors import InputError
from kirana.i18n import marked, tr
from kirana.io.csv_chunks import BAD_TEXT, COLUMNS

HEADER_HINT = marked("the first line must name the columns, e.g. {columns}")
CLOSE_NAME = 0.75  # difflib ratio: custmer 0.93, customer_name 0.76; store 0.62, cust 0.67


def read_header(reader) -> dict[str, int]:
    """Column name -> index, from the first row; raises InputError naming line 1, or naming
    the column for a kirana column written twice or a name close to one the header lacks."""
    header: list[str] = []
    while not any(cell.strip() for cell in header):
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(
                tr("line 1: the file is empty; {header_hint}").format(header_hint=_header_hint())
            ) from None
    if any(BAD_TEXT.search(cell) for cell in header):
        raise InputError(tr("line 1: not UTF-8 text; save the file as UTF-8 (CSV UTF-8)"))
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        name = name.strip().lower()
        if name in index and name in COLUMNS:
            raise InputError(
                tr("the header has {name!r} twice (columns {first} and {second}); keep one").format(
                    name=name, first=index[name] + 1, second=position + 1
                )
            )
        index.setdefault(name, position)
    misspelt = _misspelt(header, index)
    if not any(name in index for name in COLUMNS) and not misspelt:
        raise InputError(
            tr("line 1: no header row; {header_hint}").format(header_hint=_header_hint())
        )
    if misspelt:
        written, meant = misspelt
        raise InputError(
            tr("column {written!r} is not a kirana column; did you mean {meant!r}?").format(
                written=written, meant=meant
            )
        )
    missing = [name for name in ("date", "type") if name not in index]
    if "amount" not in index and "items" not in index:
        missing.append(tr("amount (or items)"))
    if missing:
        raise InputError(
            tr("line 1: missing column(s) {missing}; {header_hint}").format(
                missing=", ".join(missing), header_hint=_header_hint()
            )
        )
    return index


def _misspelt(header: list[str], index: dict[str, int]) -> tuple[str, str] | None:
    """(a header name as written, the kirana column it is close to) for the first name that
    looks like a column the header lacks (`custmer`, `Customer Name`), else None. Other names
    (`shop`, `gst_invoice_no`, or `customer_phone` beside `customer`) are ignored columns."""
    lacking = [name for name in COLUMNS if name not in index]
    for written in header:
        name = written.strip().lower()
        if name and name not in COLUMNS:
            close = difflib.get_close_matches(name, lacking, n=1, cutoff=CLOSE_NAME)
            if close:
                return written.strip(), close[0]
    return None


def header(chunks: Iterator[bytes]) -> tuple[dict[str, int], bytes, int]:
    """(column index, the bytes read so far, how many of their lines the header took)."""
    data = b""
    for chunk in chunks:
        data += chunk
        if header_cells(data):
            break
    reader = csv.reader(io.StringIO(data.decode("utf-8", "surrogateescape"), newline=""))
    try:
        index = read_header(reader)
    except csv.Error as exc:
        raise InputError(tr("line 1: not a readable CSV line ({exc})").format(exc=exc)) from None
    return index, data, reader.line_num


def header_cells(data: bytes) -> list[str]:
    """The first row with text in it, as the user wrote it ([] if none yet)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8", "surrogateescape"), newline=""))
    try:
        return next((row for row in reader if any(cell.strip() for cell in row)), [])
    except csv.Error:
        return ["?"]  # read_header reports it


def _header_hint() -> str:
    return tr(HEADER_HINT).format(columns=",".join(COLUMNS))
