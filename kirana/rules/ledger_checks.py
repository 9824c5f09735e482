"""The rules that need the ledger as it stands: the sale a return is against, what a void may
remove, what a customer may confirm, when a credit sale goes past a limit.

Each raises a KiranaError naming what is wrong (or, for the limit, returns the warning). The
commands (kirana.recording), the CSV import and the JSONL import (kirana.arrivals) call these
same functions; none of them writes.
"""

from __future__ import annotations

import sqlite3
from weakref import WeakKeyDictionary

from kirana import customers, dates, queries
from kirana.customers import CustomerRow
from kirana.errors import InputError, NotFoundError, RuleError
from kirana.events import (
    BALANCE_CONFIRMED,
    OPENING_BALANCE,
    PAYMENT,
    RETURN,
    SALE,
    VOID,
    Event,
    dues_delta_of,
    strict_rules,
)
from kirana.i18n import Message, marked, tr
from kirana.money import format_rupees
from kirana.names import LookAlikes, describe_char
from kirana.projections import final_ids
from kirana.rules.references import entry_day, voided_among
from kirana.store import Ledger, fetch_event

VOIDABLE = (SALE, PAYMENT, RETURN, OPENING_BALANCE, BALANCE_CONFIRMED)


def over_limit_warning(row: CustomerRow | None, dues_paise: int | None) -> str | None:
    """The warning a credit sale gives when it leaves a customer's dues over their limit."""
    limit = row.credit_limit_paise if row is not None else None
    if limit is None or dues_paise is None or dues_paise <= limit:
        return None

    return Message(  # English in an import's JSON, the shopkeeper's language on screen
        "{name}'s dues {dues} are over their credit limit of {limit}",
        name=row.name,
        dues=format_rupees(dues_paise),
        limit=format_rupees(limit),
    )


def limit_warning_now(
    conn: sqlite3.Connection, row: CustomerRow, pending_paise: int = 0
) -> tuple[str, str] | None:
    """After a credit sale that is not written yet (an import's batch holds `pending_paise` of
    the customer's dues): (customer, warning) if the dues are over the limit, as `sale` warns."""
    dues = queries.current_balance(conn, row.id) + pending_paise
    warning = over_limit_warning(row, dues)
    return (row.name, warning) if warning else None


def limit_warning_after(ledger: Ledger, seq: int) -> tuple[str, str] | None:
    """The credit-limit warning of an appended (and written) credit sale, as `sale` gives it."""
    event = ledger.get(seq)
    if event is None or event.type != SALE or event.data.get("method") != "credit":
        return None
    row = customers.find_exact(ledger.conn, event.customer)
    return limit_warning_now(ledger.conn, row) if row else None


def check_return_against(
    ledger: Ledger,
    seq: int,
    row: CustomerRow | None,
    total: int,
    occurred_at: str,
    lines: list[dict] | None = None,
) -> Event:
    """The sale a return is made against: a live sale, to the same customer, dated before the
    return, with enough left to return: in money, and of every item across all its live
    returns. Returns the sale."""
    sale = ledger.get(seq) if isinstance(seq, int) and not isinstance(seq, bool) else None
    if sale is None or sale.type != SALE:
        raise NotFoundError(
            tr("entry {seq} is not a sale; give --against the entry no. of the sale").format(
                seq=seq
            )
        )
    if queries.voided_by(ledger.conn, seq):
        raise RuleError(
            tr("sale {seq} was voided; a return cannot be made against it").format(seq=seq)
        )
    if (
        row is not None
        and sale.customer
        and customers.find(ledger.conn, sale.customer).id != row.id
    ):
        raise InputError(
            tr("sale {seq} was to '{customer}', not '{name}'").format(
                seq=seq, customer=sale.customer, name=row.name
            )
        )
    returned_key, sold_key = dates.order_key(occurred_at), dates.order_key(sale.occurred_at)
    if len(returned_key) == 10 or len(sold_key) == 10:  # a bare date: compare days
        returned_key, sold_key = returned_key[:10], sold_key[:10]
    if returned_key < sold_key:
        raise InputError(
            tr("the return is dated {day}, before sale {seq} on {sale_day}; check --on").format(
                day=occurred_at[:10], seq=seq, sale_day=sale.occurred_at[:10]
            )
        )
    returned = queries.returned_against(ledger, seq)
    if returned + total > sale.amount_paise:
        raise RuleError(
            tr(
                "sale {seq} was {amount} and {returned} is already returned; this return of {total} is too much"
            ).format(
                seq=seq,
                amount=format_rupees(sale.amount_paise),
                returned=format_rupees(returned),
                total=format_rupees(total),
            )
        )
    _check_returned_items(ledger, sale, lines or [])
    return sale


