"""`kirana customer add|update|list`: the people who keep a khata with the shop."""

from __future__ import annotations

import typer

from kirana.cli import options
from kirana.cli.context import complete_customer, open_ledger, read_ledger

customer_app = typer.Typer(help="Add, change and list customers.", no_args_is_help=True)


@customer_app.command("add")
def add(
    name: str = typer.Argument(..., help="Customer name, unique (any case)."),
    phone: str | None = typer.Option(None, "--phone", help="Mobile number, for reminders."),
    limit: str | None = typer.Option(None, "--limit", help="Credit limit (warns past it)."),
    gstin: str | None = options.CUSTOMER_GSTIN,
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Add a customer who buys on credit (a business with a GSTIN buys B2B: its sales are
    B2B invoices in GSTR-1).

    Example: kirana customer add 'Priya Madam' --phone 9876543210 --limit 2000
    """
    from kirana import recording
    from kirana.cli.entries import report
    from kirana.money import parse_amount

    limit_paise = parse_amount(limit, what="--limit") if limit is not None else None
    with open_ledger() as ledger:
        recorded = recording.add_customer(ledger, name, phone, limit_paise, gstin=gstin)
    report(recorded, as_json)


@customer_app.command("update")
def update(
    customer: str = typer.Argument(
        ..., help="Customer to change.", autocompletion=complete_customer
    ),
    name: str | None = typer.Option(None, "--name", help="New name."),
    phone: str | None = typer.Option(None, "--phone", help="New mobile number."),
    limit: str | None = typer.Option(None, "--limit", help="New credit limit."),
    gstin: str | None = options.CUSTOMER_GSTIN,
    upi_ids: list[str] | None = typer.Option(
        None,
        "--upi-id",
        help="A UPI id (name@bank) they pay from, for the bank import; repeat for several.",
    ),
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Rename a customer, change their phone, credit limit or GSTIN, or add UPI ids they pay
    from (history is kept).

    Example: kirana customer update Priya --phone 9876500000 --upi-id priya.s@okaxis
    """
    from kirana import recording
    from kirana.cli.entries import report
    from kirana.money import parse_amount

    limit_paise = parse_amount(limit, what="--limit") if limit is not None else None
    with open_ledger() as ledger:
        recorded = recording.update_customer(
            ledger, customer, name, phone, limit_paise, gstin=gstin, upi_ids=upi_ids or None
        )
    report(recorded, as_json)


@customer_app.command("merge")
def merge(
    from_: str = typer.Argument(
        ..., metavar="FROM", help="The duplicate customer.", autocompletion=complete_customer
    ),
    into: str = typer.Argument(
        ..., metavar="INTO", help="The customer who stays.", autocompletion=complete_customer
    ),
    reason: str = typer.Option(..., "--reason", help="Why they are one person."),
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Merge two customers who are one person: FROM's dues, statement and evidence become
    INTO's, and FROM's name a former name of INTO (as known before, they stay two).

    Example: kirana customer merge "Sunita Didii" "Sunita Didi" --reason "typo in an import"
    """
    from kirana import recording
    from kirana.cli.entries import report

    with open_ledger() as ledger:
        recorded = recording.merge_customers(ledger, from_, into, reason)
    report(recorded, as_json)


@customer_app.command("list")
def list_(as_json: bool = options.JSON) -> None:
    """List customers with phone, credit limit, current dues and GSTIN.

    Example: kirana customer list --json
    """
    from kirana import customers, queries
    from kirana.cli import render
    from kirana.money import money_json, rupees_str
    from kirana.rules import payers
    from kirana.totals import dues_text

    with read_ledger() as ledger:
        rows = customers.all_customers(ledger.conn)
        dues = {row.id: queries.current_balance(ledger.conn, row.id) for row in rows}
        vpas = {row.id: payers.upi_ids_of(ledger.conn, row.id) for row in rows}
        gstins = customers.gstins(ledger)
        head = ledger.head()
    if as_json:
        render.print_json(
            {
                "head": head,
                "customers": [
                    {
                        "customer": row.name,
                        "phone": row.phone,
                        "credit_limit_paise": row.credit_limit_paise,
                        "credit_limit": None
                        if row.credit_limit_paise is None
                        else rupees_str(row.credit_limit_paise),
                        **money_json(dues[row.id], "balance"),
                        "gstin": gstins.get(row.id),
                        "upi_ids": vpas[row.id],
                    }
                    for row in rows
                ],
            }
        )
        return
    from kirana.i18n import tr

    columns = [
        (tr("Customer"), "left"),
        (tr("Phone"), "left"),
        (tr("Limit"), "right"),
        (tr("Dues"), "right"),
    ]
    b2b = any(row.id in gstins for row in rows)  # a GSTIN column only when someone has one
    grid = render.table(None, columns + ([(tr("GSTIN"), "left")] if b2b else []))
    if b2b:  # 15 characters, never cut: the customer's name wraps instead
        grid.columns[-1].no_wrap, grid.columns[-1].min_width = True, 15
    for row in rows:
        cells = [
            row.name,
            row.phone or "",
            render.rupees(row.credit_limit_paise),
            dues_text(dues[row.id]),  # "advance ₹208.00" for one who paid ahead
        ]
        grid.add_row(*cells, *([gstins.get(row.id, "")] if b2b else []))
    render.console().print(grid if rows else tr("No customers yet: kirana customer add NAME"))


def register(app: typer.Typer) -> None:
    app.add_typer(customer_app, name="customer")
