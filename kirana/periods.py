"""Periods of the books: a calendar month `YYYY-MM` or a quarter `YYYY-Qn`.

Reports cover one, and `kirana close` / `kirana reopen` close and reopen one. Quarters are
calendar quarters (Q1 = Jan–Mar, Q2 = Apr–Jun, Q3 = Jul–Sep, Q4 = Oct–Dec). They cover the
same three months as the GST return quarters (CMP-08, QRMP), which follow the Indian financial
year (Apr–Mar); only the label differs, so every report also names the financial-year quarter,
e.g. 2025-Q3 = "FY 2025-26 Q2".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kirana.errors import InputError
from kirana.events import (
    BALANCE_CONFIRMED,
    CUSTOMER_ADDED,
    OPENING_BALANCE,
    PAYMENT,
    RETURN,
    SALE,
    SHOP_CONFIGURED,
)
from kirana.i18n import marked, tr

# What a closed period keeps out, by the event's own date (a void: by its target's date).
DATED_ENTRY_TYPES = (
    SALE, PAYMENT, RETURN, OPENING_BALANCE, BALANCE_CONFIRMED, CUSTOMER_ADDED, SHOP_CONFIGURED,
)  # fmt: skip

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[qQ]([1-4])$")
MONTH_FULL_NAMES = [marked("January"), marked("February"), marked("March"), marked("April"),
                    marked("May"), marked("June"), marked("July"), marked("August"),
                    marked("September"), marked("October"), marked("November"),
                    marked("December")]  # fmt: skip
MONTH_NAMES = [marked("Jan"), marked("Feb"), marked("Mar"), marked("Apr"), marked("May"),
               marked("Jun"), marked("Jul"), marked("Aug"), marked("Sep"), marked("Oct"),
               marked("Nov"), marked("Dec")]  # fmt: skip
WEEKDAY_NAMES = [marked("Mon"), marked("Tue"), marked("Wed"), marked("Thu"), marked("Fri"),
                 marked("Sat"), marked("Sun")]  # fmt: skip


@dataclass(frozen=True)
class Period:
    """Business days start .. end - 1 (end exclusive)."""

    label: str
    kind: str  # 'month' or 'quarter'
    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    @property
    def name(self) -> str:
        """'September 2025', or 'Jul–Sep 2025' for a quarter."""
        first, last = self.start, self.last_day
        if self.kind == "month":
            return f"{tr(MONTH_FULL_NAMES[first.month - 1])} {first.year}"
        return f"{tr(MONTH_NAMES[first.month - 1])}–{tr(MONTH_NAMES[last.month - 1])} {first.year}"

    def describe(self) -> str:
        """'March 2025 (2025-03-01 to 2025-03-31)' style text for headers."""
        first, last = self.start, self.last_day
        name = self.name
        if self.kind == "quarter":
            name += f", {financial_year_quarter(first)}"
        return tr("{label}: {name} ({first} to {last})").format(
            label=self.label, name=name, first=first.isoformat(), last=last.isoformat()
        )


def financial_year_start(day: date) -> date:
    """1 April of the Indian financial year that contains `day`."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def financial_year_label(day: date) -> str:
    start = financial_year_start(day).year
    return f"FY {start}-{(start + 1) % 100:02d}"


def financial_year_quarter(day: date) -> str:
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"{financial_year_label(day)} Q{quarter}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_period(text: str, *, allow_quarter: bool) -> Period:
    """'2025-03' -> March 2025; '2025-Q3' -> Jul–Sep 2025 (only where quarters are allowed)."""
    raw = (text or "").strip()
    hint = (
        tr("a month like 2025-03 or a quarter like 2025-Q3")
        if allow_quarter
        else tr("a month like 2025-03")
    )
    match = _MONTH.match(raw)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < 1:
            raise InputError(
                tr("period {text!r} is not a real month; give {hint}").format(text=text, hint=hint)
            )
        start = date(year, month, 1)
        return Period(f"{year:04d}-{month:02d}", "month", start, _add_months(start, 1))
    match = _QUARTER.match(raw)
    if match and allow_quarter:
        year, quarter = int(match.group(1)), int(match.group(2))
        start = date(year, 3 * quarter - 2, 1)
        return Period(f"{year:04d}-Q{quarter}", "quarter", start, _add_months(start, 3))
    if match:
        raise InputError(
            tr("period {text!r} is a quarter; this report is monthly, give {hint}").format(
                text=text, hint=hint
            )
        )
    raise InputError(tr("period {text!r} is not {hint}").format(text=text, hint=hint))


def weekday_day(day: date) -> str:
    """'Sat 01 Mar' (a day of a month's report), weekday and month in the language in force."""
    weekday, month = tr(WEEKDAY_NAMES[day.weekday()]), tr(MONTH_NAMES[day.month - 1])
    return f"{weekday} {day.day:02d} {month}"


def short_day(day: date, period: Period | None = None, *, translated: bool = True) -> str:
    """'3 Oct' (the year left out when it is the period's own or the next), else '3 Oct 2026';
    the month in the language in force unless not `translated` (text that is also data)."""
    month = MONTH_NAMES[day.month - 1]
    text = f"{day.day} {tr(month) if translated else month}"
    if period is None:
        return f"{text} {day.year}"
    last = period.last_day
    same_year = day.year == last.year
    within_a_year = day.year == last.year + 1 and day.month < last.month
    return text if same_year or within_a_year else f"{text} {day.year}"


def close_row(seq: int, data: dict) -> tuple:
    """A period_closed event as its period_closes read-model row: (seq, period, first day, end
    day (exclusive), the head it closed at, the reopening's seq: None until reopened)."""
    period = parse_period(data["period"], allow_quarter=True)
    return (seq, period.label, period.start.isoformat(), period.end.isoformat(),
            data["head_seq"], None)  # fmt: skip