def _check_returned_items(ledger: Ledger, sale: Event, lines: list[dict]) -> None:
    """No item comes back more often than the sale sold it, counting earlier live returns."""
    if not lines:
        return
    from decimal import Decimal

    sold: dict[str, Decimal] = {}
    for line in sale.data.get("items", []):
        sold[line["name"].lower()] = sold.get(line["name"].lower(), Decimal(0)) + Decimal(
            line["qty"]
        )
    back: dict[str, Decimal] = {}
    for earlier in queries.live_returns_against(ledger.conn, sale.seq):
        for line in ledger.get(earlier).data.get("items", []):
            back[line["name"].lower()] = back.get(line["name"].lower(), Decimal(0)) + Decimal(
                line["qty"]
            )
    for line in lines:
        key = line["name"].lower()
        before = back.get(key, Decimal(0))
        back[key] = before + Decimal(line["qty"])
        if key not in sold:
            raise InputError(
                tr("'{name}' is not on sale {seq}; return what was sold").format(
                    name=line["name"], seq=sale.seq
                )
            )
        if back[key] > sold[key]:
            raise RuleError(
                tr(
                    "sale {seq} sold {value} of {name} and {before} came back already; {qty} more is too many"
                ).format(
                    seq=sale.seq, value=sold[key], name=line["name"], before=before, qty=line["qty"]
                )
            )


def check_void_target(ledger: Ledger, seq: int) -> Event:
    """The entry a void may remove: it exists, is voidable, and nothing depends on it."""
    target = ledger.get(seq) if isinstance(seq, int) else None
    if target is None:
        head = ledger.head()["seq"]
        raise NotFoundError(
            tr("there is no entry {seq}; entries run from 1 to {head} (see kirana log)").format(
                seq=seq, head=head
            )
        )
    if target.type == VOID:
        raise RuleError(
            tr("entry {seq} is itself a void; record the entry again instead").format(seq=seq)
        )
    if target.type not in VOIDABLE:
        raise RuleError(
            tr(
                "entry {seq} is a {type}, which cannot be voided; correct it with a new entry (e.g. kirana customer update)"
            ).format(seq=seq, type=target.type)
        )
    already = queries.voided_by(ledger.conn, seq)
    if already:
        raise RuleError(
            tr("entry {seq} was already voided by entry {already}").format(seq=seq, already=already)
        )
    returns = queries.live_returns_against(ledger.conn, seq)
    if returns:
        listed = ", ".join(f"#{r}" for r in returns)
        raise RuleError(
            tr(
                "sale {seq} has returns against it ({listed}); void those first, then the sale"
            ).format(seq=seq, listed=listed)
        )
    return target


def check_confirmation(
    ledger: Ledger, row: CustomerRow, amount_paise: int, occurred_at: str
) -> None:
    """A customer can only confirm the dues the ledger gives at that moment."""
    key = dates.order_key(occurred_at)
    bound = key + dates.END_OF_DAY if len(key) == 10 else key
    actual = queries.balance(ledger.conn, row.id, as_of=bound)
    if actual != amount_paise:
        raise RuleError(
            tr(
                "{name}'s dues on {occurred_at} are {actual} in the ledger, not {amount}; record the missing entry first (see kirana statement '{name}')"
            ).format(
                name=row.name,
                occurred_at=occurred_at,
                actual=format_rupees(actual),
                amount=format_rupees(amount_paise),
            )
        )


_look_alikes: WeakKeyDictionary[Ledger, tuple[tuple[int, int], LookAlikes]] = WeakKeyDictionary()


