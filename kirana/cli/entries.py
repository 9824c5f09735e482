"""Write commands: sale, pay, return, opening, void, confirm. Each appends exactly one event."""

# Annotations stay objects here (no `from __future__ import annotations`): Typer reads the
# commands' annotations, and as text it would compile each of them again for every command it
# builds, several times over (tests/test_start_up.py).

import typer

from kirana.cli import options
from kirana.cli.context import (
    complete_customer,
    complete_customer_or_item,
    complete_item,
    open_ledger,
)

CUSTOMER_HELP = "Customer name (any case; a unique prefix is enough)."


def report(recorded, as_json: bool) -> None:
    """The one short line every write command prints (or the event as JSON); stored text in it
    is made visible by `render.line`."""
    from kirana.cli import render
    from kirana.i18n import tr
    from kirana.queries import describe

    for message in recorded.warnings:
        render.warn(message)
    if as_json:
        render.print_json(recorded.event.to_json())
        return
    event = recorded.event
    if event.type == "customer_added":
        render.line(tr("#{seq} Added customer {name}").format(seq=event.seq, name=event.customer))
        return
    parts = [f"#{event.seq}", describe(event, translated=True)]
    if event.data.get("amount_paise") is not None:
        parts.append(render.rupees(abs(event.data["amount_paise"])))  # an advance says so
    if recorded.customer:  # a walk-in's sale has no dues to tell
        from kirana.totals import dues_text

        now = dues_text(recorded.dues_paise)  # "advance ₹208.00" when they paid ahead
        now = tr("nil, {advance}").format(advance=now) if recorded.dues_paise < 0 else now
        parts.append(tr("— {name}'s dues now {amount}").format(name=recorded.customer, amount=now))
    render.line(" ".join(parts + recorded.notes))


