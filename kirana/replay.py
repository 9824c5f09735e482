"""The fold: events -> khata state. The reference semantics every read model must equal.

One small function per event type. `fold()` replays events in seq order, optionally limited to
what was true in business time up to `as_of` (an order-key bound, see dates.py) and to what had
been recorded by `known_at` (a recorded_at bound). A void removes its target's effect from
every business-time view once the void itself is known.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kirana import dates, find_index, import_keys, invoices, page_lines
from kirana.errors import KiranaError
from kirana.events import (
    BALANCE_CONFIRMED,
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    CUSTOMERS_MERGED,
    ITEM_PRICED,
    OPENING_BALANCE,
    PAYMENT,
    PERIOD_CLOSED,
    PERIOD_REOPENED,
    RETURN,
    SALE,
    SHOP_CONFIGURED,
    VOID,
    Event,
    dues_delta,
    reference_key,
    upcast,
)
from kirana.i18n import Message


@dataclass
class Customer:
    id: int
    name: str
    phone: str | None = None
    credit_limit_paise: int | None = None


@dataclass
class Khata:
    """The state a replay produces. Customers are keyed by id (the seq that added them)."""

    customers: dict[int, Customer] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)  # every name ever used, lowercased
    balances: dict[int, int] = field(default_factory=dict)
    counted: dict[int, tuple[int, int]] = field(default_factory=dict)  # seq -> (customer, delta)
    voided: dict[int, int] = field(default_factory=dict)  # target seq -> void seq
    # business day -> [sales, returns] of sales and returns that are not voided
    daily: dict[str, list[int]] = field(default_factory=dict)
    daily_counted: dict[int, tuple[str, int, int]] = field(default_factory=dict)
    # filled only by fold(audit=True), for verify: what the other read models must hold
    entries_digest: Any = None  # sha256 over every khata entry (seq, customer, key, delta)
    find_digest: Any = None  # sha256 over every event's find index row (kirana/find_index.py)
    page_count: int = 0  # page_lines rows (one a khata entry with a customer) and the sum of
    page_sum: int = 0  # their page_lines.row_digest
    returns_against: set[tuple[int, int, int]] = field(default_factory=set)
    catalog: set[tuple] = field(default_factory=set)
    shop: set[tuple[int, str, str]] = field(default_factory=set)
    references: set[tuple[int, str, str]] = field(default_factory=set)
    merged: dict[int, int] = field(default_factory=dict)  # from id -> into id
    merge_seqs: dict[int, int] = field(default_factory=dict)  # from id -> the merge's seq
    import_keys: set[tuple[bytes, bytes, int]] = field(default_factory=set)  # key, content, seq
    import_key_seqs: dict[bytes, int] = field(default_factory=dict)  # key -> first entry with it
    damaged: list[tuple[int, str]] = field(default_factory=list)  # (seq, why) audit could not fold
    series: dict[str, int] = field(default_factory=dict)  # invoice series -> its next number
    # close seq -> [its period_closes row]: (seq, period, first day, end day, head, reopened)
    closes: dict[int, list] = field(default_factory=dict)
    upi_ids: dict[str, tuple[int, int]] = field(default_factory=dict)  # vpa -> (customer, seq)

    def final_id(self, customer_id: int) -> int:
        """The customer a (possibly merged-away) customer's dues count for now."""
        while customer_id in self.merged:
            customer_id = self.merged[customer_id]
        return customer_id

    def customer_id(self, name: str | None) -> int | None:
        return None if name is None else self.names.get(name.lower())


def _customer_added(state: Khata, event: Event) -> None:
    data = event.data
    state.customers[event.seq] = Customer(
        event.seq, event.customer, data.get("phone"), data.get("credit_limit_paise")
    )
    state.names[event.customer.lower()] = event.seq
    state.balances[event.seq] = 0


def _customer_updated(state: Khata, event: Event) -> None:
    customer = state.customers[state.names[event.customer.lower()]]
    data = event.data
    if "name" in data:
        customer.name = data["name"]
        state.names[data["name"].lower()] = customer.id
    if "phone" in data:
        customer.phone = data["phone"]
    if "credit_limit_paise" in data:
        customer.credit_limit_paise = data["credit_limit_paise"]
    for vpa in data.get("upi_ids", ()):
        state.upi_ids.setdefault(vpa, (customer.id, event.seq))  # the first owner keeps it


def _customers_merged(state: Khata, event: Event) -> None:
    from_id = state.names[event.data["from"].lower()]
    into_id = state.names[event.customer.lower()]
    state.merged[from_id] = into_id
    state.merge_seqs[from_id] = event.seq
    state.balances[into_id] += state.balances.pop(from_id)
    for vpa, (customer_id, seq) in list(state.upi_ids.items()):
        if customer_id == from_id:
            state.upi_ids[vpa] = (into_id, seq)
    for name, customer_id in list(state.names.items()):
        if customer_id == from_id:
            state.names[name] = into_id


def _void(state: Khata, event: Event) -> None:
    target = event.data["target"]
    state.voided[target] = event.seq
    counted = state.counted.pop(target, None)
    if counted:
        customer_id, delta = counted
        state.balances[state.final_id(customer_id)] -= delta
    in_daily = state.daily_counted.pop(target, None)
    if in_daily:
        day, column, amount = in_daily
        state.daily[day][column] -= amount


