"""Commands for settling and chasing dues: `dispute` (evidence for "I already paid you!") and
`remind` (ready-to-send reminder messages with WhatsApp links; nothing is sent)."""

from __future__ import annotations

import typer

from kirana.cli import options
from kirana.cli.context import complete_customer, read_ledger
from kirana.i18n import marked, tr

KINDS = {"payment": marked("payment"), "sale": marked("sale"), "return": marked("return")}


def dispute(
    customer: str = typer.Argument(
        ...,
        help="Customer (any case; a unique prefix is enough).",
        autocompletion=complete_customer,
    ),
    amount: str = typer.Argument(..., help="The amount in question, e.g. 500."),
    on: str | None = typer.Option(None, "--on", help="The day it happened (default: today)."),
    window: int = typer.Option(3, "--window", help="Look this many days either side."),
    kind: str = typer.Option("payment", "--type", help="payment, sale or return."),
    as_known_at: str | None = options.AS_KNOWN_AT,
    as_json: bool = options.JSON,
) -> None:
    """Settle "I paid ₹500 on the 3rd!" with the evidence in the log.

    Shows exact and near matches, the same amount booked to other customers, voids, and the
    customer's dues before and after that day.

    Example: kirana dispute Priya 500 --on 03-03-2025
    """
    from kirana import customers, dates
    from kirana import dispute as core
    from kirana.cli import render
    from kirana.money import parse_amount

    kind = core.parse_kind(kind)
    window = core.check_window(window)
    paise = parse_amount(amount)
    known = dates.known_at_bound(as_known_at)
    day = core.disputed_day(on, known)
    with read_ledger() as ledger:
        row = customers.find(ledger.conn, customer)
        result = core.find_evidence(
            ledger, row, paise, day, kind=kind, window_days=window, known_at=known
        )
    if as_json:
        render.print_json(result.to_json())
        return
    _print_dispute(result)


def _print_dispute(result) -> None:
    from kirana.cli import render
    from kirana.money import format_rupees
    from kirana.totals import dues_text

    out = render.console()
    verdict = "FOUND" if result.verdict == "FOUND" else "NOT FOUND"  # a word scripts look for
    kind = tr(KINDS.get(result.kind, result.kind))
    out.print(
        f"{verdict}: "
        + tr("{kind} of {amount} by {customer} on {day} (window ±{days} days)").format(
            kind=kind,
            amount=format_rupees(result.amount_paise),
            customer=result.customer,
            day=result.day.isoformat(),
            days=result.window_days,
        )
    )
    sections = (
        (tr("Exact matches"), result.exact),
        (tr("Near matches (same customer)"), result.near),
        (tr("Same amount booked to other customers"), result.other_customers),
    )
    for title, rows in sections:
        if rows:
            out.print(_evidence_table(title, rows, show_why=rows is result.near))
    if not (result.exact or result.near or result.other_customers):
        out.print(
            tr("No {kind} of that amount or on that day within the window.").format(kind=kind)
        )
    for void in result.voids:
        out.print(
            tr("Void #{seq} (recorded {when} by {who}) cancelled #{target}: {reason}").format(
                seq=void.seq,
                when=_utc(void.recorded_at),
                who=void.recorded_by,
                target=void.data.get("target"),
                reason=void.data.get("reason"),
            )
        )
    out.print(
        tr("Dues at the end of the day before: {before}; at the end of {day}: {after}").format(
            before=dues_text(result.balance_before_paise),
            day=result.day.isoformat(),
            after=dues_text(result.balance_after_paise),
        )
    )
    out.print(render.head_caption(result.head))


def _utc(recorded_at: str) -> str:
    return recorded_at[:16].replace("T", " ") + "Z"


