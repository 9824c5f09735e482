"""Aging of dues: how old is the money each customer owes? (render-free; used by dues --aging
and remind).

Each customer's non-voided khata entries (the `entries` read model) are taken in business
order. Every increase of dues (a credit sale, a positive opening balance) is a *credit* dated
by its business day; every decrease (a payment, a khata return, an advance opening) settles
the oldest unpaid credits first (FIFO). Money paid beyond all open credits is an advance, and
it settles later credits as they arrive. What is left unpaid is bucketed by its age in days on
the as-of day: 0–30, 31–60, 61–90 and 90+ (over 90). A customer holding an advance (negative
dues) has no buckets.

Without an as-of date every entry counts (so the totals equal `kirana dues`), ages are measured
to today, and an entry dated in the future counts as 0 days old.

Where the unpaid credits come from: now, the aging_runs read model (every debtor's in one query,
kirana/aging_runs.py); as of a date, each debtor's credits read back from the newest until they
cover the dues then; as known at a moment, one pass over the entries known then. All three
give what `settle_fifo`, the step-by-step replay, gives (property tests).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date

from kirana import aging_runs, dates
from kirana.i18n import marked
from kirana.projections import final_ids
from kirana.queries import dues_at, names_known_at

BUCKETS = (
    ("days_0_30", marked("0–30 days"), 0, 30),
    ("days_31_60", marked("31–60 days"), 31, 60),
    ("days_61_90", marked("61–90 days"), 61, 90),
    ("days_over_90", marked("90+ days"), 91, None),
)


def bucket_index(age_days: int) -> int:
    """0 for 0–30 days (a future date counts as 0), 1 for 31–60, 2 for 61–90, 3 for 90+."""
    for index, (_, _, _, high) in enumerate(BUCKETS):
        if high is not None and age_days <= high:
            return index
    return len(BUCKETS) - 1


@dataclass(slots=True)
class CustomerAging:
    """One customer's dues split by age. `open_credits` are (day, unpaid paise), oldest first."""

    customer_id: int
    name: str
    phone: str | None
    dues_paise: int
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    oldest_credit: date | None = None
    oldest_days: int | None = None
    open_credits: list[tuple[date, int]] = field(default_factory=list)


def settle_fifo(deltas: list[tuple[str, int]]) -> tuple[list[tuple[date, int]], int]:
    """The reference FIFO replay of (order_key, delta) pairs, oldest first. Returns the unpaid
    credits (day, paise), oldest first, and the advance held (paise >= 0); at most one of the
    two is non-empty. `aging()` uses the equivalent shortcut `unpaid_credits`."""
    credits: deque[list] = deque()
    advance = 0
    for key, delta in deltas:
        if delta > 0:
            used = min(advance, delta)
            advance -= used
            if delta - used:
                credits.append([date.fromisoformat(key[:10]), delta - used])
        else:
            left = -delta
            while left and credits:
                take = min(left, credits[0][1])
                credits[0][1] -= take
                left -= take
                if not credits[0][1]:
                    credits.popleft()
            advance += left
    return [(day, paise) for day, paise in credits], advance


def unpaid_credits(dues_paise: int, credits: list[tuple[str, int, int]]) -> list[tuple[date, int]]:
    """The credits FIFO leaves unpaid, oldest first, from the dues total alone.

    `credits` are (order_key, seq, paise > 0) in any order. Under FIFO every decrease settles
    the oldest open credits and an advance settles the next credits to arrive, so what stays
    unpaid is always the newest credits adding up to the dues, the oldest of them partly paid.
    `settle_fifo` is the step-by-step replay this shortcut is tested against."""
    left = dues_paise
    unpaid: list[tuple[date, int]] = []
    for key, _seq, paise in sorted(credits, reverse=True):
        if left <= 0:
            break
        unpaid.append((date.fromisoformat(key[:10]), min(paise, left)))
        left -= paise
    unpaid.reverse()
    return unpaid


