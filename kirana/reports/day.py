"""The day book (`kirana report day [DATE]`): what the till and the UPI/card accounts should
show for one business day, the credit given, and every entry of the day.

For each way money moves (cash, UPI, card; cheque and bank when the day has any): sales paid
that way, money received against dues (payments), refunds paid out that way (returns settled
to cash or UPI), and the net: sales + received − refunds. Net cash is what the drawer should
have gained that day. Credit given is the day's credit sales (dues added); returns to khata and
opening balances are shown beside it. Every entry whose business day it is, is listed in
(time, entry no.) order; a voided one is listed, marked, and left out of every figure.

As known at a moment (`--as-known-at`): only the entries recorded by then, and only the voids
recorded by then, as the day book would have been printed at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from kirana import dates
from kirana.events import OPENING_BALANCE, PAYMENT, RETURN, SALE, Event, upcast
from kirana.queries import describe, head_as_known_at, known_at_seq
from kirana.reports.period import Period, events_in, shop_info, snapshot, voided_targets

MONEY_METHODS = ("cash", "upi", "card")  # always shown; cheque and bank when the day has any
OTHER_METHODS = ("cheque", "bank")


@dataclass
class Flow:
    """One way money moves, over the day."""

    method: str
    sales_count: int = 0
    sales_paise: int = 0
    received_count: int = 0
    received_paise: int = 0
    refunds_count: int = 0
    refunds_paise: int = 0

    @property
    def net_paise(self) -> int:
        return self.sales_paise + self.received_paise - self.refunds_paise

    @property
    def used(self) -> bool:
        return bool(self.sales_count or self.received_count or self.refunds_count)


@dataclass
class DayEntry:
    event: Event
    description: str
    method: str  # cash, upi, … credit, khata; '' for an entry that moves no money
    amount_paise: int | None
    voided_by: int | None


@dataclass
class DayBook:
    day: date
    period: Period
    shop: dict
    head: dict
    generated_at: str
    as_known_at: str | None
    flows: dict[str, Flow]
    credit_sales_count: int
    credit_sales_paise: int
    khata_returns_count: int
    khata_returns_paise: int
    openings_count: int
    openings_paise: int
    entries: list[DayEntry]
    warnings: list[str] = field(default_factory=list)

    def flow(self, method: str) -> Flow:
        return self.flows.get(method) or Flow(method)

    @property
    def shown_flows(self) -> list[Flow]:
        return [self.flow(m) for m in MONEY_METHODS] + [
            self.flows[m] for m in OTHER_METHODS if m in self.flows and self.flows[m].used
        ]


def day_book(ledger, text: str | None = None, known_at: str | None = None) -> DayBook:
    """The day book of the business day `text` (default today), as known at `known_at` (a
    recorded_at bound from dates.known_at_bound; None: everything recorded)."""
    day = _day(text)
    with snapshot(ledger):
        conn = ledger.conn
        known_seq = known_at_seq(conn, known_at) if known_at is not None else None
        voided = {
            target: void
            for target, void in voided_targets(conn).items()
            if known_seq is None or void <= known_seq
        }
        flows: dict[str, Flow] = {}
        book = DayBook(
            day=day,
            period=Period(day.isoformat(), "day", day, day + timedelta(days=1)),
            shop=shop_info(conn, day),
            head=head_as_known_at(ledger, known_at),
            generated_at=dates.now_local().replace(microsecond=0).isoformat(),
            as_known_at=known_at,
            flows=flows,
            credit_sales_count=0,
            credit_sales_paise=0,
            khata_returns_count=0,
            khata_returns_paise=0,
            openings_count=0,
            openings_paise=0,
            entries=[],
        )
        for raw in events_in(ledger, day, day + timedelta(days=1)):
            if known_seq is not None and raw.seq > known_seq:
                continue
            event = upcast(raw)
            _add(book, flows, event, voided.get(event.seq))
    return book


def _day(text: str | None) -> date:
    if not text:
        return dates.today()
    when = dates.parse_when(text, what="DATE")
    return when.date() if hasattr(when, "date") else when


def _add(book: DayBook, flows: dict[str, Flow], event: Event, void_seq: int | None) -> None:
    data = event.data
    method = data.get("method") or data.get("settlement") or ""
    if event.type == OPENING_BALANCE:
        method = "khata"
    amount = data.get("amount_paise") if event.type != "void" else None
    book.entries.append(DayEntry(event, describe(event), method, amount, void_seq))
    if void_seq is not None or amount is None:
        return
    if event.type == SALE:
        if method == "credit":
            book.credit_sales_count += 1
            book.credit_sales_paise += amount
        else:
            flow = flows.setdefault(method, Flow(method))
            flow.sales_count += 1
            flow.sales_paise += amount
    elif event.type == PAYMENT:
        flow = flows.setdefault(method, Flow(method))
        flow.received_count += 1
        flow.received_paise += amount
    elif event.type == RETURN:
        if method == "khata":
            book.khata_returns_count += 1
            book.khata_returns_paise += amount
        else:
            flow = flows.setdefault(method, Flow(method))
            flow.refunds_count += 1
            flow.refunds_paise += amount
    elif event.type == OPENING_BALANCE:
        book.openings_count += 1
        book.openings_paise += amount