def _evidence_table(title: str, rows: list, show_why: bool = False):
    from kirana.cli import render

    why = [(tr("Why"), "left")] if show_why else []
    grid = render.table(
        title,
        why
        + [
            ("#", "right"),
            (tr("When"), "left"),
            (tr("Customer"), "left"),
            (tr("Type"), "left"),
            (tr("Ref"), "left"),
            (tr("Amount"), "right"),
            (tr("Recorded"), "left"),
            (tr("By"), "left"),
            (tr("Hash"), "left"),
        ],
    )
    for row in rows:
        item = row.to_json()
        voided = " " + tr("VOIDED by #{seq}").format(seq=row.voided_by) if row.voided_by else ""
        grid.add_row(
            *([tr(row.why)] if show_why else []),
            str(item["seq"]),
            item["occurred_at"][:16].replace("T", " "),
            item["customer"] or "",
            f"{item['type']} ({item['method']}){voided}",
            item["reference"] or "",
            render.rupees(item["amount_paise"]),
            _utc(item["recorded_at"]),
            item["recorded_by"],
            item["hash"][:8],
            style="strike" if row.voided_by else None,
        )
    return grid


def remind(
    over: int = typer.Option(30, "--over", help="Only dues unpaid for more than this many days."),
    minimum: str | None = typer.Option(None, "--min", help="Only dues of at least this much."),
    as_json: bool = options.JSON,
) -> None:
    """Print ready-to-send reminders for customers with old dues.

    One polite message per customer, with a WhatsApp link when the phone is known. Nothing is
    sent: copy the text or open the link.

    Example: kirana remind --over 30 --min 200
    """
    from kirana.cycles import collector_paused

    # many small rows, none in a cycle: the collector stays off until they are written and
    # freed (turned on while they lived, its first pass would walk every one of them)
    with collector_paused():
        _remind(over, minimum, as_json)


def _remind(over: int, minimum: str | None, as_json: bool) -> None:
    """`remind`: the reminders read, then printed as text or JSON."""
    from kirana import reminders
    from kirana.cli import render
    from kirana.errors import InputError
    from kirana.money import parse_amount

    if over < 0:
        raise InputError(tr("--over {over} must be 0 or more days, e.g. 30").format(over=over))
    floor = parse_amount(minimum, what="--min") if minimum else 1
    with read_ledger() as ledger:
        on, items = reminders.reminders(ledger.conn, over, floor)
        head = ledger.head()
    if as_json:
        render.print_json(
            {"as_of": on.isoformat(), "over_days": over, "head": head, "reminders": _json(items)},
            floats=False,  # integers, text and None alone: nothing to look for
        )
        return

    if not items:
        render.line(tr("Nobody has dues older than {days} days.").format(days=over))
        return
    heading = tr("{name} — {amount}, oldest {days} days")
    no_phone = tr("(no phone on file: kirana customer update)")
    upi_line = tr("  UPI: {upi_link}")

    def lines():
        for item in items:
            row = item.aging
            amount = item.amount or render.rupees(row.dues_paise)  # as the message gives it
            yield heading.format(name=row.name, amount=amount, days=row.oldest_days)
            yield f"  {item.message}"
            yield f"  {item.link}" if item.link else f"  {no_phone}"
            if item.upi_link:
                yield upi_line.format(upi_link=item.upi_link)
            yield ""

    render.lines(lines())


def _json(items) -> list[dict]:
    """Each reminder as JSON: its customer, dues (as money_json gives them), oldest unpaid
    credit, phone, message and links (eight thousand reminders: the keys written out, each
    day's text made once)."""
    from kirana.money import rupees_str

    days: dict = {}  # day -> its ISO text: many reminders share one
    known = days.get
    out = []
    for item in items:
        debt = item.aging
        dues, day = debt.dues_paise, debt.oldest_credit
        oldest = known(day)
        if oldest is None:
            oldest = days[day] = day.isoformat()
        out.append(
            {
                "customer": debt.name,
                "dues_paise": dues,
                "dues": rupees_str(dues),
                "oldest_credit": oldest,
                "oldest_days": debt.oldest_days,
                "phone": debt.phone,
                "message": item.message,
                "link": item.link,
                "upi_link": item.upi_link,
            }
        )
    return out


def register(app: typer.Typer) -> None:
    for command in (dispute, remind):
        app.command(help=command.__doc__)(command)