def age_customer(
    customer_id: int,
    name: str,
    phone: str | None,
    dues_paise: int,
    credits: list[tuple[str, int, int]],
    on: date,
) -> CustomerAging:
    """Bucket one customer's dues by the age of each unpaid credit on the day `on`."""
    return aged(customer_id, name, phone, dues_paise, unpaid_credits(dues_paise, credits), on)


def aged(
    customer_id: int,
    name: str,
    phone: str | None,
    dues_paise: int,
    open_credits: list[tuple[date, int]],
    on: date,
) -> CustomerAging:
    """One customer's dues bucketed by the age of their unpaid credits (day, paise), oldest
    first, on the day `on`."""
    row = CustomerAging(customer_id, name, phone, dues_paise)
    row.open_credits = open_credits
    for day, paise in open_credits:
        row.buckets[bucket_index((on - day).days)] += paise
    if row.open_credits:
        row.oldest_credit = row.open_credits[0][0]
        row.oldest_days = max((on - row.oldest_credit).days, 0)
    return row


def aging(
    conn: sqlite3.Connection,
    as_of: str | None = None,
    known_seq: int | None = None,
    today: date | None = None,
    by_name: bool = True,
    credits: bool = True,
) -> tuple[date, list[CustomerAging]]:
    """Every customer with non-zero dues, aged as of an order-key bound (None = everything,
    aged to `today`, default the real today), using only entries 1..`known_seq` when given
    (as known at a moment: voids and merges recorded later do not count yet). Returns (the
    day ages are measured to, rows ordered by name; `by_name=False`: maybe not, for a caller
    that sorts them its own way; `credits=False`: their `open_credits` may be left empty, for
    a caller that shows only the buckets and the oldest unpaid credit).

    Now (no bound, no `known_seq`): dues from the balances and every debtor's unpaid credits
    from the aging_runs read model, in one query. With a bound, dues from queries.dues_at;
    then, for a customer who owes money, their credits are walked from the newest back along
    the entries index until they cover the dues (`unpaid_credits`): the cost follows the
    customers and their unpaid credits, not the length of the log. As known at a moment, one
    sequential pass over the entries known then."""
    on = date.fromisoformat(as_of[:10]) if as_of else today or dates.today()
    if known_seq is not None:
        return on, _aging_known_at(conn, as_of, known_seq, on)
    if as_of is None:
        return on, _aging_now(conn, on, by_name, credits)
    final = final_ids(conn)  # a merged customer's entries are the one they merged into
    if as_of is None:
        dues = dict(conn.execute("SELECT customer_id, balance_paise FROM balances"))
    else:
        dues = {}
        for customer_id, total in dues_at(conn, as_of).items():
            owner = final.get(customer_id, customer_id)
            dues[owner] = dues.get(owner, 0) + total
    merged_into: dict[int, list[int]] = defaultdict(list)
    for old, into in final.items():
        merged_into[into].append(old)
    rows = []
    for customer_id, name, phone in conn.execute("SELECT id, name, phone FROM customers"):
        total = dues.get(customer_id, 0)
        if customer_id in final or not total:
            continue
        members = [customer_id, *merged_into.get(customer_id, ())]
        credits = newest_credits(conn, members, total, as_of) if total > 0 else []
        rows.append(age_customer(customer_id, name, phone, total, credits, on))
    rows.sort(key=lambda r: (r.name.lower(), r.customer_id))
    return on, rows


