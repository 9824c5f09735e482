"""Report periods: a calendar month `YYYY-MM` or a quarter `YYYY-Qn`, and reading their events.

Quarters are calendar quarters (Q1 = Jan–Mar, Q2 = Apr–Jun, Q3 = Jul–Sep, Q4 = Oct–Dec). They
cover the same three months as the GST return quarters (CMP-08, QRMP), which follow the Indian
financial year (Apr–Mar); only the label differs, so every report also names the financial-year
quarter, e.g. 2025-Q3 = "FY 2025-26 Q2".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from kirana import dates
from kirana.errors import InputError
from kirana.events import Event

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[qQ]([1-4])$")
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


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

    def describe(self) -> str:
        """'March 2025 (2025-03-01 to 2025-03-31)' style text for headers."""
        first, last = self.start, self.last_day
        if self.kind == "month":
            name = f"{first.strftime('%B')} {first.year}"
        else:
            name = f"{MONTH_NAMES[first.month - 1]}–{MONTH_NAMES[last.month - 1]} {first.year}"
            name += f", {financial_year_quarter(first)}"
        return f"{self.label}: {name} ({first.isoformat()} to {last.isoformat()})"


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
    hint = "a month like 2025-03" + (" or a quarter like 2025-Q3" if allow_quarter else "")
    match = _MONTH.match(raw)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < 1:
            raise InputError(f"period {text!r} is not a real month; give {hint}")
        start = date(year, month, 1)
        return Period(f"{year:04d}-{month:02d}", "month", start, _add_months(start, 1))
    match = _QUARTER.match(raw)
    if match and allow_quarter:
        year, quarter = int(match.group(1)), int(match.group(2))
        start = date(year, 3 * quarter - 2, 1)
        return Period(f"{year:04d}-Q{quarter}", "quarter", start, _add_months(start, 3))
    if match:
        raise InputError(f"period {text!r} is a quarter; this report is monthly, give {hint}")
    raise InputError(f"period {text!r} is not {hint}")


@contextmanager
def snapshot(ledger) -> Iterator[None]:
    """One read transaction, so every figure and the head come from the same state of the log."""
    conn = ledger.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def business_day_reader():
    """A fast occurred_at -> 'YYYY-MM-DD' (shop-local day) for one report run.

    Timed events stored with the shop zone's fixed offset (e.g. +05:30 for Asia/Kolkata) carry
    their local date in the first ten characters; anything else goes through dates."""
    from datetime import datetime

    zone = dates.shop_tz()
    offsets = {datetime(2025, month, 1, tzinfo=zone).strftime("%z") for month in (1, 7)}
    fixed = None
    if len(offsets) == 1:
        raw = offsets.pop()
        fixed = raw[:3] + ":" + raw[3:]

    def day_of(occurred_at: str) -> str:
        if len(occurred_at) == 10 or (fixed is not None and occurred_at.endswith(fixed)):
            return occurred_at[:10]
        return dates.order_key(occurred_at)[:10]

    return day_of


def events_in(
    ledger, start: date, end: date, types: tuple[str, ...] = (), known_seq: int | None = None
) -> Iterator[Event]:
    """Events whose business day is in start .. end - 1, in (occurred_at, seq) order (only
    those up to entry `known_seq`, when given).

    occurred_at begins with the shop-local date, so an indexed range on it finds them; the range
    is widened by a day each side and filtered on the business date, in case an event was
    stored with another UTC offset."""
    lo = (start - timedelta(days=1)).isoformat()
    hi = (end + timedelta(days=1)).isoformat()
    first, last = start.isoformat(), end.isoformat()
    where = "occurred_at >= ? AND occurred_at < ?"
    params: tuple = (lo, hi)
    if known_seq is not None:
        where += " AND seq <= ?"
        params += (known_seq,)
    if types:
        where += f" AND type IN ({','.join('?' * len(types))})"
        params += types
    if known_seq is not None:
        where += " AND seq <= ?"
        params += (known_seq,)
    day_of = business_day_reader()
    for event in ledger.iter_events(where, params, order="occurred_at, seq"):
        if first <= day_of(event.occurred_at) < last:
            yield event


def voided_targets(conn, known_seq: int | None = None) -> dict[int, int]:
    """target seq -> void seq, for every voided entry (whose void is known at `known_seq`)."""
    found = dict(conn.execute("SELECT target_seq, void_seq FROM voided"))
    if known_seq is None:
        return found
    return {target: void for target, void in found.items() if void <= known_seq}


def known_seq_of(ledger, known_at: str | None) -> int | None:
    """The last entry recorded by a `--as-known-at` bound (None: the whole log)."""
    from kirana.queries import known_at_seq

    return None if known_at is None else known_at_seq(ledger.conn, known_at)


def provenance(ledger, known_seq: int | None = None) -> dict:
    """The head the report was computed from (as known at `known_seq`) and the moment it was
    computed."""
    head = ledger.head()
    if known_seq is not None and known_seq < head["seq"]:
        event = ledger.get(known_seq) if known_seq else None
        head = {"seq": known_seq, "hash": event.hash if event else "0" * 64}
    return {
        "head": head,
        "generated_at": dates.now_local().replace(microsecond=0).isoformat(),
    }


def shop_info(conn, on: date, known_seq: int | None = None) -> dict:
    """The shop as configured on a day (as known at `known_seq`): name, GSTIN, state, scheme,
    default GST rate."""
    from kirana.catalog import shop_settings_on

    settings = shop_settings_on(conn, on, known_seq)
    return {
        "name": settings.get("name") or "",
        "gstin": settings.get("gstin") or "",
        "state": settings.get("state") or "",
        "scheme": settings.get("scheme") or "unregistered",
        "default_gst_rate": str(settings.get("default_gst_rate") or "0"),
    }
