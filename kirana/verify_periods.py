"""`kirana verify`'s closed-period check: no live entry sits inside a period while it was closed.

For each `period_closed` (the period_closes read model) up to its `period_reopened` (or now):
no sale, payment, return, opening, confirmation, new customer or shop setting recorded in that
span is dated inside the period, and no void recorded in it targets an entry dated inside.
The write paths refuse such entries (kirana/rules/closed_periods.py); this finds one that got in
another way.
"""

from __future__ import annotations

from datetime import date, timedelta

from kirana import dates
from kirana.i18n import Message
from kirana.periods import DATED_ENTRY_TYPES


def entries_inside_closed_periods(ledger) -> list[tuple[int, str]]:
    """No live entry sits inside a period while it was closed: nothing recorded between a
    `close` and its `reopen` (or now) is dated inside the period, or voids an entry that is
    (read models, already verified against the replay). Returns (seq, problem) pairs."""
    conn = ledger.conn
    problems = []
    marks = ",".join("?" * len(DATED_ENTRY_TYPES))
    for close_seq, label, first, end, head_seq, reopened in conn.execute(
        "SELECT * FROM period_closes ORDER BY seq"
    ):
        until = reopened if reopened is not None else 2**62
        inside = []
        for event in ledger.iter_events(
            f"seq > ? AND seq < ? AND type IN ({marks}) AND occurred_at >= ? AND occurred_at < ?"
            " AND seq NOT IN (SELECT target_seq FROM voided)",
            (close_seq, until, *DATED_ENTRY_TYPES, _shift(first, -1), _shift(end, 1)),
        ):
            inside.append((event.seq, dates.business_date(event.occurred_at).isoformat()))
        for void_seq, target_key in conn.execute(
            "SELECT v.void_seq, e.occurred_at FROM voided v JOIN events e ON e.seq = v.target_seq"
            " WHERE v.void_seq > ? AND v.void_seq < ?",
            (close_seq, until),
        ):
            inside.append((void_seq, dates.business_date(target_key).isoformat()))
        for seq, day in sorted(inside):
            if first <= day < end:
                message = Message(
                    "entry {seq} changes {day}, inside {period}, which was closed at entry"
                    " {head_seq} (entry {close_seq}) when it was recorded",
                    seq=seq,
                    day=day,
                    period=label,
                    head_seq=head_seq,
                    close_seq=close_seq,
                )
                problems.append((seq, message))
    return problems


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
