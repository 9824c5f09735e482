"""Read commands about dues: balance, dues, statement, log. Each has --json for scripts."""

from __future__ import annotations

from pathlib import Path

import typer

from kirana.cli import options
from kirana.cli.context import complete_customer, read_ledger
from kirana.cli.emit import emit


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
    if as_json:
        render.print_json(
            {
                "as_of": dates.describe_bound(as_of_bound),
                "as_known_at": known_bound,
                "head": head,
                "balances": [
                    {"customer": name, **money_json(paise, "balance")} for name, paise in rows
                ],
            }
        )
        return
    if customer:
        when = f" as of {dates.describe_bound(as_of_bound)}" if as_of_bound else ""
        known = f" (as known at {as_known_at})" if known_bound else ""
        name, paise = rows[0]
        render.line(f"{name}: {render.rupees(paise)}{when}{known}")
        return
    _print_balances("Dues", rows, head)


def _print_balances(title: str, rows: list[tuple[str, int]], head: dict) -> None:
    """Customers and their dues as a list drawn as it goes (fixed_width), with the total."""
    from kirana.cli import render
    from kirana.money import format_rupees
    from kirana.reports.fixed_width import Column

    if not rows:
        render.line("Nobody owes anything.")
        return
    render.stream_table(
        [Column("Customer", flex=True), Column("Dues", right=True)],
        ((name, format_rupees(paise)) for name, paise in rows),
        title=title,
        footer=[("Total", format_rupees(sum(paise for _, paise in rows)))],
        notes=[render.head_caption(head)],
    )


def dues(
    as_of: str | None = options.AS_OF,
    minimum: str | None = typer.Option(None, "--min", help="Only dues of at least this much."),
    aging: bool = typer.Option(
        False, "--aging", help="Split dues by age: 0-30, 31-60, 61-90, 90+."
    ),
    as_json: bool = options.JSON,
) -> None:
    """List everyone who owes money, largest first.

    Example: kirana dues --min 500
    """
    from kirana import dates, queries
    from kirana.cli import render
    from kirana.money import money_json, parse_amount

    if aging:
        from kirana.cli.aging import print_aging

        print_aging(as_of, minimum, as_json)
        return
    floor = parse_amount(minimum, what="--min") if minimum else 1
    bound = dates.as_of_bound(as_of)
    with read_ledger() as ledger:
        rows = [(n, p) for n, p in queries.all_balances(ledger.conn, bound) if p >= floor]
        head = ledger.head()
    rows.sort(key=lambda r: (-r[1], r[0].lower()))
    if as_json:
        render.print_json(
            {
                "as_of": dates.describe_bound(bound),
                "head": head,
                **money_json(sum(p for _, p in rows), "total"),
                "dues": [{"customer": n, **money_json(p, "balance")} for n, p in rows],
            }
        )
        return
    _print_balances("Dues" + (f" as of {dates.describe_bound(bound)}" if bound else ""), rows, head)


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
        raise InputError("--from is after --to; swap them")
    on_screen = out is None and fmt in (None, "table")
    with read_ledger() as ledger:
        if on_screen:
            _statement_on_screen(ledger, customer, first, last, show_all)
            return
        report = statement_report(ledger, customer, first, last)
    emit(report, fmt, out)


def _statement_on_screen(ledger, customer: str, first, last, show_all: bool) -> None:
    """The terminal's statement, drawn as it is read: the newest SCREEN_ENTRIES entries unless
    --all or --from, saying how to see the rest."""
    import sys

    from kirana.cli import render
    from kirana.reports.period import snapshot
    from kirana.reports.render_table import stream_statement
    from kirana.reports.statement import statement_report

    newest = None if show_all or first else SCREEN_ENTRIES
    with snapshot(ledger):  # the lines are read while they are drawn, in one read transaction
        report = statement_report(ledger, customer, first, last, newest=newest, lazy=True)
        page = report.page
        more = None
        if page.shown_from is not None:
            more = (
                f"Showing the newest {newest} of {page.entries:,} entries; see them all with"
                f" kirana statement {_quoted(page.customer)} --all (or --from DAY)."
            )
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
        raise InputError("--last must be 1 or more")
    with read_ledger() as ledger:
        head = ledger.head()
        events = list(ledger.iter_events("seq > ?", (head["seq"] - last,)))
    if as_json:
        render.print_json({"head": head, "events": [e.to_json() for e in events]})
        return
    from kirana.reports.fixed_width import Column

    render.stream_table(
        [
            Column("#", right=True),
            Column("When", keep=True),
            Column("Customer"),
            Column("What", flex=True),
            Column("Amount", right=True),
            Column("By"),
            Column("Hash"),
        ],
        (
            (
                str(e.seq),
                e.occurred_at[:16].replace("T", " "),
                e.customer or "",
                describe(e),
                render.rupees(e.data.get("amount_paise")),
                e.recorded_by,
                e.hash[:8],
            )
            for e in events
        ),
        notes=[render.head_caption(head)],
    )


def register(app: typer.Typer) -> None:
    for command in (balance, dues, statement, log):
        app.command(help=command.__doc__)(command)
