"""Closed periods: once the books of a month or quarter are closed (`kirana close 2025-09`, e.g.
after the GST return is filed), nothing dated inside it gets in until `kirana reopen`.

The one guard is `check_entry(conn, kind, occurred_at, data)` (or `ClosedPeriods.check_entry`
for a long import, which reads the closes once). Every write path calls it before it appends:
the commands (kirana.recording), the CSV import (both its fast and its row-by-row path), the
JSONL import (kirana.arrivals, at the event's position in the chain: only the periods closed
by then count) and the bank-statement import. What it guards:

- an entry dated inside a closed period: sale, payment, return, opening dues, confirmation, a
  new customer (an import adds one on the row's date), shop settings from a day in it;
- a void whose *target* is dated inside a closed period (the void itself is dated today, but it
  would change the closed period's figures).

Item prices from a past day are not guarded: they change no recorded sale. Customer renames
and merges are dated when recorded. The close and reopen events themselves: `closed_data` and
`reopened_data` build their payloads (`check_stored` checks one that arrives whole), and
`close_data` and `reopen_data` add the ledger's rules (the commands and the JSONL import both
use them). `closes_of` is what a report says about a close covering its period.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from kirana import dates
from kirana.errors import InputError, RuleError
from kirana.events import PERIOD_CLOSED, VOID
from kirana.i18n import Message, tr
from kirana.money import format_rupees
from kirana.periods import DATED_ENTRY_TYPES, Period, parse_period, short_day
from kirana.store import fetch_event

DATED_TYPES = DATED_ENTRY_TYPES
GUARDED_TYPES = (*DATED_TYPES, VOID)


@dataclass(frozen=True)
class Close:
    """One `kirana close`: its entry, the period, the head it closed at, the day it was
    recorded (its business date), and the `kirana reopen` that ended it (None: still closed)."""

    seq: int
    period: Period
    head_seq: int
    closed_on: date
    reopened_seq: int | None

    def refusal(self, what: str | None = None) -> str:
        """The one message for an entry this close keeps out."""
        fields = {
            "period": self.period.name,
            "day": short_day(self.closed_on, self.period),
            "label": self.period.label,
        }
        if what:
            return tr(
                "{period} is closed (filed on {day}); {what} would change it; record a correction"
                " dated today instead, or `kirana reopen {label} --reason …`"
            ).format(what=what, **fields)
        return tr(
            "{period} is closed (filed on {day}); record it with today's date, or"
            " `kirana reopen {label} --reason …`"
        ).format(**fields)

    def to_json(self) -> dict:
        """For `info --json`: {"period", "closed_seq", "closed_at_entry", "closed_on"}."""
        return {
            "period": self.period.label,
            "closed_seq": self.seq,
            "closed_at_entry": self.head_seq,
            "closed_on": self.closed_on.isoformat(),
        }

    def summary(self) -> str:
        """'2025-09 (closed at entry 41, filed on 3 Oct 2025)'."""
        return tr("{period} (closed at entry {seq}, filed on {day})").format(
            period=self.period.label, seq=self.head_seq, day=short_day(self.closed_on)
        )


def closed_now(conn: sqlite3.Connection) -> list[Close]:
    """The periods closed now (not reopened since), in the order they were closed."""
    return [close for close in closes(conn) if close.reopened_seq is None]


def closes(conn: sqlite3.Connection, known_seq: int | None = None) -> list[Close]:
    """Every close recorded by entry `known_seq` (default: all), with reopenings known by then;
    in entry order."""
    known = 2**62 if known_seq is None else known_seq
    found = []
    for seq, label, head_seq, reopened, occurred_at in conn.execute(
        "SELECT c.seq, c.period, c.head_seq, c.reopened_seq, e.occurred_at FROM period_closes c"
        " JOIN events e ON e.seq = c.seq WHERE c.seq <= ? ORDER BY c.seq",
        (known,),
    ):
        period = parse_period(label, allow_quarter=True)
        reopened = reopened if reopened is not None and reopened <= known else None
        found.append(Close(seq, period, head_seq, dates.business_date(occurred_at), reopened))
    return found


class ClosedPeriods:
    """The periods closed now (read once: an import checks thousands of rows against it; call
    `reload()` after appending a close or a reopen)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.reload()

    def reload(self) -> None:
        self.closed = closed_now(self.conn)
        self.order_key = dates.order_key_function()

    def covering(self, day: date) -> Close | None:
        """The close that keeps `day` shut (the earliest, if two overlap), or None."""
        return next((close for close in self.closed if close.period.contains(day)), None)

    def check_entry(self, kind: str, occurred_at: str | None, data: dict) -> None:
        """Refuse (RuleError) an entry of type `kind` that would change a closed period: one
        dated inside it, or a void of an entry dated inside it. Cheap when nothing is closed."""
        if not self.closed or kind not in GUARDED_TYPES:
            return
        if kind == VOID:
            target = fetch_event(self.conn, data.get("target"))
            if target is None or target.type not in DATED_TYPES:
                return
            occurred_at = target.occurred_at
        if occurred_at is None:
            return
        day = date.fromisoformat(self.order_key(occurred_at)[:10])
        close = self.covering(day)
        if close is not None:
            what = (
                tr("voiding entry {seq} (dated {day})").format(
                    seq=data["target"], day=short_day(day, close.period)
                )
                if kind == VOID
                else None
            )
            raise RuleError(close.refusal(what))


