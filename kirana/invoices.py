"""Invoice numbers: the per-financial-year series of sales and of credit notes (returns).

A sale recorded from schema 3 on carries `voucher`, its invoice number (`INV/2025-26/0001`); a
return carries its credit note number (`CN/2025-26/0001`). Each series is one financial year
(April to March) of the entry's business date, numbered 1, 2, 3, … in entry (seq) order, with no
gap: a voided sale keeps its number, as a cancelled invoice. GST rule 46 allows at most 16
characters, so a series that outgrows four digits drops the century (`INV/25-26/10000`), then
the separators (`INV2526/1000000`); the number itself never changes meaning.

This module only names and parses numbers; which number comes next is the read model
`invoice_series` (kirana.projections) and the rule that assigns it is kirana.rules.invoices.
"""

from __future__ import annotations

import re
from datetime import date

from kirana.errors import InputError
from kirana.i18n import tr

FIELD = "voucher"  # the payload key; sorts after every other key of a sale or return payload
SALE_PREFIX = "INV"
RETURN_PREFIX = "CN"
MAX_LENGTH = 16
_NUMBER = re.compile(
    r"^(INV|CN)(?:/(\d{2})(\d{2})-(\d{2})/(\d{4,})|/(\d{2})-(\d{2})/(\d+)|(\d{2})(\d{2})/(\d+))$"
)


def prefix_for(kind: str) -> str:
    """The series prefix of an event type: sales are invoices, returns credit notes."""
    return SALE_PREFIX if kind == "sale" else RETURN_PREFIX


def financial_year_of(day: date) -> int:
    """The calendar year in which the financial year holding `day` began (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def series_name(prefix: str, fy_start: int) -> str:
    """`INV/2025-26`: the read model's key of one series."""
    return f"{prefix}/{fy_start}-{(fy_start + 1) % 100:02d}"


def format_number(prefix: str, fy_start: int, number: int) -> str:
    """The document number: `INV/2025-26/0001`, shortened past four digits to fit 16."""
    short = f"{fy_start % 100:02d}"
    after = f"{(fy_start + 1) % 100:02d}"
    for text in (
        f"{series_name(prefix, fy_start)}/{number:04d}",
        f"{prefix}/{short}-{after}/{number}",
        f"{prefix}{short}{after}/{number}",
    ):
        if len(text) <= MAX_LENGTH:
            return text
    raise InputError(
        tr("the {series_name} series is full ({number} documents)").format(
            series_name=series_name(prefix, fy_start), number=number
        )
    )


def parse_number(text: object) -> tuple[str, int]:
    """`INV/2025-26/0001` -> ('INV/2025-26', 1); raises InputError for anything that is not a
    number this module would write."""
    match = _NUMBER.match(text) if isinstance(text, str) else None
    if match is None:
        raise InputError(
            tr("invoice number {text!r} is not like INV/2025-26/0001 or CN/2025-26/0001").format(
                text=text
            )
        )
    prefix, *groups = match.groups()
    if groups[0] is not None:
        century, start, end, number = groups[0:4]
        fy_start = int(century + start)
    else:
        start, end, number = groups[4:7] if groups[4] is not None else groups[7:10]
        fy_start = 2000 + int(start)
    if (fy_start + 1) % 100 != int(end) or int(number) < 1:
        raise InputError(
            tr("invoice number {text!r} is not like INV/2025-26/0001").format(text=text)
        )
    series = series_name(prefix, fy_start)
    if format_number(prefix, fy_start, int(number)) != text:
        raise InputError(
            tr("invoice number {text!r} is not written as kirana writes it").format(text=text)
        )
    return series, int(number)


def series_of(text: str) -> tuple[str, int]:
    """parse_number for a number kirana wrote (a stored event's): the usual long form is split
    without the regular expression (the CSV import numbers a row at a time)."""
    head, _, number = text.rpartition("/")
    if (
        len(head) == len("INV/2025-26")
        and head[3] == "/"
        or len(head) == len("CN/2025-26")
        and head[2] == "/"
    ):
        return head, int(number)
    return parse_number(text)


def with_voucher(data_json: str, number: str) -> str:
    """A payload's canonical JSON with `voucher` added: the key sorts after every other key of a
    sale or return, so it goes last (equal to canonical_json of the dict; a test checks it)."""
    return f'{data_json[:-1]},"{FIELD}":"{number}"}}'
