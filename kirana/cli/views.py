"""Read commands about dues: balance, dues, statement, log. Each has --json for scripts."""

# Annotations stay objects here (no `from __future__ import annotations`): Typer reads the
# commands' annotations, and as text it would compile each of them again for every command it
# builds, several times over (tests/test_start_up.py).

from pathlib import Path

import typer

from kirana.cli import options
from kirana.cli.context import complete_customer, read_ledger
from kirana.cli.emit import emit, no_cycle_collector
from kirana.i18n import tr


def balance(
    customer: str | None = typer.Argument(
        None,
        help="One customer; omit to list everyone with dues.",
        autocompletion=complete_customer,
    ),
    as_of: str | None = options.AS_OF,
    as_known_at: str | None = options.AS_KNOWN_AT,
    as_json: bool = options.JSON,
) -> None:
    """Show what a customer owes (or everyone with non-zero dues), now or at any moment.

    Example: kirana balance Priya --as-of 2024-08-13
    """
    from kirana import customers, dates, queries
    from kirana.cli import render
    from kirana.money import money_json
    from kirana.totals import dues_text, dues_totals

    as_of_bound = dates.as_of_bound(as_of)
    known_bound = dates.known_at_bound(as_known_at)
    with read_ledger() as ledger:
        if customer:
            row = customers.find(ledger.conn, customer)
            rows = [(row.name, queries.balance(ledger.conn, row.id, as_of_bound, known_bound))]
        else:
            rows = [
                (name, paise)
                for name, paise in queries.all_balances(ledger.conn, as_of_bound, known_bound)
                if paise
            ]
        head = queries.head_as_known_at(ledger, known_bound)
    totals = None if customer else dues_totals(paise for _, paise in rows)
    if as_json:
        render.print_json(
            {
                "as_of": dates.describe_bound(as_of_bound),
                "as_known_at": known_bound,
                "head": head,
                **(totals.to_json() if totals else {}),
                "balances": [
                    {"customer": name, **money_json(paise, "balance")} for name, paise in rows
                ],
            }
        )
        return

    if customer:
        when = known = ""
        if as_of_bound:
            when = " " + tr("as of {moment}").format(moment=dates.describe_bound(as_of_bound))
        if known_bound:
            known = " " + tr("(as known at {moment})").format(moment=as_known_at)
        name, paise = rows[0]
        render.line(f"{name}: {dues_text(paise)}{when}{known}")
        return
    _print_balances(tr("Dues"), rows, head, totals)


def _print_balances(title: str, rows: list[tuple[str, int]], head: dict, totals) -> None:
    """Customers and their dues (advances in words) as a list drawn as it goes (fixed_width),
    then owed, advances and net as footer rows."""
    from kirana.cli import render
    from kirana.reports.fixed_width import Column
    from kirana.totals import dues_text

    if not rows and not (totals.owing or totals.ahead):
        render.line(tr("Nobody owes anything."))
        return
    render.stream_table(
        [Column(tr("Customer"), flex=True), Column(tr("Dues"), right=True)],
        ((name, dues_text(paise)) for name, paise in rows),
        title=title,
        footer=[list(row) for row in totals.rows()],
        notes=[render.head_caption(head)],
    )


def dues(
    as_of: str | None = options.AS_OF,
    minimum: str | None = typer.Option(None, "--min", help="Only dues of at least this much."),
    aging: bool = typer.Option(
        False, "--aging", help="Split dues by age: 0-30, 31-60, 61-90, 90+."
    ),
    as_known_at: str | None = options.AS_KNOWN_AT,
    as_json: bool = options.JSON,
) -> None:
    """List everyone who owes money, largest first; then advances, owed and net.

    Example: kirana dues --min 500
    """
    from kirana import dates, queries
    from kirana.cli import render
    from kirana.money import money_json, parse_amount
    from kirana.totals import dues_totals

    if aging:
        from kirana.cli.aging import print_aging

        with no_cycle_collector():  # ten thousand customers' rows, none of them in a cycle
            print_aging(as_of, minimum, as_json, as_known_at)
        return
    floor = parse_amount(minimum, what="--min") if minimum else 1
    bound = dates.as_of_bound(as_of)
    known_bound = dates.known_at_bound(as_known_at)
    with read_ledger() as ledger:
        everyone = queries.all_balances(ledger.conn, bound, known_bound)
        head = queries.head_as_known_at(ledger, known_bound)
    totals = dues_totals(p for _, p in everyone)  # over everyone, whatever --min shows
    rows = sorted(((n, p) for n, p in everyone if p >= floor), key=lambda r: (-r[1], r[0].lower()))
    ahead = [] if minimum else sorted(((n, p) for n, p in everyone if p < 0), key=lambda r: r[1])
    if as_json:
        render.print_json(
            {
                "as_of": dates.describe_bound(bound),
                "as_known_at": known_bound,
                "head": head,
                **money_json(sum(p for _, p in rows), "total"),
                **totals.to_json(),
                "dues": [{"customer": n, **money_json(p, "balance")} for n, p in rows],
                "advances_held": [{"customer": n, **money_json(-p, "advance")} for n, p in ahead],
            }
        )
        return

    title = tr("Dues")
    if bound:
        title += " " + tr("as of {moment}").format(moment=dates.describe_bound(bound))
    _print_balances(title + _known(as_known_at), rows + ahead, head, totals)