def check_entry(conn: sqlite3.Connection, kind: str, occurred_at: str | None, data: dict) -> None:
    """The closed-period guard for one entry about to be appended (see the module docstring):
    raises RuleError with the message to show ("September 2025 is closed (filed on 3 Oct);
    record it with today's date, or `kirana reopen 2025-09 --reason …`"); the importers add
    their `line N:`. `kind` is the event type, `occurred_at` its business time (None for a
    void, which is judged by its target), `data` its payload."""
    if kind in GUARDED_TYPES:
        ClosedPeriods(conn).check_entry(kind, occurred_at, data)


def closed_data(period: object, head_seq: object, head_hash: object) -> dict:
    """The period_closed payload: the period (a month or a quarter, as its label) and the head
    it closes at (the newest entry before the close)."""
    label = _period_label(period)
    if isinstance(head_seq, bool) or not isinstance(head_seq, int) or head_seq < 0:
        raise InputError(
            tr("a close needs the entry no. it closes at, not {head_seq!r}").format(
                head_seq=head_seq
            )
        )
    if not isinstance(head_hash, str) or not re.fullmatch(r"[0-9a-f]{64}", head_hash):
        raise InputError(
            tr("a close needs the hash it closes at (64 hex digits), not {head_hash!r}").format(
                head_hash=head_hash
            )
        )
    return {"period": label, "head_seq": head_seq, "head_hash": head_hash}


def reopened_data(period: object, reason: str | None) -> dict:
    """The period_reopened payload: the period and why (required; free text as every reason)."""
    from kirana.rules.payloads import text  # the payload rules: only when a reopen is made

    said = text(reason, "reason")
    if not said:
        raise InputError(tr("say why the period is reopened, e.g. 'late bill from 28 Sep'"))
    return {"period": _period_label(period), "reason": said}


def _period_label(period: object) -> str:
    if not isinstance(period, str):
        raise InputError(tr("a period is YYYY-MM or YYYY-Qn, not {period!r}").format(period=period))
    return parse_period(period, allow_quarter=True).label


def check_stored(kind: str, customer: str | None, data: object) -> None:
    """A period_closed / period_reopened that arrives whole (JSONL) must be exactly the payload
    its builder gives (as rules.stored_payloads.check_stored does for every other type)."""
    if customer is not None or not isinstance(data, dict):
        raise InputError(
            tr("a {kind} names no customer and its data is an object").format(kind=kind)
        )
    if kind == PERIOD_CLOSED:
        rebuilt = closed_data(data.get("period"), data.get("head_seq"), data.get("head_hash"))
    else:
        rebuilt = reopened_data(data.get("period"), data.get("reason"))
    if rebuilt != data:
        raise InputError(tr("a {kind}'s data is not what kirana records").format(kind=kind))


def close_data(conn: sqlite3.Connection, period_text: str, head: dict, today: date) -> dict:
    """The period_closed payload for `kirana close PERIOD` at `head`: the period must have
    ended by `today` and must not be closed already."""
    data = closed_data(period_text, head["seq"], head["hash"])
    period = parse_period(data["period"], allow_quarter=True)
    if period.end > today:
        raise RuleError(
            tr("{name} has not ended yet (its last day is {last_day}); close it after that").format(
                name=period.name, last_day=period.last_day.isoformat()
            )
        )
    for close in closes(conn):
        if close.period == period and close.reopened_seq is None:
            raise RuleError(
                tr(
                    "{name} is already closed (at entry {head_seq}, filed on {short_day}); nothing to do"
                ).format(
                    name=period.name,
                    head_seq=close.head_seq,
                    short_day=short_day(close.closed_on, period),
                )
            )
    return data


def reopen_data(conn: sqlite3.Connection, period_text: str, reason: str | None) -> dict:
    """The period_reopened payload for `kirana reopen PERIOD --reason R`: that period must be
    closed (a month inside a closed quarter is reopened by reopening the quarter)."""
    data = reopened_data(period_text, reason)
    period = parse_period(data["period"], allow_quarter=True)
    open_closes = closed_now(conn)
    if any(close.period == period for close in open_closes):
        return data
    wider = [c.period.label for c in open_closes if c.period.contains(period.start)]
    if wider:
        raise RuleError(
            tr(
                "{label} is not closed by itself; {value} is: kirana reopen {value} --reason …"
            ).format(label=period.label, value=wider[0])
        )
    raise RuleError(tr("{name} is not closed; nothing to reopen").format(name=period.name))


