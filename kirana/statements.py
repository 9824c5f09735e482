"""A customer's khata page (`statement`): opening dues, every entry with running dues, closing.

The page is read from the page_lines read model (`page_entries`: only what a page shows of each
entry, clustered by customer in business order; no whole events): the whole period, or only its
newest N entries opening with the dues before them, as a list or lazily as it is drawn. As known at a moment (`known_at`), the page is read
whole from the entries, voids and merges recorded by then.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from kirana import dates
from kirana.errors import LedgerError
from kirana.events import dues_delta_of
from kirana.i18n import tr
from kirana.jsonfast import loads_payload
from kirana.money import format_rupees
from kirana.queries import (
    balance,
    current_balance,
    customer_events,
    customer_name,
    known_at_seq,
    members,
    page_range,
    statement_text,
    voided_by,
)
from kirana.store import Ledger

# (seq, type, occurred_at, customer, payload, the void's seq or None): what a page needs of an
# entry, read without the rest of the event (ids, hashes, who recorded it); the payload is
# whole as known at a moment, else trimmed to what a page reads (page_lines.PAGE_KEYS)
Entry = tuple[int, str, str, str | None, dict, int | None]


@dataclass(slots=True)
class StatementLine:
    seq: int
    occurred_at: str
    debit_paise: int
    credit_paise: int
    balance_paise: int
    voided_by: int | None
    type: str
    customer: str | None
    data: dict  # the entry's payload (trimmed to what a page reads, but as known at a moment)
    amount_paise: int | None = None  # every entry's own amount (a refund's, a cash sale's)
    note: str | None = None

    @property
    def description(self) -> str:
        """The entry described in English (JSON keeps it so), made when asked for: a page
        drawn in the language in force describes its lines itself."""
        return self.described()

    def described(self, tr=str) -> str:
        """The description with describe's part translated by `tr` (str: English)."""
        delta = self.debit_paise - self.credit_paise
        return statement_text(self.type, self.customer, self.data, delta, tr)


@dataclass
class Statement:
    """A khata page. `lines` is a list, or (for a page drawn as it is read) an iterator;
    `shown_from` is the (order key, seq) of the first line when only the newest `entries`
    are shown, with the dues before them as the opening."""

    customer: str
    start: str | None
    end: str | None
    opening_paise: int
    closing_paise: int
    lines: list[StatementLine] | Iterator[StatementLine]
    entries: int | None = None
    shown_from: tuple[str, int] | None = None


def statement(
    ledger: Ledger,
    customer_id: int,
    start: date | None = None,
    end: date | None = None,
    known_at: str | None = None,
    *,
    newest: int | None = None,
    lazy: bool = False,
) -> Statement:
    """The customer's khata page for the days start..end (inclusive; None = open-ended), as
    known at a recorded_at bound when given. With `newest`, only the newest that many entries
    of the period are shown, opening with the dues before them. With `lazy`, the lines are an
    iterator read from the ledger as they are drawn (the opening and closing dues are known
    before the first line). A page as known at a moment is read whole (`newest` and `lazy`
    do not apply to it)."""
    if known_at is not None:
        return _statement_known_at(ledger, customer_id, start, end, known_at)
    conn = ledger.conn
    name = customer_name(conn, customer_id)
    start_key = start.isoformat() if start else None
    end_key = dates.as_of_bound_for_day(end) if end else None
    ids = ",".join(str(int(i)) for i in members(conn, customer_id))
    where, params = f"customer_id IN ({ids})", []
    if start_key is not None:
        where += " AND order_key >= ?"
        params.append(start_key)
    if end_key is not None:
        where += " AND order_key <= ?"
        params.append(end_key)
    live = " AND NOT EXISTS (SELECT 1 FROM voided v WHERE v.target_seq = entries.seq)"
    count = conn.execute(f"SELECT count(*) FROM entries WHERE {where}", params).fetchone()[0]
    if start is None and end is None:  # the whole khata: its dues are the balances read model
        opening, moved = 0, current_balance(conn, customer_id)
    else:
        opening = (
            balance(conn, customer_id, as_of=dates.as_of_bound_for_day(start - timedelta(1)))
            if start
            else 0
        )
        moved = conn.execute(
            f"SELECT coalesce(sum(delta_paise), 0) FROM entries WHERE {where}{live}", params
        ).fetchone()[0]
    shown_from = None
    if newest is not None and count > newest:
        shown_from = conn.execute(
            f"SELECT order_key, seq FROM entries WHERE {where}"
            " ORDER BY order_key DESC, seq DESC LIMIT 1 OFFSET ?",
            [*params, newest - 1],
        ).fetchone()
        shown = conn.execute(  # the newest entries only: an index range of `newest` rows
            f"SELECT coalesce(sum(delta_paise), 0) FROM entries WHERE {where}"
            f" AND (order_key, seq) >= (?, ?){live}",
            [*params, *shown_from],
        ).fetchone()[0]
        opening += moved - shown
        moved = shown
    entries = page_entries(conn, customer_id, start_key, end_key, shown_from)
    lines = _statement_lines(opening, entries, (name, opening + moved))
    return Statement(
        name,
        start_key,
        end and end.isoformat(),
        opening,
        opening + moved,
        lines if lazy else list(lines),
        count,
        shown_from,
    )