def _known(as_known_at: str | None) -> str:

    if not as_known_at:
        return ""
    return " " + tr("(as known at {moment})").format(moment=as_known_at)


SCREEN_ENTRIES = 50  # the terminal's statement shows the newest this many entries by default


def statement(
    customer: str = typer.Argument(..., help="Customer.", autocompletion=complete_customer),
    start: str | None = typer.Option(None, "--from", help="First day (default: the beginning)."),
    end: str | None = typer.Option(None, "--to", help="Last day (default: today)."),
    show_all: bool = typer.Option(
        False,
        "--all",
        help=f"On screen, every entry (default: the newest {SCREEN_ENTRIES} when no --from).",
    ),
    fmt: str | None = options.FORMAT,
    out: Path | None = options.OUT,
    as_known_at: str | None = options.AS_KNOWN_AT,
) -> None:
    """The customer's khata page: every entry with running dues, voided entries marked.

    On screen it shows the newest entries with the dues before them (add --all, or --from a
    day); files and every other --format hold the whole period.

    Example: kirana statement Priya --from 01-08-2024 --format md
    """
    from kirana import dates
    from kirana.errors import InputError
    from kirana.reports.render import check_format
    from kirana.reports.statement import statement_report

    if fmt is not None:
        fmt = check_format(fmt)
    first = dates.parse_when(start, what="--from") if start else None
    last = dates.parse_when(end, what="--to") if end else None
    first = first.date() if hasattr(first, "date") else first
    last = last.date() if hasattr(last, "date") else last
    if first and last and first > last:
        raise InputError(tr("--from is after --to; swap them"))
    on_screen = out is None and fmt in (None, "table")
    with read_ledger() as ledger, no_cycle_collector():
        known = dates.known_at_bound(as_known_at)
        if on_screen:
            _statement_on_screen(ledger, customer, first, last, show_all, known)
            return
        from kirana.reports.period import snapshot

        with snapshot(ledger):  # the lines are read as they are laid out (no page of events)
            report = statement_report(ledger, customer, first, last, known, lazy=True)
            emit(report, fmt, out)


def _statement_on_screen(
    ledger, customer: str, first, last, show_all: bool, known: str | None
) -> None:
    """The terminal's statement, drawn as it is read: the newest SCREEN_ENTRIES entries unless
    --all or --from, saying how to see the rest (as known at a moment: the whole page)."""
    import sys

    from kirana.cli import render
    from kirana.reports.period import snapshot
    from kirana.reports.render_table import stream_statement
    from kirana.reports.statement import statement_report

    newest = None if show_all or first else SCREEN_ENTRIES
    with snapshot(ledger):  # the lines are read while they are drawn, in one read transaction
        report = statement_report(ledger, customer, first, last, known, newest=newest, lazy=True)
        page = report.page
        more = None
        if page.shown_from is not None:
            more = tr(
                "Showing the newest {newest} of {count} entries; see them all with"
                " kirana statement {customer} --all (or --from DAY)."
            ).format(newest=newest, count=f"{page.entries:,}", customer=_quoted(page.customer))
        stream_statement(report, sys.stdout, render.width(), more)


def _quoted(name: str) -> str:
    import shlex

    return shlex.quote(name)


def log(
    last: int = typer.Option(20, "--last", "-n", help="How many of the newest entries."),
    as_json: bool = options.JSON,
) -> None:
    """Show the newest entries of the log, with entry numbers (seq) and hashes.

    Example: kirana log --last 5
    """
    from kirana.cli import render
    from kirana.errors import InputError
    from kirana.queries import describe

    if last < 1:
        raise InputError(tr("--last must be 1 or more"))
    from kirana.rules.closed_periods import closed_now

    with read_ledger() as ledger:
        head = ledger.head()
        events = list(ledger.iter_events("seq > ?", (head["seq"] - last,)))
        closed = closed_now(ledger.conn)
    if as_json:
        render.print_json(
            {
                "head": head,
                "closed_periods": [close.to_json() for close in closed],
                "events": [e.to_json() for e in events],
            }
        )
        return
    from kirana.reports.fixed_width import Column

    render.stream_table(
        [
            Column("#", right=True),
            Column(tr("When"), keep=True),
            Column(tr("Customer")),
            Column(tr("What"), flex=True),
            Column(tr("Amount"), right=True),
            Column(tr("By")),
            Column(tr("Hash")),
        ],
        (
            (
                str(e.seq),
                e.occurred_at[:16].replace("T", " "),
                e.customer or "",
                describe(e, translated=True),
                render.rupees(_amount(e)),  # "Opening advance …": the size, not the sign
                e.recorded_by,
                e.hash[:8],
            )
            for e in events
        ),
        notes=[
            render.head_caption(head)
            + (
                "; "
                + tr("closed: {periods}").format(
                    periods=", ".join(close.summary() for close in closed)
                )
                if closed
                else ""
            )
        ],
    )


def _amount(event) -> int | None:
    amount = event.data.get("amount_paise")
    return None if amount is None else abs(amount)


def register(app: typer.Typer) -> None:
    for command in (balance, dues, statement, log):
        app.command(help=command.__doc__)(command)
