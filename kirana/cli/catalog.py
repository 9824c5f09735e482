"""`kirana item set|list|import` and `kirana shop set`: prices, GST rates and the shop itself."""

from __future__ import annotations

from pathlib import Path

import typer

from kirana.cli import options
from kirana.cli.context import complete_item, open_ledger, read_ledger
from kirana.i18n import tr, tr_n

item_app = typer.Typer(help="The item catalog: prices, GST rates, HSN codes.", no_args_is_help=True)
shop_app = typer.Typer(
    help="The shop's name, GSTIN, state, GST scheme and UPI id.", no_args_is_help=True
)

FROM_HELP = "Effective from this date (default: today)."


def _day(text: str | None, what: str) -> str | None:
    from kirana import dates

    if text is None:
        return None
    when = dates.parse_when(text, what=what)
    return (when.date() if hasattr(when, "date") else when).isoformat()


@item_app.command("set")
def item_set(
    name: str = typer.Argument(
        ..., help="Item name as typed at the counter, e.g. atta.", autocompletion=complete_item
    ),
    price: str = typer.Option(..., "--price", help="Price per unit, GST included."),
    gst: str = typer.Option(..., "--gst", help="GST rate in percent: 0, 5, 12, 18, 28, 40…"),
    hsn: str | None = typer.Option(
        None, "--hsn", help="HSN code, e.g. 1101 (default: the item's HSN in force, else none)."
    ),
    unit: str | None = typer.Option(
        None, "--unit", help="kg, l, pcs, pack… (default: the item's unit in force, else pcs)."
    ),
    start: str | None = typer.Option(None, "--from", help=FROM_HELP),
) -> None:
    """Set an item's price and GST rate from a date; earlier sales keep what they were charged.

    Only what is given changes: without --unit or --hsn the item keeps those in force that day.

    Example: kirana item set atta --price 250 --gst 5 --hsn 1101 --unit kg
    """
    from kirana import recording
    from kirana.cli import render
    from kirana.money import parse_amount

    price_paise = parse_amount(price, what="--price")
    with open_ledger() as ledger:
        recorded = recording.set_item(
            ledger,
            name,
            price_paise=price_paise,
            gst=gst,
            hsn=hsn,
            unit=unit,
            effective_from=_day(start, "--from"),
        )
    data = recorded.event.data
    print(
        tr("#{seq} {name}: {price} per {unit}, GST {gst_rate} from {effective_from}").format(
            seq=recorded.event.seq,
            name=data["name"],
            price=render.rupees(data["price_paise"]),
            unit=data["unit"],
            gst_rate=f"{data['gst_rate']}%",
            effective_from=data["effective_from"],
        )
    )


@item_app.command("list")
def item_list(
    on: str | None = typer.Option(None, "--on", help="The catalog in force on this date."),
    as_json: bool = options.JSON,
) -> None:
    """List the catalog as it stood on a date (default today).

    Example: kirana item list --on 2025-09-01
    """
    from datetime import date

    from kirana import catalog, dates
    from kirana.cli import render
    from kirana.money import money_json

    day = date.fromisoformat(_day(on, "--on")) if on else dates.today()
    with read_ledger() as ledger:
        items = catalog.catalog_on(ledger.conn, day)
    if as_json:
        render.print_json(
            {
                "on": day.isoformat(),
                "items": [
                    {
                        "name": i.name,
                        **money_json(i.price_paise, "price"),
                        "gst_rate": i.gst_rate,
                        "hsn": i.hsn,
                        "unit": i.unit,
                        "effective_from": i.effective_from,
                    }
                    for i in items
                ],
            }
        )
        return

    grid = render.table(
        tr("Catalog on {day}").format(day=day.isoformat()),
        [
            (tr("Item"), "left"),
            (tr("Price"), "right"),
            (tr("Unit"), "left"),
            ("GST %", "right"),
            ("HSN", "left"),
            (tr("Since"), "left"),
        ],
    )
    for i in items:
        grid.add_row(
            i.name, render.rupees(i.price_paise), i.unit, i.gst_rate, i.hsn, i.effective_from
        )
    render.console().print(grid if items else tr("The catalog is empty: kirana item import FILE"))