def _count_daily(state: Khata, event: Event, key: str) -> None:
    column = 0 if event.type == SALE else 1
    state.daily.setdefault(key[:10], [0, 0])[column] += event.data["amount_paise"]
    state.daily_counted[event.seq] = (key[:10], column, event.data["amount_paise"])


def _period_closed(state: Khata, event: Event) -> None:
    from kirana.periods import close_row  # rare: kept off the start-up path

    state.closes[event.seq] = list(close_row(event.seq, event.data))


def _period_reopened(state: Khata, event: Event) -> None:
    for row in state.closes.values():
        if row[1] == event.data["period"] and row[5] is None:
            row[5] = event.seq


APPLIERS: dict[str, Callable[[Khata, Event], None]] = {
    CUSTOMER_ADDED: _customer_added,
    CUSTOMER_UPDATED: _customer_updated,
    CUSTOMERS_MERGED: _customers_merged,
    VOID: _void,
    PERIOD_CLOSED: _period_closed,
    PERIOD_REOPENED: _period_reopened,
}


KHATA_ENTRY_TYPES = (SALE, PAYMENT, RETURN, OPENING_BALANCE, VOID, BALANCE_CONFIRMED)


def fold(
    events: Iterable[Event],
    as_of: str | None = None,
    known_at: str | None = None,
    audit: bool = False,
) -> Khata:
    """Replay events (in seq order) into a Khata. `audit` also gathers what verify compares
    the remaining read models with (entries, returns_against, catalog, shop settings)."""
    state = Khata()
    if audit:
        state.entries_digest = hashlib.sha256()
        state.find_digest = hashlib.sha256()
    order_key = dates.order_key_function()
    for raw in events:
        if known_at is not None and raw.recorded_at > known_at:
            break  # recorded_at never decreases along seq
        if not audit:
            _step(state, raw, as_of, order_key, audit)
            continue
        try:  # verify: a stored event that cannot be folded is a problem named by its seq
            state.find_digest.update(find_index.digest_line(raw.seq, raw.customer, raw.data))
            _step(state, raw, as_of, order_key, audit)
        except Exception as exc:  # noqa: BLE001 - any damage at all must be reported, not raised
            state.damaged.append(
                (
                    raw.seq,
                    Message("entry {seq}: cannot be replayed ({why})", seq=raw.seq, why=_why(exc)),
                )
            )
    return state


def _why(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        text = f"missing field {exc}"
    elif isinstance(exc, KiranaError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 160 else text[:157] + "..."


def _step(state: Khata, raw: Event, as_of: str | None, order_key, audit: bool) -> None:
    """Fold one event into the state."""
    event = upcast(raw)
    applier = APPLIERS.get(event.type)
    if applier:
        applier(state, event)
    entry = event.type in KHATA_ENTRY_TYPES
    key = order_key(event.occurred_at) if entry else ""
    customer_id = state.customer_id(event.customer) if entry else None
    if audit:
        _audit(state, event, key, customer_id)
    if not entry or event.type == VOID:
        return
    if as_of is not None and key > as_of:
        return
    if event.type in (SALE, RETURN):
        _count_daily(state, event, key)
    delta = dues_delta(event)
    if customer_id is None or delta == 0:
        return
    state.balances[customer_id] += delta
    state.counted[event.seq] = (customer_id, delta)


def _audit(state: Khata, event: Event, key: str, customer_id: int | None) -> None:
    data = event.data
    if event.type in KHATA_ENTRY_TYPES:
        if customer_id is not None:
            delta = dues_delta(event)
            state.entries_digest.update(f"{event.seq},{customer_id},{key},{delta};".encode())
            state.page_count += 1
            line = page_lines.line_of(data)
            row = (event.seq, customer_id, key, event.type, event.occurred_at, event.customer)
            state.page_sum += page_lines.row_digest(*row, line)
        if event.type == RETURN and "against" in data:
            state.returns_against.add((data["against"], event.seq, data["amount_paise"]))
        reference = reference_key(event.type, data)
        if reference is not None:
            state.references.add((event.seq, *reference))
        key = import_keys.of(data)
        if key is not None:
            first = state.import_key_seqs.setdefault(key[0], event.seq)
            if first == event.seq:
                state.import_keys.add((*key, event.seq))
            else:  # the read model keeps the first (INSERT OR IGNORE); this one is the problem
                twice = Message(
                    "entry {seq} carries the import key of entry {first}: one imported row"
                    " counted twice; void entry {seq} if it is",
                    seq=event.seq,
                    first=first,
                )
                state.damaged.append((event.seq, twice))
        if invoices.FIELD in data:
            series, number = invoices.parse_number(data[invoices.FIELD])
            state.series[series] = max(state.series.get(series, 0), number + 1)
    elif event.type == ITEM_PRICED:
        state.catalog.add(
            (
                event.seq,
                data["name"].lower(),
                data["name"],
                data["effective_from"],
                data["price_paise"],
                data["gst_rate"],
                data.get("hsn", ""),
                data.get("unit", ""),
            )
        )
    elif event.type == SHOP_CONFIGURED:
        settings = {key: value for key, value in data.items() if key != "effective_from"}
        state.shop.add((event.seq, data["effective_from"], json.dumps(settings, sort_keys=True)))


def entries_digest(rows: Iterable[tuple]) -> str:
    """The digest fold(audit=True) computes, over stored entries rows in seq order."""
    digest = hashlib.sha256()
    for seq, customer_id, key, delta in rows:
        digest.update(f"{seq},{customer_id},{key},{delta};".encode())
    return digest.hexdigest()
