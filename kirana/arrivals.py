"""The ledger's rules for events that arrive whole (JSONL import), not typed as commands.

A hash proves an event was not edited after it was hashed, not that it is sensible: anyone can
compute one. So an imported event must be one the commands could have recorded: its payload is
checked by the same builders (kirana.rules.stored_payloads.check_stored), and its effect on the ledger
by the same checks (kirana.rules.ledger_checks). Raises a KiranaError naming what is wrong.
"""

from __future__ import annotations

from kirana import catalog, customers, dates, import_keys, names, schema_fields
from kirana.errors import InputError
from kirana.events import (
    BALANCE_CONFIRMED,
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    CUSTOMERS_MERGED,
    ITEM_PRICED,
    PERIOD_CLOSED,
    PERIOD_REOPENED,
    RETURN,
    SHOP_CONFIGURED,
    VOID,
    Event,
    judged_as,
    strict_rules,
)
from kirana.i18n import tr
from kirana.rules import (
    closed_periods,
    identifiers,
    invoices,
    ledger_checks,
    payers,
    references,
    stored_payloads,
)
from kirana.store import Ledger


def check_event(ledger: Ledger, event: Event) -> None:
    """Raise unless `event` is one that the ledger's own commands could have recorded, by the
    rules of the schema it was recorded under (events.judged_as), with only the fields and
    types that schema had (schema_fields)."""
    schema_fields.check(event.type, event.data, event.schema)
    with judged_as(event.schema):
        _check_event(ledger, event)


def _check_event(ledger: Ledger, event: Event) -> None:
    strict = strict_rules()
    scheduled = event.type in (ITEM_PRICED, SHOP_CONFIGURED)  # may take effect later
    dates.check_stored_occurred_at(event.occurred_at, allow_future=scheduled)
    dates.check_stored_recorded_at(event.recorded_at, not_after_now=True)
    if event.type in (PERIOD_CLOSED, PERIOD_REOPENED):
        closed_periods.check_stored(event.type, event.customer, event.data)
    else:
        stored_payloads.check_stored(event.type, event.customer, event.data)
    import_keys.check_unused(ledger.conn, event.data, f"entry {event.seq}")
    if strict and names.clean_text(event.recorded_by, "recorded_by", 80) != event.recorded_by:
        raise InputError(
            tr("recorded_by {recorded_by!r} is not a clean name").format(
                recorded_by=event.recorded_by
            )
        )
    row = _check_customer(ledger, event)
    data = event.data
    # the periods closed at this point of the chain (earlier lines of the file count)
    closed_periods.check_entry(ledger.conn, event.type, event.occurred_at, data)
    if strict:  # rules that came with schema 2
        ledger_checks.check_confirmed(ledger, row, event.type, event.occurred_at, data)
        references.check_reference(ledger, event.type, data)
    if event.type == RETURN and "against" in data:
        total = data["amount_paise"]
        lines = data.get("items") if strict else None  # item by item: since schema 2
        ledger_checks.check_return_against(
            ledger, data["against"], row, total, event.occurred_at, lines
        )
    elif event.type == BALANCE_CONFIRMED:
        ledger_checks.check_confirmation(ledger, row, data["amount_paise"], event.occurred_at)
    elif event.type == VOID:
        target = ledger_checks.check_void_target(ledger, data["target"])
        if strict:  # since schema 2
            ledger_checks.check_void_under_confirmation(ledger, target)
        if (target.customer or None) != (event.customer or None):
            raise InputError(
                tr("a void names '{customer}' but entry {seq} does not").format(
                    customer=event.customer, seq=target.seq
                )
            )
    elif event.type == PERIOD_CLOSED:
        head = {"seq": data["head_seq"], "hash": data["head_hash"]}
        closed_periods.close_data(ledger.conn, data["period"], head, _recorded_day(event))
    elif event.type == PERIOD_REOPENED:
        closed_periods.reopen_data(ledger.conn, data["period"], data["reason"])
    elif event.type == CUSTOMERS_MERGED:
        merged = customers.find_exact(ledger.conn, data["from"])
        if merged is None or row is None or merged.name != data["from"]:
            raise InputError(
                tr("a merge names '{source}', who is not a customer now").format(
                    source=data["from"]
                )
            )
        ledger_checks.check_merge(ledger, merged, row)
    elif scheduled and (
        data["effective_from"] != event.occurred_at or len(event.occurred_at) != 10
    ):
        raise InputError(
            tr("effective_from {effective_from!r} is not its date").format(
                effective_from=data["effective_from"]
            )
        )
    elif (
        event.type == CUSTOMER_UPDATED
        and "upi_ids" in data
        and row is not None
        and payers.check_upi_ids_free(ledger.conn, row, data["upi_ids"]) != data["upi_ids"]
    ):
        raise InputError(tr("{name} already has a UPI id this event adds").format(name=row.name))
    if event.type == SHOP_CONFIGURED:  # a GSTIN and the state in force that day must agree
        in_force = catalog.shop_settings_on(ledger.conn, dates.business_date(event.occurred_at))
        identifiers.check_shop_agrees(data, in_force)
    invoices.check_arrived(ledger, event)  # after the rules above, which say more


def _check_customer(ledger: Ledger, event: Event) -> customers.CustomerRow | None:
    """New customers have clean, free names; every other event names a known customer."""
    if event.type == CUSTOMER_ADDED:
        if event.customer is None or customers.clean_name(event.customer) != event.customer:
            raise InputError(
                tr("customer name {customer!r} is not a clean name").format(customer=event.customer)
            )
        ledger_checks.check_new_name(ledger, event.customer)
        return None
    if event.customer is None:
        if event.type == CUSTOMER_UPDATED:
            raise InputError(tr("a customer_updated needs a customer"))
        return None
    row = customers.find_exact(ledger.conn, event.customer)
    if row is None:
        raise InputError(
            tr(
                "customer '{customer}' is not in the ledger; the file must include their customer_added entry before this one"
            ).format(customer=event.customer)
        )
    new_name = event.data.get("name") if event.type == CUSTOMER_UPDATED else None
    if new_name is not None:
        if not isinstance(new_name, str) or customers.clean_name(new_name) != new_name:
            raise InputError(
                tr("new customer name {new_name!r} is not a clean name").format(new_name=new_name)
            )
        ledger_checks.check_new_name(ledger, new_name, renaming=row)
    return row


def _recorded_day(event: Event):
    """The shop-local day an event was recorded (a close is judged by the day it was made)."""
    return dates.known_at_local(event.recorded_at).date()
