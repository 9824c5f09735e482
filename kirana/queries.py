"""Questions the khata answers from its read models: dues now, as of, as known at; statements.

Every function here reads; none appends. `balance()` is one indexed SUM over the entries read
model, so it stays fast however long the log grows; replay.fold() is the slow reference it is
tested against.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from functools import cache

from kirana import dates, invoices
from kirana.events import (
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    GENESIS_HASH,
    PAYMENT,
    RETURN,
    SALE,
    Event,
)
from kirana.money import format_rupees
from kirana.projections import final_ids
from kirana.store import Ledger, fetch_event, row_to_event
from kirana.store.codec import COLUMNS

EVENT_COLUMNS = ", ".join(f"ev.{name.strip()}" for name in COLUMNS.split(","))


def current_balance(conn: sqlite3.Connection, customer_id: int) -> int:
    row = conn.execute(
        "SELECT balance_paise FROM balances WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    return row[0] if row else 0


def known_at_seq(conn: sqlite3.Connection, known_at: str) -> int:
    """The last seq recorded at or before `known_at`. recorded_at never decreases along seq
    (the store refuses an append that would break that), so this is a binary search."""
    low, high = 0, conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
    while low < high:
        middle = (low + high + 1) // 2
        recorded = conn.execute("SELECT recorded_at FROM events WHERE seq = ?", (middle,))
        if recorded.fetchone()[0] <= known_at:
            low = middle
        else:
            high = middle - 1
    return low


def fetch_amount(conn: sqlite3.Connection, seq: int) -> int:
    """The amount_paise of entry `seq`."""
    event = fetch_event(conn, seq)
    return event.amount_paise if event else 0


def head_as_known_at(ledger: Ledger, known_at: str | None) -> dict:
    """The head as it stood at a recorded_at bound (the current head when None)."""
    if known_at is None:
        return ledger.head()
    seq = known_at_seq(ledger.conn, known_at)
    event = ledger.get(seq) if seq else None
    return {"seq": seq, "hash": event.hash if event else GENESIS_HASH}


def _filters(conn: sqlite3.Connection, as_of: str | None, known_at: str | None):
    """SQL conditions on `entries e` for a business-time bound and a knowledge bound."""
    clauses, params = [], []
    if as_of is not None:
        clauses.append("e.order_key <= ?")
        params.append(as_of)
    if known_at is not None:
        last_known = known_at_seq(conn, known_at)
        clauses.append("e.seq <= ?")
        clauses.append("e.seq NOT IN (SELECT target_seq FROM voided WHERE void_seq <= ?)")
        params += [last_known, last_known]
    else:
        clauses.append("e.seq NOT IN (SELECT target_seq FROM voided)")
    return " AND ".join(clauses), params


def names_known_at(conn: sqlite3.Connection, known_seq: int | None = None) -> dict[int, str]:
    """Each customer id -> their name (as it was at entry `known_seq` when given: a rename
    recorded later not yet made; customers added later left out)."""
    if known_seq is None:
        return dict(conn.execute("SELECT id, name FROM customers"))
    names: dict[int, str] = {}
    ids: dict[str, int] = {}
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM events WHERE type IN (?, ?) AND seq <= ? ORDER BY seq",
        (CUSTOMER_ADDED, CUSTOMER_UPDATED, known_seq),
    )
    for row in rows:
        event = row_to_event(row)
        if event.type == CUSTOMER_ADDED:
            names[event.seq] = event.customer
            ids[event.customer.lower()] = event.seq
        elif "name" in event.data and event.customer.lower() in ids:
            customer_id = ids[event.customer.lower()]
            names[customer_id] = event.data["name"]
            ids[event.data["name"].lower()] = customer_id
    return names


def members(conn: sqlite3.Connection, customer_id: int, known_seq: int | None = None) -> list[int]:
    """The customer and every customer merged into them (as known at `known_seq`): whose
    entries count as this customer's."""
    final = final_ids(conn, known_seq)
    return [customer_id, *(old for old, into in final.items() if into == customer_id)]


