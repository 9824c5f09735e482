"""`kirana find TEXT`: entries by reference (UTR), note, invoice number, customer or amount."""

from __future__ import annotations

import typer

from kirana.cli import options
from kirana.cli.context import read_ledger
from kirana.i18n import marked

# where a match was, as people read it (JSON keeps the payload's own path)
PLACES = {
    "customer": marked("customer"),
    "amount": marked("amount"),
    "reference": marked("reference"),
    "note": marked("note"),
    "voucher": marked("invoice number"),
    "items.name": marked("item"),
}


def find(
    text: str = typer.Argument(
        ..., help="A reference (UTR) or part of one, words of a note, a customer, an amount."
    ),
    limit: int = typer.Option(50, "--limit", "-n", help="At most this many, newest first."),
    as_json: bool = options.JSON,
) -> None:
    """Find entries by reference (UTR), note, invoice number, customer or amount.

    Any case, any part of the text; an amount (500, ₹1,250.50) also finds entries of exactly
    that amount. Newest first; voided entries are shown and marked.

    Example: kirana find 526712
    """
    from kirana import queries
    from kirana.cli import render
    from kirana.find import find as find_entries
    from kirana.i18n import tr

    with read_ledger() as ledger:
        result = find_entries(ledger, text, limit=limit)
        head = ledger.head()
    if as_json:
        render.print_json(
            {
                "text": result.text,
                "amount_paise": result.amount_paise,
                "head": head,
                "matches": [found.to_json() for found in result.found],
                "more": result.more,
            }
        )
        return
    if not result.found:
        render.line(tr("Nothing found for {text}.").format(text=repr(result.text)))
        return
    caption = render.head_caption(head)
    if result.more:
        newest = tr("the newest {count} shown (--limit for more)").format(count=limit)
        caption = f"{newest}; {caption}"
    grid = render.table(
        None,
        [
            ("#", "right"),
            (tr("When"), "left"),
            (tr("Customer"), "left"),
            (tr("What"), "left"),
            (tr("Amount"), "right"),
            (tr("Note"), "left"),
            (tr("Found in"), "left"),
        ],
        caption,
    )
    for found in result.found:
        event = found.event
        voided = ""
        if found.voided_by:
            voided = " " + tr("VOIDED by #{seq}").format(seq=found.voided_by)
        grid.add_row(
            str(event.seq),
            event.occurred_at[:16].replace("T", " "),
            event.customer or "",
            queries.describe(event, translated=True) + voided,
            render.rupees(event.data.get("amount_paise")),
            event.data.get("note") or "",
            ", ".join(tr(PLACES[place]) if place in PLACES else place for place in found.matched),
            style="strike" if found.voided_by else None,
        )
    render.console().print(grid)


def register(app: typer.Typer) -> None:
    app.command(help=find.__doc__)(find)
