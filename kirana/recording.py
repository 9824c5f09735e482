"""Recording what happened: the commands' write path, one function per command.

Each function takes parsed values (paise, occurred_at strings, names as typed), builds the
payload with kirana.rules.payloads, checks it against the ledger with kirana.rules.ledger_checks,
and appends one event inside a write transaction. Nothing is appended when a rule fails: a
KiranaError is raised before `append`. The importers use the same rule functions, so a rule
lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kirana import catalog, customers, dates, import_keys, queries
from kirana.customers import CustomerRow
from kirana.errors import InputError
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
)
from kirana.i18n import tr
from kirana.rules import (
    closed_periods,
    identifiers,
    invoices,
    ledger_checks,
    payloads,
    references,
    words,
)
from kirana.store import Draft, Ledger


@dataclass
class Recorded:
    """What a write command reports back: the event, whose dues, the new dues, any warnings,
    and notes its confirmation line adds (items taxed at the shop's default GST rate)."""

    event: Event
    customer: str | None = None
    dues_paise: int | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _done(ledger: Ledger, event: Event, row: CustomerRow | None) -> Recorded:
    """What to tell the user: the customer (by the name they have now) and their new dues."""
    if row is None:
        return Recorded(event)
    name = event.data.get("name", row.name) if event.type == CUSTOMER_UPDATED else row.name
    return Recorded(event, name, queries.current_balance(ledger.conn, row.id))


def add_customer(
    ledger: Ledger,
    name: str,
    phone: str | None = None,
    limit_paise: int | None = None,
    occurred_at: str | None = None,
    gstin: str | None = None,
) -> Recorded:
    data = payloads.customer_data(phone, limit_paise, gstin)
    with ledger.write():
        name = ledger_checks.check_new_name(ledger, name)
        when = occurred_at or dates.parse_occurred_at(None)
        closed_periods.check_entry(ledger.conn, CUSTOMER_ADDED, when, data)
        event = ledger.append(Draft(CUSTOMER_ADDED, when, name, data))
    return Recorded(event, name, 0)


def update_customer(
    ledger: Ledger,
    who: str,
    new_name: str | None = None,
    phone: str | None = None,
    limit_paise: int | None = None,
    gstin: str | None = None,
    upi_ids: list[str] | None = None,
) -> Recorded:
    """`customer update`: a new name, phone, limit or GSTIN, or UPI ids added (each one that
    another customer carries is refused; one the customer carries already is left out)."""
    with ledger.write():
        row = customers.find(ledger.conn, who)
        if new_name is not None:
            new_name = ledger_checks.check_new_name(ledger, new_name, renaming=row)
        if upi_ids:
            from kirana.rules import payers  # only here: a sale or a payment does not load it

            new_ids = payers.check_upi_ids_free(ledger.conn, row, upi_ids)
            unchanged = (new_name, phone, limit_paise, gstin) == (None, None, None, None)
            if not new_ids and unchanged:
                shown = ", ".join(upi_ids)
                raise InputError(
                    tr("{name} already has UPI id {shown}; nothing to change").format(
                        name=row.name, shown=shown
                    )
                )
            upi_ids = new_ids or None
        data = payloads.customer_update_data(new_name, phone, limit_paise, gstin, upi_ids)
        event = ledger.append(
            Draft(CUSTOMER_UPDATED, dates.parse_occurred_at(None), row.name, data)
        )
        return _done(ledger, event, row)


def remember_upi_id(ledger: Ledger, who: str, vpa: str) -> Recorded | None:
    """A payer assigned to a customer (a bank import's review file, imported): the UPI id is
    added to them unless they carry it already; another customer's is refused."""
    with ledger.write():
        from kirana.rules import payers

        row = customers.find(ledger.conn, who)
        if not payers.check_upi_ids_free(ledger.conn, row, [vpa]):
            return None
        return update_customer(ledger, row.name, upi_ids=[vpa])


def merge_customers(ledger: Ledger, from_text: str, into_text: str, reason: str) -> Recorded:
    """`customer merge FROM INTO`: from now on FROM's entries count as INTO's."""
    with ledger.write():
        from_row = customers.find_whole_name(ledger.conn, from_text)
        into_row = customers.find_whole_name(ledger.conn, into_text)
        ledger_checks.check_merge(ledger, from_row, into_row, from_text)
        data = payloads.merge_data(from_row.name, reason)
        when = dates.parse_occurred_at(None)
        event = ledger.append(Draft(CUSTOMERS_MERGED, when, into_row.name, data))
        return _done(ledger, event, into_row)


def record_sale(
    ledger: Ledger,
    who: str | None,
    *,
    method: str,
    occurred_at: str,
    lines: list[dict] | None = None,
    amount_paise: int | None = None,
    reference: str | None = None,
    note: str | None = None,
    duplicate_ref: bool = False,
) -> Recorded:
    data = payloads.sale_data(
        method,
        has_customer=bool(who),
        lines=lines,
        amount_paise=amount_paise,
        reference=reference,
        note=note,
        duplicate_ref=duplicate_ref,
    )
    with ledger.write():
        row = customers.find(ledger.conn, who) if who else None
        closed_periods.check_entry(ledger.conn, SALE, occurred_at, data)
        ledger_checks.check_confirmed(ledger, row, SALE, occurred_at, data)
        references.check_reference(ledger, SALE, data)
        data = invoices.stamped(ledger, SALE, occurred_at, data)
        event = ledger.append(Draft(SALE, occurred_at, row.name if row else None, data))
        recorded = _done(ledger, event, row)
        if method == "credit":
            warning = ledger_checks.over_limit_warning(row, recorded.dues_paise)
            recorded.warnings += [warning] if warning else []
        return recorded


def sale_from_words(
    ledger: Ledger, typed: list[str], *, method: str, occurred_at: str, **details
) -> Recorded:
    """`kirana sale [CUSTOMER] ITEM...`: the words resolved (kirana.rules.words), recorded; the
    confirmation notes items the catalog does not know, taxed at the shop's default rate."""
    with ledger.write():
        who, lines = words.customer_and_lines(
            ledger, typed[0] if typed else None, typed[1:], occurred_at
        )
        recorded = record_sale(
            ledger, who, method=method, occurred_at=occurred_at, lines=lines, **details
        )
        note = catalog.default_rate_note(ledger.conn, lines, dates.business_date(occurred_at))
    recorded.notes += [note] if note else []
    return recorded


def record_payment(
    ledger: Ledger,
    who: str,
    amount_paise: int,
    *,
    method: str = "cash",
    occurred_at: str,
    reference: str | None = None,
    note: str | None = None,
    duplicate_ref: bool = False,
) -> Recorded:
    data = payloads.payment_data(
        amount_paise, method=method, reference=reference, note=note, duplicate_ref=duplicate_ref
    )
    with ledger.write():
        row = customers.find(ledger.conn, who)
        closed_periods.check_entry(ledger.conn, PAYMENT, occurred_at, data)
        ledger_checks.check_confirmed(ledger, row, PAYMENT, occurred_at, data)
        references.check_reference(ledger, PAYMENT, data)
        event = ledger.append(Draft(PAYMENT, occurred_at, row.name, data))
        return _done(ledger, event, row)


def record_return(
    ledger: Ledger,
    who: str | None,
    *,
    settlement: str,
    occurred_at: str,
    lines: list[dict] | None = None,
    amount_paise: int | None = None,
    against: int | None = None,
    reference: str | None = None,
    note: str | None = None,
) -> Recorded:
    total = payloads.sale_total(lines, amount_paise)
    with ledger.write():
        row = customers.find(ledger.conn, who) if who else None
        if against is not None:
            sale = ledger_checks.check_return_against(
                ledger, against, row, total, occurred_at, lines
            )
            if row is None and sale.customer:
                row = customers.find(ledger.conn, sale.customer)
        data = payloads.return_data(
            settlement,
            has_customer=row is not None,
            lines=lines,
            amount_paise=amount_paise,
            against=against,
            reference=reference,
            note=note,
        )
        closed_periods.check_entry(ledger.conn, RETURN, occurred_at, data)
        ledger_checks.check_confirmed(ledger, row, RETURN, occurred_at, data)
        data = invoices.stamped(ledger, RETURN, occurred_at, data)
        event = ledger.append(Draft(RETURN, occurred_at, row.name if row else None, data))
        return _done(ledger, event, row)


def return_from_words(
    ledger: Ledger,
    typed: list[str],
    *,
    settlement: str,
    occurred_at: str,
    against: int | None = None,
    **details,
) -> Recorded:
    """`kirana return [CUSTOMER] ITEM...`: the words resolved (priced as the sale charged them
    when --against names one), recorded."""
    first = typed[0] if typed else None
    who, lines = words.customer_and_lines(ledger, first, typed[1:], occurred_at, against)
    return record_return(
        ledger,
        who,
        settlement=settlement,
        occurred_at=occurred_at,
        lines=lines,
        against=against,
        **details,
    )


def record_opening(ledger: Ledger, who: str, amount_paise: int, *, occurred_at: str) -> Recorded:
    data = payloads.opening_data(amount_paise)
    with ledger.write():
        row = customers.find(ledger.conn, who)
        closed_periods.check_entry(ledger.conn, OPENING_BALANCE, occurred_at, data)
        ledger_checks.check_confirmed(ledger, row, OPENING_BALANCE, occurred_at, data)
        event = ledger.append(Draft(OPENING_BALANCE, occurred_at, row.name, data))
        return _done(ledger, event, row)


def record_void(
    ledger: Ledger,
    seq: int,
    reason: str,
    *,
    import_key: tuple[bytes, bytes] | None = None,
    confirmed: ledger_checks.ConfirmedDues | None = None,
) -> Recorded:
    """Void entry `seq`; an import row's void carries the row's import key digests (and the
    import hands in the confirmations it keeps, `confirmed`, instead of reading them again)."""
    data = payloads.void_data(seq, reason)
    if import_key is not None:
        data = import_keys.keyed(data, *import_key)
    with ledger.write():
        target = ledger_checks.check_void_target(ledger, seq)
        closed_periods.check_entry(ledger.conn, VOID, None, data)
        ledger_checks.check_void_under_confirmation(ledger, target, confirmed)
        event = ledger.append(Draft(VOID, dates.parse_occurred_at(None), target.customer, data))
        row = customers.find_exact(ledger.conn, target.customer) if target.customer else None
        return _done(ledger, event, row)


def record_confirmation(
    ledger: Ledger, who: str, amount_paise: int, *, occurred_at: str
) -> Recorded:
    data = payloads.confirmation_data(amount_paise)
    with ledger.write():
        row = customers.find(ledger.conn, who)
        closed_periods.check_entry(ledger.conn, BALANCE_CONFIRMED, occurred_at, data)
        ledger_checks.check_confirmation(ledger, row, amount_paise, occurred_at)
        event = ledger.append(Draft(BALANCE_CONFIRMED, occurred_at, row.name, data))
        return _done(ledger, event, row)


def item_payload(
    ledger: Ledger,
    name: str,
    *,
    price_paise: int,
    gst: str,
    hsn: str | None = None,
    unit: str | None = None,
    effective_from: str | None = None,
) -> dict:
    """The item_priced payload `set_item` appends: an HSN or unit not given stays as in force
    on the day (payloads.item_data); `item import` compares rows with the catalog through it."""
    day = effective_from or dates.today().isoformat()
    known = catalog.item_in_force(ledger.conn, catalog.item_name(name), date.fromisoformat(day))
    return payloads.item_data(
        name,
        price_paise=price_paise,
        gst=gst,
        hsn=hsn,
        unit=unit,
        effective_from=day,
        in_force=known,
    )


def set_item(
    ledger: Ledger,
    name: str,
    *,
    price_paise: int,
    gst: str,
    hsn: str | None = None,
    unit: str | None = None,
    effective_from: str | None = None,
) -> Recorded:
    """`kirana item set`: a price from a day, changing only what is given (item_payload)."""
    price = {"price_paise": price_paise, "gst": gst, "hsn": hsn, "unit": unit}
    with ledger.write():
        data = item_payload(ledger, name, **price, effective_from=effective_from)
        event = ledger.append(Draft(ITEM_PRICED, data["effective_from"], None, data))
    return Recorded(event)


def set_shop(ledger: Ledger, settings: dict, effective_from: str | None = None) -> Recorded:
    """`kirana shop set`: settings from a day. A GSTIN and the state must agree, as given or as
    in force that day; a GSTIN set for a shop with no state sets the state too."""
    day = effective_from or dates.today().isoformat()
    with ledger.write():
        in_force = catalog.shop_settings_on(ledger.conn, date.fromisoformat(day))
        if settings.get("tally_ledgers"):  # a name set earlier stays unless renamed here
            mapping = {**in_force.get("tally_ledgers", {}), **settings["tally_ledgers"]}
            settings = {**settings, "tally_ledgers": mapping}
        data = payloads.shop_data(identifiers.state_from_gstin(settings, in_force), day)
        identifiers.check_shop_agrees(data, in_force)
        closed_periods.check_entry(ledger.conn, SHOP_CONFIGURED, day, data)
        event = ledger.append(Draft(SHOP_CONFIGURED, day, None, data))
    return Recorded(event)


def close_period(ledger: Ledger, period: str) -> Recorded:
    """`kirana close PERIOD`: from now on nothing dated inside it gets in (rules.closed_periods)."""
    with ledger.write():
        data = closed_periods.close_data(ledger.conn, period, ledger.head(), dates.today())
        event = ledger.append(Draft(PERIOD_CLOSED, dates.parse_occurred_at(None), None, data))
    return Recorded(event)


def reopen_period(ledger: Ledger, period: str, reason: str) -> Recorded:
    """`kirana reopen PERIOD --reason R`: entries dated inside it are accepted again."""
    with ledger.write():
        data = closed_periods.reopen_data(ledger.conn, period, reason)
        event = ledger.append(Draft(PERIOD_REOPENED, dates.parse_occurred_at(None), None, data))
    return Recorded(event)