def _in(ids: list[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


def balance(
    conn: sqlite3.Connection,
    customer_id: int,
    as_of: str | None = None,
    known_at: str | None = None,
    *,
    members_known_seq: int | None = None,
) -> int:
    """A customer's dues as of an order-key bound, as known at a recorded_at bound (merged
    customers counted as of that knowledge, or as of `members_known_seq` when given)."""
    if as_of is None and known_at is None and members_known_seq is None:
        return current_balance(conn, customer_id)
    where, params = _filters(conn, as_of, known_at)
    if members_known_seq is None and known_at is not None:
        members_known_seq = known_at_seq(conn, known_at)
    ids = _in(members(conn, customer_id, members_known_seq))
    row = conn.execute(
        f"SELECT coalesce(sum(e.delta_paise), 0) FROM entries e WHERE e.customer_id IN ({ids})"
        f" AND {where}",
        params,
    ).fetchone()
    return row[0]


def all_balances(
    conn: sqlite3.Connection, as_of: str | None = None, known_at: str | None = None
) -> list[tuple[str, int]]:
    """(customer name, dues) for every customer, ordered by name."""
    if as_of is None and known_at is None:
        sql = (
            "SELECT c.name, b.balance_paise FROM balances b JOIN customers c ON c.id = b.customer_id"
            " ORDER BY c.name COLLATE NOCASE"
        )
        return list(conn.execute(sql))
    if known_at is None:  # as of a moment: the year_dues read model and at most a year of entries
        final = final_ids(conn)
        totals = {}
        for customer_id, total in dues_at(conn, as_of).items():
            owner = final.get(customer_id, customer_id)
            totals[owner] = totals.get(owner, 0) + total
        names = conn.execute("SELECT id, name FROM customers ORDER BY name COLLATE NOCASE")
        return [(name, totals.get(cid, 0)) for cid, name in names if cid not in final]
    where, params = _filters(conn, as_of, known_at)
    sql = (  # a plain scan beats walking the per-customer index for every customer
        "SELECT e.customer_id, sum(e.delta_paise) FROM entries e NOT INDEXED"
        f" WHERE {where} GROUP BY e.customer_id"
    )
    known_seq = known_at_seq(conn, known_at) if known_at is not None else None
    final = final_ids(conn, known_seq)
    totals: dict[int, int] = {}
    for customer_id, total in conn.execute(sql, params):
        owner = final.get(customer_id, customer_id)
        totals[owner] = totals.get(owner, 0) + total
    if known_seq is None:
        names = conn.execute("SELECT id, name FROM customers ORDER BY name COLLATE NOCASE")
    else:  # the names they had then
        names = sorted(names_known_at(conn, known_seq).items(), key=lambda i: i[1].lower())
    return [(name, totals.get(cid, 0)) for cid, name in names if cid not in final]


def dues_at(conn: sqlite3.Connection, as_of: str) -> dict[int, int]:
    """Every customer's dues as of an order-key bound (full knowledge; voided entries never
    count), by customer id as the entries have it (merged-away ids too: see final_ids).

    The years before the bound's come from the year_dues read model; the bound's own year is
    summed from the customer's entries along the entries index, from the year's first key to
    the bound: at most a year of entries, however long the khata."""
    year = int(as_of[:4])
    dues = dict(
        conn.execute(
            "SELECT customer_id, sum(moved_paise) FROM year_dues WHERE year < ?"
            " GROUP BY customer_id",
            (year,),
        )
    )
    this_year = conn.execute(
        "SELECT c.id, (SELECT sum(e.delta_paise) FROM entries e WHERE e.customer_id = c.id"
        " AND e.order_key >= ? AND e.order_key <= ? AND e.delta_paise != 0"
        " AND NOT EXISTS (SELECT 1 FROM voided v WHERE v.target_seq = e.seq)) FROM customers c",
        (f"{year:04d}", as_of),
    )
    for customer_id, moved in this_year:
        if moved:
            dues[customer_id] = dues.get(customer_id, 0) + moved
    return dues


def customer_name(conn: sqlite3.Connection, customer_id: int, known_seq: int | None = None) -> str:
    """The customer's name now, or as it was at entry `known_seq` (before later renames)."""
    if known_seq is not None:
        then = names_known_at(conn, known_seq).get(customer_id)
        if then is not None:
            return then
    return conn.execute("SELECT name FROM customers WHERE id = ?", (customer_id,)).fetchone()[0]


def voided_by(conn: sqlite3.Connection, seq: int, known_seq: int | None = None) -> int | None:
    """The void of entry `seq` (one recorded by entry `known_seq` when given), or None."""
    row = conn.execute("SELECT void_seq FROM voided WHERE target_seq = ?", (seq,)).fetchone()
    return row[0] if row and (known_seq is None or row[0] <= known_seq) else None


def returned_against(ledger: Ledger, sale_seq: int) -> int:
    """Paise already returned against a sale (voided returns do not count)."""
    row = ledger.conn.execute(
        "SELECT coalesce(sum(amount_paise), 0) FROM returns_against WHERE sale_seq = ?"
        " AND return_seq NOT IN (SELECT target_seq FROM voided)",
        (sale_seq,),
    ).fetchone()
    return row[0]


def live_returns_against(conn: sqlite3.Connection, sale_seq: int) -> list[int]:
    """Entry numbers of the returns against a sale that are not voided."""
    rows = conn.execute(
        "SELECT return_seq FROM returns_against WHERE sale_seq = ?"
        " AND return_seq NOT IN (SELECT target_seq FROM voided) ORDER BY return_seq",
        (sale_seq,),
    )
    return [seq for (seq,) in rows]


def customer_events(ledger: Ledger, customer_id: int, known_seq: int | None = None) -> list[Event]:
    """Every khata entry of this customer (under any of their names), in business-time order
    (entries 1..`known_seq` when given, with the merges known by then)."""
    if known_seq is None:  # along the entries index, already in business order
        return [event for event, _ in entries_in_order(ledger.conn, customer_id)]
    ids = _in(members(ledger.conn, customer_id, known_seq))
    known = "" if known_seq is None else f" AND seq <= {int(known_seq)}"
    events = ledger.iter_events(
        f"seq IN (SELECT seq FROM entries WHERE customer_id IN ({ids}){known})"
    )
    return sorted(events, key=lambda e: (dates.order_key(e.occurred_at), e.seq))


def page_range(
    conn: sqlite3.Connection,
    customer_id: int,
    start_key: str | None = None,
    end_key: str | None = None,
    after: tuple[str, int] | None = None,
) -> tuple[str, list]:
    """The WHERE clause (over `entries e`) and its parameters for a customer's page: their
    entries under any of their names, days from `start_key`, order keys up to `end_key`, and
    from the entry `after` = (order key, seq) on (inclusive)."""
    clauses = [f"e.customer_id IN ({_in(members(conn, customer_id))})"]
    params: list = []
    if start_key is not None:
        clauses.append("e.order_key >= ?")
        params.append(start_key)
    if end_key is not None:
        clauses.append("e.order_key <= ?")
        params.append(end_key)
    if after is not None:
        clauses.append("(e.order_key, e.seq) >= (?, ?)")
        params += list(after)
    return " AND ".join(clauses), params


def entries_in_order(
    conn: sqlite3.Connection,
    customer_id: int,
    start_key: str | None = None,
    end_key: str | None = None,
    after: tuple[str, int] | None = None,
) -> Iterator[tuple[Event, int | None]]:
    """The customer's khata entries (under any of their names) in business order (order key,
    then seq), each with the void that voided it or None, read as they are needed along the
    entries index: days from `start_key`, order keys up to `end_key`, and from the entry
    `after` = (order key, seq) on (inclusive)."""
    where, params = page_range(conn, customer_id, start_key, end_key, after)
    sql = (
        f"SELECT {EVENT_COLUMNS}, v.void_seq FROM entries e JOIN events ev ON ev.seq = e.seq"
        f" LEFT JOIN voided v ON v.target_seq = e.seq WHERE {where}"
        " ORDER BY e.order_key, e.seq"
    )
    for row in conn.execute(sql, params):
        yield row_to_event(row[:-1]), row[-1]


def _method_label(method: str, tr=str) -> str:
    """The method as a khata page names it, translating only that one (a line at a time)."""
    if method == "cash":
        return tr("Cash")
    if method == "credit":
        return tr("Credit")
    if method == "upi":
        return "UPI"
    if method == "card":
        return tr("Card")
    if method == "cheque":
        return tr("Cheque")
    if method == "bank":
        return tr("Bank")
    return method.capitalize()


@cache
def _sale_label(method: str, tr) -> str:
    """A sale's label by method in the language `tr` translates to, made once (a statement
    describes thousands of lines with a handful of labels)."""
    return tr("{method} sale").format(method=_method_label(method, tr))


@cache
def _payment_label(method: str, tr) -> str:
    return tr("Payment ({method})").format(method=_method_label(method, tr))


@cache
def _return_label(settlement: str, tr) -> str:
    to = {"khata": tr("Return to khata"), "cash": tr("Return to cash"), "upi": tr("Return to upi")}
    return to.get(settlement, f"Return to {settlement}")


def _numbered(data: dict) -> str:
    """' INV/2025-26/0001' (a sale's invoice or a return's credit note number), or ''."""
    number = data.get(invoices.FIELD)
    return f" {number}" if number else ""


def describe(event: Event, *, translated: bool = False) -> str:
    """A khata-page description of an event: 'Credit sale: atta 2 kg, oil 1' etc. In English
    (JSON keeps it so); `translated`: in the language in force, for pages people read."""
    if translated:
        from kirana.i18n import translator

        tr = translator()
    else:
        tr = str
    return describe_payload(event.type, event.customer, event.data, tr)


def describe_payload(kind: str, customer: str | None, data: dict, tr=str) -> str:
    """describe() from an entry's type, customer and payload (a page read without whole
    events), with `tr` the translation to use (str: English)."""
    if kind == SALE:
        what = ", ".join(
            [
                f"{line['name']} {line['qty']} {line['unit']}"
                if line.get("unit")
                else f"{line['name']} {line['qty']}"
                for line in data.get("items", ())
            ]
        )
        label = _sale_label(data["method"], tr)
        if data.get(invoices.FIELD):
            label += f" {data[invoices.FIELD]}"  # _numbered(data), inline
        return f"{label}: {what}" if what else label
    if kind == "customers_merged":
        return tr("Merged {old} into {new}: {reason}").format(
            old=data["from"], new=customer, reason=data["reason"]
        )
    if kind == PAYMENT:
        paid = _payment_label(data["method"], tr)
        if data.get("reference"):
            paid += " " + tr("ref {reference}").format(reference=data["reference"])
        return paid
    if kind == RETURN:
        against = (
            " " + tr("against #{seq}").format(seq=data["against"]) if data.get("against") else ""
        )
        return _return_label(data["settlement"], tr) + _numbered(data) + against
    if kind == "opening_balance":
        ahead = data.get("amount_paise", 0) < 0
        if ahead:
            return tr("Opening advance from paper khata")
        return tr("Opening dues from paper khata")
    if kind == "void":
        return tr("Void of #{seq}: {reason}").format(seq=data["target"], reason=data["reason"])
    if kind == "balance_confirmed":
        ahead = data.get("amount_paise", 0) < 0
        return tr("Customer confirmed an advance") if ahead else tr("Customer confirmed dues")
    if kind == "period_closed":
        return tr("Closed {period} at entry {seq} (hash {hash})").format(
            period=data["period"], seq=data["head_seq"], hash=data["head_hash"][:12]
        )
    if kind == "period_reopened":
        return tr("Reopened {period}: {reason}").format(
            period=data["period"], reason=data["reason"]
        )
    if kind == "customer_added":
        return tr("Customer added")
    if kind == "customer_updated":
        return tr("Details changed: ") + ", ".join(sorted(data))
    if kind == "item_priced":
        unit = f"/{data['unit']}" if data.get("unit") else ""
        return tr("Price of {item}: {price}{unit}, GST {rate} from {day}").format(
            item=data["name"],
            price=format_rupees(data["price_paise"]),
            unit=unit,
            rate=f"{data['gst_rate']}%",
            day=data["effective_from"],
        )
    if kind == "shop_configured":
        changes = ", ".join(f"{k} {v}" for k, v in sorted(data.items()) if k != "effective_from")
        return tr("Shop settings from {day}: {changes}").format(
            day=data["effective_from"], changes=changes
        )
    return kind


def statement_text(kind: str, customer: str | None, data: dict, delta: int, tr=str) -> str:
    """An entry described for a khata page (describe_payload, translated by `tr`: str is
    English), with what the Debit/Credit columns cannot show: the amount of an entry that
    leaves the dues alone (a refund, a cash or UPI sale; `delta` is how it moves the dues),
    the amount a customer confirmed, and the entry's note."""
    text = describe_payload(kind, customer, data, tr)
    amount = data.get("amount_paise")
    if kind == "balance_confirmed":
        what = f"dues of {format_rupees(amount)}" if amount >= 0 else "an advance of "
        text = f"Customer confirmed {what}" + (format_rupees(-amount) if amount < 0 else "")
    elif amount is not None and not delta:
        how = data.get("settlement") or data.get("method") or ""
        how = {"upi": "UPI"}.get(how, how)
        verb = "refunded" if kind == RETURN else "paid"
        text += f" ({verb} {format_rupees(amount)} {'in' if how == 'cash' else 'by'} {how})"
    if data.get("note"):
        text += f"; note: {data['note']}"
    return text