@item_app.command("import")
def item_import(
    file: Path = typer.Argument(..., help="CSV with columns name,price,gst,hsn,unit,from."),
    replace: bool = typer.Option(
        False, "--replace", help="Let rows change a price already set for the same day."
    ),
) -> None:
    """Load a catalog CSV, all or nothing; rows already in the catalog are skipped.

    A row that would change an item's price, GST rate, unit or HSN for a day that already has
    one is a bad row (`line N: …`) unless --replace.

    Example: kirana item import sample_data/catalog.csv
    """
    import sys

    from kirana.catalog_file import import_catalog

    def problem(line: int, reason: str) -> None:
        sys.stderr.write(tr("line {line}: {reason}\n").format(line=line, reason=reason))

    with open_ledger() as ledger:
        result = import_catalog(ledger, file, replace=replace, on_problem=problem)
    added = tr_n("{count} price added", "{count} prices added", result.appended).format(
        count=result.appended
    )
    replaced = (
        " " + tr("({count} replacing a price of the same day)").format(count=result.replaced)
        if result.replaced
        else ""
    )
    print(
        tr("{added}{replaced}, {unchanged} already in the catalog").format(
            added=added, replaced=replaced, unchanged=result.unchanged
        )
    )


@shop_app.command("set")
def shop_set(
    name: str | None = typer.Option(None, "--name", help="Shop name for reports."),
    gstin: str | None = typer.Option(None, "--gstin", help="15-character GSTIN."),
    state: str | None = typer.Option(None, "--state", help="State, e.g. Maharashtra."),
    scheme: str | None = typer.Option(
        None, "--scheme", help="GST scheme: unregistered, composition or regular."
    ),
    default_gst: str | None = typer.Option(
        None, "--default-gst", help="GST rate for sales entered as a bare amount."
    ),
    tally_ledger: list[str] | None = typer.Option(
        None,
        "--tally-ledger",
        help='The accountant\'s Tally ledger name for a key, e.g. "sales@5=Sales GST 5%"'
        " (keys: sales@RATE, cgst@RATE, sgst@RATE, cash, upi, card, bank, roundoff, opening).",
    ),
    upi_id: str | None = typer.Option(
        None, "--upi-id", help="The shop's UPI id (VPA), e.g. sharma.store@okhdfcbank: pay links."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="The shop's language for labels and messages: en or hi."
    ),
    start: str | None = typer.Option(None, "--from", help=FROM_HELP),
) -> None:
    """Set the shop's details and GST scheme from a date (reports use what was in force).

    Example: kirana shop set --name 'Sharma Kirana' --scheme composition --from 2025-04-01
    """
    from kirana import recording
    from kirana.rules.payloads import tally_ledger as one_ledger

    ledgers = dict(one_ledger(text) for text in tally_ledger or []) or None
    settings = {
        "tally_ledgers": ledgers,
        "name": name,
        "gstin": gstin,
        "state": state,
        "scheme": scheme.lower() if scheme else None,
        "default_gst_rate": default_gst,
        "upi_id": upi_id,
        "language": lang,
    }
    with open_ledger() as ledger:
        recorded = recording.set_shop(ledger, settings, _day(start, "--from"))
    data = recorded.event.data
    shown = {
        key: ", ".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value
        for key, value in data.items()
        if key != "effective_from"
    }
    changes = ", ".join(f"{k}={v}" for k, v in shown.items())
    print(
        tr("#{seq} shop: {changes} from {effective_from}").format(
            seq=recorded.event.seq, changes=changes, effective_from=data["effective_from"]
        )
    )


def register(app: typer.Typer) -> None:
    app.add_typer(item_app, name="item")
    app.add_typer(shop_app, name="shop")