def _aging_now(
    conn: sqlite3.Connection, on: date, by_name: bool = True, keep: bool = True
) -> list[CustomerAging]:
    """aging() of everything known, from the aging_runs read model: every debtor's unpaid
    credits in one query (aging_runs.UNPAID, oldest first), dues from the balances. Not
    `by_name`: in no set order (for a caller that sorts them its own way). Not `keep`: the
    unpaid credits are added up, not kept (`open_credits` empty)."""
    by_day: dict[str, tuple[date, int, int]] = {}  # day -> (date, bucket, age in days)
    # customer -> (their oldest unpaid credit's day, their buckets, their unpaid credits)
    unpaid: dict[int, tuple[tuple[date, int, int], list[int], list[tuple[date, int]]]] = {}
    size = len(BUCKETS)
    current, buckets, credits = None, [], []
    for customer_id, day, paise in conn.execute(aging_runs.UNPAID):  # each debtor's together
        known = by_day.get(day)
        if known is None:
            credit_day = date.fromisoformat(day)
            age = (on - credit_day).days
            known = by_day[day] = (credit_day, bucket_index(age), max(age, 0))
        if customer_id != current:  # their oldest unpaid credit comes first
            current, buckets, credits = customer_id, [0] * size, []
            unpaid[customer_id] = (known, buckets, credits)
        buckets[known[1]] += paise
        if keep:
            credits.append((known[0], paise))
    rows = []
    found = unpaid.get
    for customer_id, name, phone, total in conn.execute(
        "SELECT c.id, c.name, c.phone, b.balance_paise FROM customers c"
        " JOIN balances b ON b.customer_id = c.id WHERE b.balance_paise != 0"
    ):
        aged = found(customer_id)
        if aged is None:
            rows.append(CustomerAging(customer_id, name, phone, total, [0] * size))
            continue
        oldest, buckets, credits = aged
        rows.append(
            CustomerAging(customer_id, name, phone, total, buckets, oldest[0], oldest[2], credits)
        )
    if by_name:
        rows.sort(key=lambda r: (r.name.lower(), r.customer_id))
    return rows


def _aging_known_at(
    conn: sqlite3.Connection, as_of: str | None, known_seq: int, on: date
) -> list[CustomerAging]:
    """aging() as known at entry `known_seq`: voids and merges recorded later do not count."""
    where, params = f"AND seq <= {int(known_seq)}", []
    if as_of is not None:
        where, params = where + " AND order_key <= ?", [as_of]
    dues: dict[int, int] = defaultdict(int)
    credits: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    sql = (
        "SELECT seq, customer_id, order_key, delta_paise FROM entries WHERE seq NOT IN"
        f" (SELECT target_seq FROM voided WHERE void_seq <= {int(known_seq)}) {where}"
    )
    final = final_ids(conn, known_seq)  # a merged customer's entries are the one they merged into
    for seq, customer_id, key, delta in conn.execute(sql, params):
        customer_id = final.get(customer_id, customer_id)
        dues[customer_id] += delta
        if delta > 0:
            credits[customer_id].append((key, seq, delta))
    rows = []
    names = names_known_at(conn, known_seq)
    for customer_id, name, phone in conn.execute("SELECT id, name, phone FROM customers"):
        total = dues.get(customer_id, 0)
        if customer_id in final or not total:
            continue
        name = names.get(customer_id, name)  # as known then
        rows.append(age_customer(customer_id, name, phone, total, credits[customer_id], on))
    rows.sort(key=lambda r: (r.name.lower(), r.customer_id))
    return rows


def newest_credits(
    conn: sqlite3.Connection, members: list[int], dues_paise: int, as_of: str | None
) -> list[tuple[str, int, int]]:
    """The customer's live credits (order_key, seq, paise), newest first, read along the
    entries index until they add up to `dues_paise` (what `unpaid_credits` needs of them)."""
    ids = ",".join(str(int(i)) for i in members)
    bound, params = ("AND e.order_key <= ?", (as_of,)) if as_of is not None else ("", ())
    rows = conn.execute(
        f"SELECT e.order_key, e.seq, e.delta_paise FROM entries e WHERE e.customer_id IN ({ids})"
        f" AND e.delta_paise > 0 {bound}"
        " AND NOT EXISTS (SELECT 1 FROM voided v WHERE v.target_seq = e.seq)"
        " ORDER BY e.order_key DESC, e.seq DESC",
        params,
    )
    credits, covered = [], 0
    for row in rows:
        credits.append(row)
        covered += row[2]
        if covered >= dues_paise:
            break
    return credits


def totals(rows: list[CustomerAging]) -> tuple[int, list[int]]:
    """(total dues, total per bucket) over the rows."""
    by_bucket = [sum(column) for column in zip(*(r.buckets for r in rows), strict=True)]
    return sum(r.dues_paise for r in rows), by_bucket or [0] * len(BUCKETS)