def sale(
    customer: str | None = typer.Argument(
        None,
        help="Customer (omit for a walk-in), then items.",
        autocompletion=complete_customer_or_item,
    ),
    items: list[str] | None = typer.Argument(
        None, help="Items NAME[:QTY][@PRICE].", autocompletion=complete_item
    ),
    amount: str | None = typer.Option(None, "--amount", "-a", help="Total, instead of items."),
    cash: bool = options.CASH,
    upi: bool = options.UPI,
    card: bool = options.CARD,
    credit: bool = options.CREDIT,
    ref: str | None = options.REF,
    duplicate_ref: bool = options.DUPLICATE_REF,
    on: str | None = options.ON,
    note: str | None = options.NOTE,
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Record a sale: items or an amount, paid by cash/UPI/card or on credit.

    Example: kirana sale 'Priya Madam' atta:1@250 oil@180 --credit
    """
    from kirana import dates, recording
    from kirana.money import parse_amount

    method = options.one_method({"cash": cash, "upi": upi, "card": card, "credit": credit}, None)
    occurred_at = dates.parse_occurred_at(on, what="--on")
    amount_paise = parse_amount(amount) if amount is not None else None
    typed = ([customer] if customer else []) + list(items or [])
    with open_ledger() as ledger:
        recorded = recording.sale_from_words(
            ledger,
            typed,
            method=method,
            occurred_at=occurred_at,
            amount_paise=amount_paise,
            reference=ref,
            note=note,
            duplicate_ref=duplicate_ref,
        )
    report(recorded, as_json)


def pay(
    customer: str = typer.Argument(..., help=CUSTOMER_HELP, autocompletion=complete_customer),
    amount: str = typer.Argument(..., help="Amount paid, e.g. 500 or 1,250.50."),
    cash: bool = options.CASH,
    upi: bool = options.UPI,
    card: bool = options.CARD,
    cheque: bool = options.CHEQUE,
    bank: bool = options.BANK,
    ref: str | None = options.REF,
    duplicate_ref: bool = options.DUPLICATE_REF,
    on: str | None = options.ON,
    note: str | None = options.NOTE,
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Record a payment from a customer towards their dues.

    Example: kirana pay Priya 300 --upi --ref 4512AB
    """
    from kirana import dates, recording
    from kirana.money import parse_amount

    flags = {"cash": cash, "upi": upi, "card": card, "cheque": cheque, "bank": bank}
    method = options.one_method(flags, "cash")
    occurred_at = dates.parse_occurred_at(on, what="--on")
    paise = parse_amount(amount)
    with open_ledger() as ledger:
        recorded = recording.record_payment(
            ledger,
            customer,
            paise,
            method=method,
            occurred_at=occurred_at,
            reference=ref,
            note=note,
            duplicate_ref=duplicate_ref,
        )
    report(recorded, as_json)


def return_(
    customer: str | None = typer.Argument(
        None,
        help="Customer (omit for a walk-in), then items.",
        autocompletion=complete_customer_or_item,
    ),
    items: list[str] | None = typer.Argument(
        None, help="Items NAME[:QTY][@PRICE].", autocompletion=complete_item
    ),
    amount: str | None = typer.Option(None, "--amount", "-a", help="Total, instead of items."),
    to: str = typer.Option("khata", "--to", help="Settle to khata (reduces dues), cash or upi."),
    against: int | None = typer.Option(None, "--against", help="Entry no. of the sale."),
    ref: str | None = options.REF,
    on: str | None = options.ON,
    note: str | None = options.NOTE,
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Record goods returned: credited to the khata, or refunded in cash/UPI.

    Example: kirana return Priya --amount 50 --to khata
    """
    from kirana import dates, recording
    from kirana.money import parse_amount
    from kirana.rules import payloads

    occurred_at = dates.parse_occurred_at(on, what="--on")
    amount_paise = parse_amount(amount) if amount is not None else None
    settlement = payloads.settlement(to, has_customer=True)
    typed = ([customer] if customer else []) + list(items or [])
    with open_ledger() as ledger:
        recorded = recording.return_from_words(
            ledger,
            typed,
            settlement=settlement,
            occurred_at=occurred_at,
            amount_paise=amount_paise,
            against=against,
            reference=ref,
            note=note,
        )
    report(recorded, as_json)


def opening(
    customer: str = typer.Argument(..., help=CUSTOMER_HELP, autocompletion=complete_customer),
    amount: str = typer.Argument(..., help="Dues from the paper khata."),
    on: str = typer.Option(..., "--on", help="The date of the paper khata's figure."),
    advance: bool = typer.Option(False, "--advance", help="The amount is an advance paid."),
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Carry over a customer's dues from the paper khata (--advance: money they had paid ahead).

    Example: kirana opening Priya 1,250 --on 01-04-2024
    """
    from kirana import dates, recording
    from kirana.money import parse_amount

    occurred_at = dates.parse_occurred_at(on, what="--on")
    paise = -parse_amount(amount) if advance else parse_amount(amount)
    with open_ledger() as ledger:
        recorded = recording.record_opening(ledger, customer, paise, occurred_at=occurred_at)
    report(recorded, as_json)


def void(
    seq: int = typer.Argument(..., help="Entry no. (seq) to void; see kirana log."),
    reason: str = typer.Option(..., "--reason", help="Why it was wrong."),
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Void an entry made in error. Nothing is deleted: the void is a new entry.

    Example: kirana void 42 --reason 'typed 500 instead of 50'
    """
    from kirana import recording

    with open_ledger() as ledger:
        recorded = recording.record_void(ledger, seq, reason)
    report(recorded, as_json)


def confirm(
    customer: str = typer.Argument(..., help=CUSTOMER_HELP, autocompletion=complete_customer),
    amount: str = typer.Argument(..., help="The dues the customer agreed to (0 for settled)."),
    on: str | None = options.ON,
    advance: bool = typer.Option(False, "--advance", help="The amount is an advance we hold."),
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Record that a customer agreed their dues; verify re-checks it forever after.

    Example: kirana confirm Priya 320 --on 2024-08-20
    """
    from kirana import dates, recording
    from kirana.money import parse_amount

    occurred_at = dates.parse_occurred_at(on, what="--on")
    paise = parse_amount(amount, allow_zero=True)
    paise = -paise if advance else paise
    with open_ledger() as ledger:
        recorded = recording.record_confirmation(ledger, customer, paise, occurred_at=occurred_at)
    report(recorded, as_json)


def register(app: typer.Typer) -> None:
    app.command(help=sale.__doc__)(sale)
    app.command(help=pay.__doc__)(pay)
    app.command("return", help=return_.__doc__)(return_)
    app.command(help=opening.__doc__)(opening)
    app.command(help=void.__doc__)(void)
    app.command(help=confirm.__doc__)(confirm)
