"""The shopkeeper's words for `sale` and `return`: which word is the customer, which are items.

`kirana sale Priya atta:2` names a customer; `kirana sale atta:2@50` and `kirana sale bread`
(a catalog item) are walk-in sales. Items are priced from the catalog in force on the day, or,
for a return against a sale, exactly as that sale charged them.
"""

from __future__ import annotations

from datetime import date

from kirana import catalog, customers, dates
from kirana.errors import NotFoundError
from kirana.store import Ledger


def split_customer_and_items(
    ledger: Ledger, first: str | None, items: list[str] | None, day: date
) -> tuple[str | None, list[str]]:
    """The first word is the customer unless it looks like an item (':' or '@', and is not
    exactly a customer's name) or is a catalog item that no customer name starts with."""
    tokens = ([first] if first else []) + list(items or [])
    if not tokens:
        return None, tokens
    if any(ch in tokens[0] for ch in ":@"):
        exact = customers.find_exact(ledger.conn, " ".join(tokens[0].split()))
        return (tokens[0], tokens[1:]) if exact else (None, tokens)
    try:
        customers.find(ledger.conn, tokens[0])
    except NotFoundError:
        if catalog.item_in_force(ledger.conn, tokens[0], day):
            return None, tokens
    return tokens[0], tokens[1:]


def customer_and_lines(
    ledger: Ledger,
    first: str | None,
    items: list[str] | None,
    occurred_at: str,
    against: int | None = None,
) -> tuple[str | None, list[dict] | None]:
    """(the customer as typed or None, the priced item lines or None for a bare amount)."""
    day = dates.business_date(occurred_at)
    who, specs = split_customer_and_items(ledger, first, items, day)
    sale = ledger.get(against) if against is not None else None
    if sale is not None and sale.type == "sale" and specs:
        lines = [
            catalog.parse_returned_item_spec(sale.data.get("items", []), spec, against)
            for spec in specs
        ]
        return who, lines
    return who, [catalog.parse_item_spec(ledger.conn, spec, day) for spec in specs] or None
