"""What each schema version allows: the optional fields and the event types each one added, in
one table, and the one check of it an event arriving whole (JSONL import) gets.

A kirana of schema N never wrote a field or an event type that came with a later schema, so an
event saying it is schema N and carrying one was not recorded by that kirana: it is refused,
naming the field and the schema it came with. (Why each came, and what its absence means: the
upcasters' comments in kirana/events.py, and docs/events.md.)
"""

from __future__ import annotations

from typing import Any

from kirana import import_keys, invoices
from kirana.errors import InputError
from kirana.events import (
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    PAYMENT,
    PERIOD_CLOSED,
    PERIOD_REOPENED,
    RETURN,
    SALE,
    SHOP_CONFIGURED,
)

# (event type, payload field) -> the schema the field came with
FIELDS_SINCE: dict[tuple[str, str], int] = {
    (SALE, "duplicate_ref"): 2,
    (PAYMENT, "duplicate_ref"): 2,
    **{(kind, import_keys.FIELD): 3 for kind in import_keys.KINDS},
    (SALE, invoices.FIELD): 3,
    (RETURN, invoices.FIELD): 3,
    (CUSTOMER_ADDED, "gstin"): 3,
    (CUSTOMER_UPDATED, "gstin"): 3,
    (CUSTOMER_UPDATED, "upi_ids"): 3,
    (SHOP_CONFIGURED, "upi_id"): 3,
    (SHOP_CONFIGURED, "language"): 3,
}
# event type -> the schema it came with (the others are as old as schema 1)
TYPES_SINCE: dict[str, int] = {PERIOD_CLOSED: 3, PERIOD_REOPENED: 3}


def check(kind: str, data: Any, schema: int) -> None:
    """InputError if an event of `schema` is of a type, or carries a field, a later schema
    brought."""
    from kirana.i18n import tr

    since = TYPES_SINCE.get(kind, 1)
    if schema < since:
        raise InputError(
            tr("a schema-{schema} event is never a {kind} (it came with schema {since})").format(
                schema=schema, kind=kind, since=since
            )
        )
    if not isinstance(data, dict):
        return  # the payload rules say what is wrong with it
    for field in data:
        since = FIELDS_SINCE.get((kind, field), 1)
        if schema < since:
            raise InputError(
                tr("a schema-{schema} event has no {field} (it came with schema {since})").format(
                    schema=schema, field=field, since=since
                )
            )
