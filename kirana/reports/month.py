"""The month report's figures (docs/commands.md, report month), computed from the log.

Business-time semantics, as everywhere in kirana: an entry belongs to the month of its business
date, and a voided entry is left out of every figure (sales, payments, returns, items, days).
Voided entries are counted separately. The reconciliation line is built from the entries *as
entered* in the month, with the voided ones reversed in their own term:

    opening dues + credit sales + opening balances − payments − returns to khata ± voids
    = closing dues

where opening dues are everyone's dues as of the day before the month and closing dues are
everyone's dues as of the month's last day (the same numbers `balance --as-of` gives).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from kirana import dates, month_dues
from kirana.events import (
    CUSTOMER_ADDED,
    OPENING_BALANCE,
    PAYMENT,
    PAYMENT_METHODS,
    RETURN,
    RETURN_SETTLEMENTS,
    SALE,
    SALE_METHODS,
    Event,
    dues_delta,
    upcast,
)
from kirana.i18n import Message
from kirana.projections import final_ids
from kirana.queries import dues_at as dues_at_bound
from kirana.queries import names_known_at
from kirana.reports.period import (
    Period,
    business_day_reader,
    events_in,
    parse_period,
    provenance,
    shop_info,
    snapshot,
    voided_targets,
)
from kirana.rules.closed_periods import CloseReport, close_warnings, closes_of
from kirana.totals import DuesTotals, dues_totals

TOP_N = 10


@dataclass
class Tally:
    """How many entries and how much money."""

    count: int = 0
    paise: int = 0

    def add(self, paise: int) -> None:
        self.count += 1
        self.paise += paise


@dataclass
class Reconciliation:
    """opening + credit_sales + opening_balances − payments − khata_returns + voids = closing.

    The four middle terms are as entered in the month (voided entries included); `voids` is
    minus the dues effect of the voided ones, so it carries its own sign."""

    opening_dues_paise: int
    credit_sales_paise: int
    opening_balances_paise: int
    payments_paise: int
    khata_returns_paise: int
    voids_paise: int
    closing_dues_paise: int

    @property
    def computed_closing_paise(self) -> int:
        return (
            self.opening_dues_paise
            + self.credit_sales_paise
            + self.opening_balances_paise
            - self.payments_paise
            - self.khata_returns_paise
            + self.voids_paise
        )

    @property
    def holds(self) -> bool:
        return self.computed_closing_paise == self.closing_dues_paise


@dataclass
class VoidedEntry:
    seq: int
    type: str
    customer: str | None
    occurred_at: str
    amount_paise: int
    dues_effect_paise: int
    void_seq: int


@dataclass
class DaySales:
    day: date
    count: int
    paise: int


@dataclass
class ItemSales:
    name: str
    unit: str
    qty: Decimal
    paise: int
    lines: int


@dataclass
class MonthReport:
    period: Period
    shop: dict
    head: dict
    generated_at: str
    opening_dues_paise: int
    closing_dues_paise: int
    sales_by_method: dict[str, Tally]
    returns_by_settlement: dict[str, Tally]
    payments_by_method: dict[str, Tally]
    opening_balances: Tally
    voided: list[VoidedEntry]
    reconciliation: Reconciliation
    top_debtors: list[tuple[str, int]]
    closing_totals: DuesTotals
    new_customers: list[tuple[str, str]]
    days: list[DaySales]
    top_items: list[ItemSales]
    warnings: list[str] = field(default_factory=list)
    closes: list[CloseReport] = field(default_factory=list)  # closes covering the month

    @property
    def sales(self) -> Tally:
        return _sum(self.sales_by_method.values())

    @property
    def returns(self) -> Tally:
        return _sum(self.returns_by_settlement.values())

    @property
    def payments(self) -> Tally:
        return _sum(self.payments_by_method.values())

    @property
    def credit_sales_paise(self) -> int:
        return self.sales_by_method["credit"].paise

    @property
    def khata_returns_paise(self) -> int:
        return self.returns_by_settlement["khata"].paise


def _sum(tallies) -> Tally:
    total = Tally()
    for tally in tallies:
        total.count += tally.count
        total.paise += tally.paise
    return total


class _Entered:
    """Dues-moving amounts as entered in the month (voided entries included)."""

    def __init__(self) -> None:
        self.credit_sales = 0
        self.openings = 0
        self.payments = 0
        self.khata_returns = 0

    def add(self, event: Event) -> None:
        delta = dues_delta(event)
        if event.type == SALE:
            self.credit_sales += delta
        elif event.type == OPENING_BALANCE:
            self.openings += delta
        elif event.type == PAYMENT:
            self.payments -= delta
        elif event.type == RETURN:
            self.khata_returns -= delta


def dues_at(
    conn, opening_bound: str, closing_bound: str, known_seq: int | None = None
) -> tuple[int, list[tuple[str, int]]]:
    """Everyone's dues at two business-time bounds: (total dues at opening_bound, [(name, dues
    at closing_bound)]). Same meaning as queries.all_balances(conn, bound) (voided entries
    never count), from the year_dues read model and at most a year of entries for each bound
    (queries.dues_at), so a month of a forty-year khata costs what a month of a new one does.
    As known at entry `known_seq` (voids and merges recorded later not yet counted) it is one
    pass over the entries read model instead. The tests check both against replay.fold."""
    if known_seq is not None:
        return _dues_known_at(conn, opening_bound, closing_bound, known_seq)
    names = dict(conn.execute("SELECT id, name FROM customers"))
    final = final_ids(conn)  # a merged customer's dues count for the one they merged into
    closing: dict[int, int] = {}
    for cid, amount in dues_at_bound(conn, closing_bound).items():
        owner = final.get(cid, cid)
        closing[owner] = closing.get(owner, 0) + amount
    opening = sum(dues_at_bound(conn, opening_bound).values())
    return opening, [(names[cid], amount) for cid, amount in closing.items()]


def month_end_dues(conn, month: str) -> tuple[int, dict[int, int]]:
    """dues_at() at the bounds of business month 'YYYY-MM' (the day before it, its last day),
    from the month_dues read model (kirana/month_dues.py): a few thousand rows of read models,
    whatever the month and however long the khata. The closing dues are by customer id (the
    one kept, for a merged customer); `top_debtors` names the few it shows."""
    closing, moved = month_dues.dues_at_month_end(conn, month)
    for cid, owner in final_ids(conn).items():  # a merged customer's dues count for INTO
        if cid in closing:
            closing[owner] = closing.get(owner, 0) + closing.pop(cid)
    return sum(closing.values()) - moved, closing


def top_debtors(conn, closing: dict[int, int]) -> list[tuple[str, int]]:
    """The TOP_N customers who owe most (name, dues), as sorted(…)[:TOP_N] by (−dues, name
    case-folded, name) over everyone gives them: only those owing at least the TOP_N-th largest
    dues can be among them, so only their names are read."""
    owing = [(paise, cid) for cid, paise in closing.items() if paise > 0]
    if len(owing) > TOP_N:
        cutoff = heapq.nlargest(TOP_N, [paise for paise, _ in owing])[-1]
        owing = [row for row in owing if row[0] >= cutoff]
    ids = ",".join(str(int(cid)) for _, cid in owing)
    names = dict(conn.execute(f"SELECT id, name FROM customers WHERE id IN ({ids})"))
    rows = [(names[cid], paise) for paise, cid in owing]
    return sorted(rows, key=lambda r: (-r[1], r[0].lower(), r[0]))[:TOP_N]


def _dues_known_at(
    conn, opening_bound: str, closing_bound: str, known_seq: int
) -> tuple[int, list[tuple[str, int]]]:
    """dues_at() from entries 1..`known_seq`, both bounds in one table scan (NOT INDEXED: a
    plain scan is several times faster here than walking every customer's index)."""
    rows = conn.execute(
        "SELECT customer_id, sum(CASE WHEN order_key <= ? THEN delta_paise ELSE 0 END),"
        " sum(delta_paise) FROM entries NOT INDEXED"
        " WHERE order_key <= ? AND seq <= ?"
        " AND seq NOT IN (SELECT target_seq FROM voided WHERE void_seq <= ?)"
        " GROUP BY customer_id",
        (min(opening_bound, closing_bound), closing_bound, known_seq, known_seq),
    ).fetchall()
    names = names_known_at(conn, known_seq)  # as they were called then
    final = final_ids(conn, known_seq)  # a merged customer's dues count for the one kept
    closing: dict[int, int] = {}
    for cid, _, amount in rows:
        owner = final.get(cid, cid)
        closing[owner] = closing.get(owner, 0) + amount
    opening = sum(row[1] for row in rows)
    return opening, [(names[cid], amount) for cid, amount in closing.items()]


def month_report(ledger, text: str, known_seq: int | None = None) -> MonthReport:
    """Compute the month report for 'YYYY-MM' from the ledger (as known at entry `known_seq`
    when given: the report as it was printed then, head included)."""
    period = parse_period(text, allow_quarter=False)
    with snapshot(ledger):
        return _compute(ledger, period, known_seq)


def _compute(ledger, period: Period, known_seq: int | None) -> MonthReport:
    conn = ledger.conn
    voided = voided_targets(conn, known_seq, period)
    known_names = {name for (name,) in conn.execute("SELECT name_lower FROM customer_names")}

    def customer_known(name: str | None) -> bool:
        return name is not None and name.lower() in known_names

    sales = {method: Tally() for method in SALE_METHODS}
    returns = {settlement: Tally() for settlement in RETURN_SETTLEMENTS}
    payments = {method: Tally() for method in PAYMENT_METHODS}
    openings = Tally()
    entered = _Entered()
    voided_entries: list[VoidedEntry] = []
    void_effect = 0
    by_day: dict[str, Tally] = defaultdict(Tally)
    items: dict[tuple[str, str], ItemSales] = {}
    new_customers: list[tuple[str, str]] = []
    day_of = business_day_reader()

    for raw in events_in(ledger, period.start, period.end, known_seq=known_seq):
        event = upcast(raw)
        kind, data = event.type, event.data
        if kind == CUSTOMER_ADDED:
            new_customers.append((event.customer, day_of(event.occurred_at)))
            continue
        if kind not in (SALE, PAYMENT, RETURN, OPENING_BALANCE):
            continue
        moves_dues = customer_known(event.customer)
        if moves_dues:
            entered.add(event)
        if event.seq in voided:
            effect = dues_delta(event) if moves_dues else 0
            void_effect += effect
            voided_entries.append(
                VoidedEntry(
                    event.seq,
                    kind,
                    event.customer,
                    event.occurred_at,
                    event.amount_paise,
                    effect,
                    voided[event.seq],
                )
            )
            continue
        amount = event.amount_paise
        if kind == SALE:
            sales[data["method"]].add(amount)
            by_day[day_of(event.occurred_at)].add(amount)
            for line in data.get("items", ()):
                _add_item(items, line)
        elif kind == PAYMENT:
            payments[data["method"]].add(amount)
        elif kind == RETURN:
            returns[data["settlement"]].add(amount)
        else:
            openings.add(amount)

    if known_seq is None:
        opening, by_id = month_end_dues(conn, period.start.strftime("%Y-%m"))
        closing_totals = dues_totals(by_id.values())
        debtors = top_debtors(conn, by_id)
    else:
        opening, closing_rows = dues_at(
            conn,
            dates.as_of_bound_for_day(period.start - timedelta(days=1)),
            dates.as_of_bound_for_day(period.last_day),
            known_seq,
        )
        closing_totals = dues_totals(paise for _, paise in closing_rows)
        debtors = sorted(
            (row for row in closing_rows if row[1] > 0), key=lambda r: (-r[1], r[0].lower(), r[0])
        )[:TOP_N]
    closing = closing_totals.net_paise  # owed − advances
    reconciliation = Reconciliation(
        opening,
        entered.credit_sales,
        entered.openings,
        entered.payments,
        entered.khata_returns,
        -void_effect,
        closing,
    )
    warnings = []
    if not reconciliation.holds:
        warnings.append(
            Message(
                "the reconciliation does not hold: run kirana verify and kirana rebuild, then "
                "regenerate this report"
            )
        )
    meta = provenance(ledger, known_seq)
    closes = closes_of(ledger, period, known_seq)
    warnings += close_warnings(closes, f"report month {period.label}")
    return MonthReport(
        period=period,
        shop=shop_info(conn, period.last_day, known_seq),
        head=meta["head"],
        generated_at=meta["generated_at"],
        opening_dues_paise=opening,
        closing_dues_paise=closing,
        sales_by_method=sales,
        returns_by_settlement=returns,
        payments_by_method=payments,
        opening_balances=openings,
        voided=voided_entries,
        reconciliation=reconciliation,
        top_debtors=debtors,
        closing_totals=closing_totals,
        new_customers=new_customers,
        days=[_day_sales(day, by_day[day.isoformat()]) for day in period.days()],
        top_items=sorted(items.values(), key=lambda i: (-i.paise, i.name.lower()))[:TOP_N],
        warnings=warnings,
        closes=closes,
    )


def _day_sales(day: date, tally: Tally) -> DaySales:
    return DaySales(day, tally.count, tally.paise)


def _add_item(items: dict[tuple[str, str], ItemSales], line: dict) -> None:
    key = (line["name"].lower(), line.get("unit") or "")
    item = items.get(key)
    if item is None:
        item = items[key] = ItemSales(line["name"], line.get("unit") or "", Decimal(0), 0, 0)
    item.qty += Decimal(line["qty"])
    item.paise += line["total_paise"]
    item.lines += 1
