"""Dispute evidence: "I paid ₹500 on the 3rd!" answered from the log in seconds (render-free).

`find_evidence()` reads one window of business time (the indexed `occurred_at` range, never a
full scan) and sorts every money entry in it into:
- **exact**: the disputed customer, the disputed type (default payment), the same amount, on
  the same business day;
- **near**: the same customer and type, either the same amount on another day within ±window
  days, or the same day with another amount;
- **other_customers**: the same type and amount booked to a *different* named customer within
  the window (mis-attribution; walk-in sales have no customer and are not listed);
- **voids**: the void entries that cancelled any of the rows above (each voided row also
  carries `voided_by`).

The verdict is FOUND iff at least one exact match is not voided: a voided payment no longer
counts towards dues, so it does not settle the dispute (it is still shown, with its void).
Dues before / after are full-knowledge balances in business time: `balance_before` as of the
end of the day before the disputed day, `balance_after` as of the end of the disputed day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kirana import dates, queries
from kirana.customers import CustomerRow
from kirana.errors import InputError
from kirana.events import PAYMENT, RETURN, SALE, VOID, Event
from kirana.i18n import marked, tr
from kirana.money import money_json
from kirana.projections import customer_id_for
from kirana.store import Ledger

DISPUTE_TYPES = (PAYMENT, SALE, RETURN)
DEFAULT_WINDOW_DAYS = 3
MAX_WINDOW_DAYS = 366

# Why a row is near (shown in the table; the JSON evidence keys are fixed by docs/json.md).
SAME_AMOUNT_OTHER_DAY = marked("other day")
SAME_DAY_OTHER_AMOUNT = marked("other amount")
EXACT = marked("exact")
OTHER_CUSTOMER = marked("same amount, other customer")


@dataclass(frozen=True)
class Evidence:
    """One entry shown as evidence, with why it was picked."""

    event: Event
    voided_by: int | None
    why: str

    def to_json(self) -> dict:
        event = self.event
        data = event.data
        method = data.get("settlement") if event.type == RETURN else data.get("method")
        return {
            "seq": event.seq,
            "type": event.type,
            "customer": event.customer,
            "occurred_at": event.occurred_at,
            "recorded_at": event.recorded_at,
            "recorded_by": event.recorded_by,
            "method": method,
            "reference": data.get("reference"),
            "amount_paise": event.amount_paise,
            "hash": event.hash,
            "voided_by": self.voided_by,
        }


@dataclass
class DisputeResult:
    customer: str
    kind: str
    amount_paise: int
    day: date
    window_days: int
    exact: list[Evidence] = field(default_factory=list)
    near: list[Evidence] = field(default_factory=list)
    other_customers: list[Evidence] = field(default_factory=list)
    voids: list[Event] = field(default_factory=list)
    balance_before_paise: int = 0
    balance_after_paise: int = 0
    head: dict = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return "FOUND" if any(row.voided_by is None for row in self.exact) else "NOT_FOUND"

    def to_json(self) -> dict:
        """The dispute JSON of docs/json.md, plus `query`, `voids`, rupee strings and `head`."""
        return {
            "verdict": self.verdict,
            "exact": [row.to_json() for row in self.exact],
            "near": [row.to_json() for row in self.near],
            "other_customers": [row.to_json() for row in self.other_customers],
            **money_json(self.balance_before_paise, "balance_before"),
            **money_json(self.balance_after_paise, "balance_after"),
            "voids": [void_json(event) for event in self.voids],
            "query": {
                "customer": self.customer,
                "type": self.kind,
                **money_json(self.amount_paise, "amount"),
                "on": self.day.isoformat(),
                "window_days": self.window_days,
            },
            "head": self.head,
        }


def void_json(event: Event) -> dict:
    return {
        "seq": event.seq,
        "target": event.data.get("target"),
        "reason": event.data.get("reason"),
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "recorded_by": event.recorded_by,
        "hash": event.hash,
    }


def parse_kind(text: str | None) -> str:
    kind = (text or PAYMENT).strip().lower()
    if kind not in DISPUTE_TYPES:
        raise InputError(
            tr("--type {text!r} is not one of {dispute_types}").format(
                text=text, dispute_types=", ".join(DISPUTE_TYPES)
            )
        )
    return kind


def check_window(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_WINDOW_DAYS:
        raise InputError(
            tr(
                "--window {days!r} must be a whole number of days from 0 to {max_window_days}, e.g. 3"
            ).format(days=days, max_window_days=MAX_WINDOW_DAYS)
        )
    return days


def disputed_day(on: str | None, known_at: str | None = None) -> date:
    """`--on WHEN` -> the business day it names (a time of day is ignored); default today."""
    if on is None:  # today, or the day it was at the --as-known-at moment
        return dates.known_at_local(known_at).date() if known_at else dates.today()
    when = dates.parse_when(on, what="--on")  # a question, not an entry: any day may be asked
    return when.astimezone(dates.shop_tz()).date() if isinstance(when, datetime) else when


def find_evidence(
    ledger: Ledger,
    customer: CustomerRow,
    amount_paise: int,
    day: date,
    *,
    kind: str = PAYMENT,
    window_days: int = DEFAULT_WINDOW_DAYS,
    known_at: str | None = None,
) -> DisputeResult:
    """Gather the evidence for one dispute (see the module docstring for the classes), from
    the entries recorded by a recorded_at bound when `known_at` is given (what the log could
    show then: later entries and later voids left out)."""
    kind = parse_kind(kind)
    window_days = check_window(window_days)
    conn = ledger.conn
    known_seq = queries.known_at_seq(conn, known_at) if known_at is not None else None
    last_seq = 2**62 if known_seq is None else known_seq
    name = queries.customer_name(conn, customer.id, known_seq)  # as they were called then
    result = DisputeResult(name, kind, amount_paise, day, window_days)
    first, last = day - timedelta(days=window_days), day + timedelta(days=window_days)
    ids: dict[str, int | None] = {}

    def id_of(name: str | None) -> int | None:
        if name is None:
            return None
        if name not in ids:
            ids[name] = customer_id_for(conn, name)
        return ids[name]

    # Stored occurred_at strings carry their own offset; a day's slack on each side of the
    # string range catches entries whose shop-local day differs from their text prefix.
    low = (first - timedelta(days=1)).isoformat()
    high = (last + timedelta(days=2)).isoformat()
    for event in ledger.iter_events(
        "occurred_at >= ? AND occurred_at < ? AND type = ? AND seq <= ?",
        (low, high, kind, last_seq),
        order="occurred_at, seq",
    ):
        on_day = dates.business_date(event.occurred_at)
        if not first <= on_day <= last:
            continue
        same_amount = event.amount_paise == amount_paise
        owner = id_of(event.customer)
        if owner == customer.id:
            if same_amount and on_day == day:
                why = EXACT
            elif same_amount:
                why = SAME_AMOUNT_OTHER_DAY
            elif on_day == day:
                why = SAME_DAY_OTHER_AMOUNT
            else:
                continue
        elif owner is not None and same_amount:
            why = OTHER_CUSTOMER
        else:
            continue
        row = Evidence(event, queries.voided_by(conn, event.seq, known_seq), why)
        bucket = {EXACT: result.exact, OTHER_CUSTOMER: result.other_customers}
        bucket.get(why, result.near).append(row)

    for rows in (result.exact, result.near, result.other_customers):
        rows.sort(key=lambda r: (dates.order_key(r.event.occurred_at), r.event.seq))
    void_seqs = sorted(
        {
            row.voided_by
            for rows in (result.exact, result.near, result.other_customers)
            for row in rows
            if row.voided_by
        }
    )
    result.voids = [v for v in (ledger.get(s) for s in void_seqs) if v and v.type == VOID]
    result.balance_before_paise = queries.balance(
        conn, customer.id, as_of=dates.as_of_bound_for_day(day - timedelta(days=1)),
        known_at=known_at,
    )  # fmt: skip
    result.balance_after_paise = queries.balance(
        conn, customer.id, as_of=dates.as_of_bound_for_day(day), known_at=known_at
    )
    result.head = queries.head_as_known_at(ledger, known_at)
    return result