def _statement_known_at(
    ledger: Ledger, customer_id: int, start: date | None, end: date | None, known_at: str
) -> Statement:
    """The page as known at a recorded_at bound: entries 1..that seq, voids and merges known
    by then, read whole."""
    conn = ledger.conn
    known_seq = known_at_seq(conn, known_at)
    name = customer_name(conn, customer_id, known_seq)
    start_key = start.isoformat() if start else None
    end_key = dates.as_of_bound_for_day(end) if end else None
    opening = 0
    if start:
        before = dates.as_of_bound_for_day(start - timedelta(1))
        opening = balance(conn, customer_id, as_of=before, known_at=known_at)
    entries = (
        (
            event.seq,
            event.type,
            event.occurred_at,
            event.customer,
            event.data,
            voided_by(conn, event.seq, known_seq),
        )
        for event in customer_events(ledger, customer_id, known_seq)
        if not (start_key and dates.order_key(event.occurred_at) < start_key)
        and not (end_key and dates.order_key(event.occurred_at) > end_key)
    )
    lines = list(_statement_lines(opening, entries))
    closing = lines[-1].balance_paise if lines else opening
    return Statement(name, start_key, end and end.isoformat(), opening, closing, lines)


def page_entries(
    conn,
    customer_id: int,
    start_key: str | None = None,
    end_key: str | None = None,
    after: tuple[str, int] | None = None,
) -> Iterator[Entry]:
    """The customer's khata entries (under any of their names) in business order (order key,
    then seq), read as they are needed from the page_lines read model (one range per name,
    in key order): days from `start_key`, order keys up to `end_key`, and from the entry
    `after` = (order key, seq) on (inclusive). Each payload is its page line: trimmed to what
    a page reads (page_lines.PAGE_KEYS)."""
    where, params = page_range(conn, customer_id, start_key, end_key, after)
    sql = (
        "SELECT e.seq, e.type, e.occurred_at, e.customer, e.line, v.void_seq"
        f" FROM page_lines e LEFT JOIN voided v ON v.target_seq = e.seq WHERE {where}"
        " ORDER BY e.order_key, e.seq"
    )
    loads = loads_payload
    for seq, kind, occurred, customer, line, void_seq in conn.execute(sql, params):
        try:
            data = loads(line)
        except ValueError:
            raise LedgerError(
                tr(
                    "the page line of entry {seq} (page_lines read model) is damaged; run "
                    "kirana verify, then kirana rebuild"
                ).format(seq=seq)
            ) from None
        yield seq, kind, occurred, customer, data, void_seq


def _statement_lines(
    opening: int, entries: Iterator[Entry], closing: tuple[str, int] | None = None
) -> Iterator[StatementLine]:
    """The page's lines from its entries in business order, with running dues. With `closing`
    = (the customer's name, the closing dues the entries and balances read models give), the
    lines' running dues must end there: else a read model was damaged (page_lines, which the
    lines come from, or the one the closing comes from), and LedgerError says so after the
    last line (a page drawn as it is read has shown its lines by then)."""
    running = opening
    line = StatementLine
    for seq, kind, occurred, customer, data, void_seq in entries:
        delta = dues_delta_of(kind, data)
        if not void_seq:  # a voided line is shown, but does not count
            running += delta
        yield line(
            seq,
            occurred,
            max(0, delta),
            -delta if delta < 0 else 0,
            running,
            void_seq,
            kind,
            customer,
            data,
            data.get("amount_paise"),
            data.get("note"),
        )
    if closing is not None and running != closing[1]:
        raise LedgerError(
            tr(
                "the khata page of {name} does not add up to their dues ({page} against "
                "{dues}): a read model is damaged; run kirana verify, then kirana rebuild"
            ).format(name=closing[0], page=format_rupees(running), dues=format_rupees(closing[1]))
        )