@dataclass(frozen=True)
class CloseReport:
    """What a report of a period says about a close that covers (part of) it: the close, the
    head hash it closed at, when it was recorded, and every entry that changed the period
    after the close (dated inside it and recorded later, or voiding one that is)."""

    close: Close
    head_hash: str
    recorded_at: str
    reopened_reason: str | None
    changes: list[str]

    def fact(self) -> str:
        """'at entry 41 (hash 5f3a…), filed on 3 Oct 2025' (+ '; reopened …')."""
        close = self.close
        text = tr("{period} at entry {seq} (hash {hash}), filed on {day}").format(
            period=close.period.label,
            seq=close.head_seq,
            hash=self.head_hash,
            day=short_day(close.closed_on),
        )
        if close.reopened_seq is not None:
            text += "; " + tr("reopened at entry {seq}: {reason}").format(
                seq=close.reopened_seq, reason=self.reopened_reason
            )
        return text

    def to_json(self) -> dict:
        return {
            "period": self.close.period.label,
            "closed_seq": self.close.seq,
            "closed_at_entry": self.close.head_seq,
            "closed_at_hash": self.head_hash,
            "closed_on": self.close.closed_on.isoformat(),
            "reopened_seq": self.close.reopened_seq,
            "changed_after": self.changes,
        }


def closes_of(ledger, period: Period, known_seq: int | None = None) -> list[CloseReport]:
    """The closes (recorded by entry `known_seq`, default all) of periods overlapping `period`,
    each with what changed inside the overlap after it."""
    from kirana.queries import describe

    found = []
    last = 2**62 if known_seq is None else known_seq
    for close in closes(ledger.conn, known_seq):
        first = max(close.period.start, period.start)
        end = min(close.period.end, period.end)
        if first >= end:
            continue
        event = fetch_event(ledger.conn, close.seq)
        reopened = fetch_event(ledger.conn, close.reopened_seq) if close.reopened_seq else None
        changes = []
        for later in _changed_after(ledger, close.seq, last, first, end):
            when = short_day(dates.business_date(later.occurred_at), translated=False)
            amount = later.data.get("amount_paise")
            money = f" {format_rupees(amount)}" if amount is not None else ""
            what = describe(later) + money
            changes.append(
                Message("entry {seq} dated {day}: {what}", seq=later.seq, day=when, what=what)
            )
        found.append(
            CloseReport(
                close,
                event.data["head_hash"],
                event.recorded_at,
                reopened.data["reason"] if reopened else None,
                changes,
            )
        )
    return found


def close_warnings(reports: list[CloseReport], command: str) -> list[str]:
    """A report's warning for each close its period changed after: what changed, and how to
    print the report as it was when the period was closed."""
    warnings = []
    for report in reports:
        if not report.changes:
            continue
        moment = dates.known_at_local(report.recorded_at).strftime("%Y-%m-%d %H:%M:%S")
        warnings.append(
            Message(
                "{period} changed after it was closed at entry {seq}: {changes}. As it was when"
                " closed: kirana {command} --as-known-at '{moment}'",
                period=report.close.period.label,
                seq=report.close.head_seq,
                changes=Message.joined("; ", report.changes),
                command=command,
                moment=moment,
            )
        )
    return warnings


def _changed_after(ledger, after_seq: int, last_seq: int, first: date, end: date):
    """Entries after `after_seq` (up to `last_seq`) dated in first .. end - 1, and voids after
    it of entries dated there, in entry order."""
    conn = ledger.conn
    marks = ",".join("?" * len(DATED_TYPES))
    low, high = first.isoformat(), end.isoformat()
    rows = ledger.iter_events(
        f"seq > ? AND seq <= ? AND type IN ({marks}) AND occurred_at >= ? AND occurred_at < ?",
        (after_seq, last_seq, *DATED_TYPES, _day_before(low), _day_after(high)),
    )
    changed = {e.seq: e for e in rows if first <= dates.business_date(e.occurred_at) < end}
    for target_seq, void_seq in conn.execute(
        "SELECT target_seq, void_seq FROM voided WHERE void_seq > ? AND void_seq <= ?",
        (after_seq, last_seq),
    ):
        target = fetch_event(conn, target_seq)
        if target is not None and first <= dates.business_date(target.occurred_at) < end:
            changed[void_seq] = fetch_event(conn, void_seq)
    return [changed[seq] for seq in sorted(changed)]


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _day_after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
