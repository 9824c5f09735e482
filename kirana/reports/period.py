"""Reading a report period's events: one snapshot, the events of its business days, voids,
provenance (the head, as known at a moment when asked), the shop in force.

The periods themselves (`YYYY-MM`, `YYYY-Qn`, financial-year labels) are kirana.periods; they
are re-exported here for the reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from kirana import dates
from kirana.events import Event
from kirana.periods import (  # noqa: F401 - the reports' names for them
    MONTH_NAMES,
    Period,
    financial_year_label,
    financial_year_quarter,
    financial_year_start,
    parse_period,
)


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
    lo, hi = _widened(start, end)
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


def voided_targets(conn, known_seq: int | None = None, period=None) -> dict[int, int]:
    """target seq -> void seq, for every voided entry (whose void is known at `known_seq`); with
    a `period`, those of the events events_in() reads for it (found along the events' business
    time index, not the whole voided table)."""
    if period is None:
        found = dict(conn.execute("SELECT target_seq, void_seq FROM voided"))
    else:
        found = dict(
            conn.execute(
                "SELECT v.target_seq, v.void_seq FROM events e JOIN voided v"
                " ON v.target_seq = e.seq WHERE e.occurred_at >= ? AND e.occurred_at < ?",
                _widened(period.start, period.end),
            )
        )
    if known_seq is None:
        return found
    return {target: void for target, void in found.items() if void <= known_seq}


def _widened(start: date, end: date) -> tuple[str, str]:
    """The occurred_at range events_in() reads for business days start .. end - 1."""
    return (start - timedelta(days=1)).isoformat(), (end + timedelta(days=1)).isoformat()


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