def look_alikes(ledger: Ledger) -> LookAlikes:
    """Every customer name the ledger has (current and former) by how it looks. Kept per open
    ledger and brought up to date from `customer_names` whenever a name was added (or, after a
    rolled-back import row, read afresh)."""
    last = ledger.conn.execute(  # the newest name (an index look-up, however many there are)
        "SELECT rowid, name_lower FROM customer_names ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    merges = ledger.conn.execute("SELECT count(*) FROM customer_merges").fetchone()[0]
    version = (last or (0, ""), merges)
    cached = _look_alikes.get(ledger)
    if cached is not None and cached[0] == version:
        return cached[1]
    old = cached[0] if cached is not None else None
    grows = (  # only names added since (a rolled-back row or a merge: read them all again)
        old is not None
        and old[1] == merges
        and old[0][0] < version[0][0]
        and ledger.conn.execute(
            "SELECT name_lower FROM customer_names WHERE rowid = ?", (old[0][0],)
        ).fetchone()
        == (old[0][1],)
    )
    known, after = (cached[1], old[0][0]) if grows else (LookAlikes(), 0)
    for name_lower, customer_id in ledger.conn.execute(
        "SELECT name_lower, customer_id FROM customer_names WHERE rowid > ? ORDER BY rowid",
        (after,),
    ):
        known.add(name_lower, customer_id)
    _look_alikes[ledger] = (version, known)
    return known


def check_new_name(ledger: Ledger, name: str, *, renaming: CustomerRow | None = None) -> str:
    """A customer name that is clean and free (a rename may take back a former name), and does
    not read the same as another customer's (a Cyrillic "Р" for a Latin "P")."""
    clean = customers.clean_name(name)
    if renaming is not None and clean.lower() == renaming.name.lower():
        return clean
    allow_id = renaming.id if renaming is not None else None
    customers.ensure_name_free(ledger.conn, clean, allow_id=allow_id)
    twin = look_alikes(ledger).same_look(clean) if strict_rules() else None
    if twin is not None and twin[1] != allow_id:
        existing = customers.by_id(ledger.conn, twin[1]).name
        odd = next(
            (
                " "
                + tr("({char} at position {position})").format(char=describe_char(c), position=i)
                for i, c in enumerate(clean, 1)
                if ord(c) > 127
            ),
            "",
        )
        raise InputError(
            tr(
                "'{clean}' looks the same as the customer '{existing}'{odd}; use that customer, or a name that reads differently"
            ).format(clean=clean, existing=existing, odd=odd)
        )
    return clean


def check_newcomer(ledger: Ledger, name: str) -> None:
    """An import row names a customer the ledger does not have: refuse it when the name looks
    like a customer it has (or one this import created): the import's look-alike rule."""
    twin = look_alikes(ledger).find(name)
    if twin is not None:
        existing = customers.by_id(ledger.conn, twin[1]).name
        raise InputError(
            tr(
                "customer '{name}' is not in the ledger, but looks like '{existing}'; did you mean '{existing}'? Fix the name, or import with --new-customers to add them"
            ).format(name=name, existing=existing)
        )


class ConfirmedDues:
    """The latest live balance confirmation of each customer: an entry dated at or before it
    that changes the customer's dues would make the confirmation false, so it is refused.
    Read once for a command (one customer) or an import (everyone; call `reload()` after a
    row that may have voided a confirmation)."""

    def __init__(self, conn: sqlite3.Connection, customer_id: int | None = None):
        self.conn = conn
        self.customer_id = customer_id
        self.reload()

    def reload(self) -> None:
        ids = queries.members(self.conn, self.customer_id) if self.customer_id is not None else []
        only = f"AND e.customer_id IN ({','.join('?' * len(ids))})" if ids else ""
        # customer (as they count now) -> [(bound, confirmation seq, whose entries it covers)]
        self.latest: dict[int, list[tuple[str, int, set[int]]]] = {}
        final = final_ids(self.conn)
        for customer_id, seq, key in self.conn.execute(
            # the confirmations first (a partial index holds them alone), then each entry
            "SELECT e.customer_id, e.seq, e.order_key FROM events v CROSS JOIN entries e"
            " ON e.seq = v.seq WHERE v.type = 'balance_confirmed' AND e.delta_paise = 0"
            " AND NOT EXISTS (SELECT 1 FROM voided WHERE target_seq = e.seq)"
            f" {only}",
            tuple(ids),
        ):
            bound = key + dates.END_OF_DAY if len(key) == 10 else key
            covers = set(queries.members(self.conn, customer_id, seq))  # as when confirmed
            owner = final.get(customer_id, customer_id)  # merged: found under INTO now
            self.latest.setdefault(owner, []).append((bound, seq, covers))

    def forget_voided(self, voided: set[int] | None = None) -> None:
        """Drop confirmations voided since they were read (cheap: asks about those only);
        `voided`: the entries voided since, when the caller knows them (nothing is asked)."""
        if voided is None:
            seqs = [seq for found in self.latest.values() for _, seq, _ in found]
            voided = voided_among(self.conn, seqs)
        if voided:
            for owner, found in list(self.latest.items()):
                self.latest[owner] = [item for item in found if item[1] not in voided]

    def check(
        self,
        row: CustomerRow | None,
        occurred_at: str,
        delta: int,
        what: str,
        entry_owner: int | None = None,
    ) -> None:
        """Refuse an entry of `row` at `occurred_at` moving its dues by `delta` when a live
        confirmation at or after that moment, covering the entry's customer (`entry_owner`:
        whose entry it was when written, for a void of an entry older than a merge), would
        then be false."""
        if row is None or not delta or row.id not in self.latest:
            return
        owner = row.id if entry_owner is None else entry_owner
        key = dates.order_key(occurred_at)
        hit = max(
            ((b, s) for b, s, covers in self.latest[row.id] if owner in covers and key <= b),
            default=None,
        )
        if hit is None:
            return
        bound, seq = hit
        confirmation = fetch_event(self.conn, seq)  # by the name they had (before a merge)
        confirmed = format_rupees(confirmation.amount_paise)
        raise RuleError(
            tr(
                "{customer} confirmed {confirmed} on {day}; {what} dated {entry_day} would change it. Record it with today's date, or void the confirmation first (kirana void {seq} --reason …)"
            ).format(
                customer=confirmation.customer,
                confirmed=confirmed,
                day=entry_day(bound),
                what=tr(what),
                entry_day=entry_day(key),
                seq=seq,
            )
        )


def check_confirmed(ledger: Ledger, row: CustomerRow | None, draft_type: str, occurred_at: str,
                    data: dict) -> None:  # fmt: skip
    """One entry (a command, a JSONL event) against the customer's confirmations."""
    if row is None:
        return
    delta = dues_delta_of(draft_type, data)
    ConfirmedDues(ledger.conn, row.id).check(row, occurred_at, delta, marked("this entry"))


def check_void_under_confirmation(
    ledger: Ledger, target: Event, dues: ConfirmedDues | None = None
) -> None:
    """Voiding an entry dated at or before a confirmation changes the confirmed dues too.
    `dues`: everyone's confirmations as the caller keeps them (an import), else read here."""
    if target.customer is None or target.type == BALANCE_CONFIRMED:
        return
    row = customers.find_exact(ledger.conn, target.customer)
    delta = -dues_delta_of(target.type, target.data)
    what = tr("voiding entry {seq}").format(seq=target.seq)
    owner = ledger.conn.execute(
        "SELECT customer_id FROM entries WHERE seq = ?", (target.seq,)
    ).fetchone()
    if dues is None or dues.customer_id is not None:
        dues = ConfirmedDues(ledger.conn, row.id if row else None)
    dues.check(row, target.occurred_at, delta, what, owner[0] if owner else None)


def check_merge(
    ledger: Ledger, from_row: CustomerRow, into_row: CustomerRow, typed: str | None = None
) -> None:
    """Two different customers, both still customers in their own right."""
    if from_row.id == into_row.id:
        name = typed or from_row.name
        if name.lower() == into_row.name.lower():
            raise InputError(
                tr("'{name}' is the customer to merge into; name another customer").format(
                    name=name
                )
            )
        raise InputError(
            tr("'{name}' is already '{into}' (a former name); nothing to merge").format(
                name=name, into=into_row.name
            )
        )
