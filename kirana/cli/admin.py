"""Housekeeping commands: verify, rebuild, info, demo."""

from __future__ import annotations

import typer

from kirana.cli import options
from kirana.cli.context import open_ledger, read_ledger
from kirana.i18n import marked, shown, tr

INFO_LABELS = {
    "db": marked("db"),
    "events": marked("events"),
    "head": marked("head"),
    "closed_periods": marked("closed_periods"),
    "bytes": marked("bytes"),
    "sqlite_version": marked("sqlite_version"),
    "kirana_version": marked("kirana_version"),
    "tables": marked("tables"),
}


def verify(
    expect_head: str | None = typer.Option(
        None,
        "--expect-head",
        help="A head hash (or SEQ:HASH) noted earlier that must still be there.",
    ),
    quick: bool = typer.Option(
        False, "--quick", help="SQLite's quick_check instead of the full integrity_check."
    ),
    as_json: bool = options.JSON,
) -> None:
    """Check the hash chain, the append-only triggers, read models = replay, confirmations,
    and SQLite's integrity_check (every index against its table).

    Example: kirana verify --expect-head 1234:9f2c1a0b
    """
    from kirana import settings
    from kirana.cli import render
    from kirana.verify import first_bad_seq, refuse_unfinished, verify

    refuse_unfinished(settings.current().ledger_path())  # before opening can alter the file
    with read_ledger() as ledger:
        result = verify(ledger, expect_head, quick)
    if as_json:
        render.print_json(
            {
                "ok": result.ok,
                "events": result.events,
                "head": result.head,
                "first_bad_seq": first_bad_seq(result),
                "problems": [{"seq": p.seq, "message": p.message} for p in result.problems],
            }
        )
    else:
        head = tr("entry {seq} {hash}").format(**result.head)
        if result.ok:
            print(
                tr(
                    "OK: {count} entries, chain intact, read models match replay. Head: {head}"
                ).format(count=result.events, head=head)
            )
        else:
            for problem in result.problems:
                render.line(f"PROBLEM: {shown(problem.message)}")  # it may quote a stored name
    if not result.ok:
        bad = first_bad_seq(result)
        from kirana.errors import LedgerError

        where = " " + tr("(first bad entry: {seq})").format(seq=bad) if bad else ""
        raise LedgerError(
            tr("verify found {count_problems} problem(s){where}").format(
                count_problems=len(result.problems), where=where
            )
        )


def rebuild() -> None:
    """Recompute every read model (balances, entries, catalog) from the log. Refused while
    the file has triggers or views kirana did not make (a rebuild would run them).

    Example: kirana rebuild
    """
    from kirana.errors import LedgerError
    from kirana.io.common import bulk_mode
    from kirana.ledger import MIGRATIONS
    from kirana.rebuild import rebuild as rebuild_models
    from kirana.verify_schema import foreign_objects

    with open_ledger(create=False) as ledger:
        foreign = foreign_objects(ledger.conn, MIGRATIONS)
        if foreign:
            raise LedgerError(
                tr(
                    "the ledger file has triggers or views kirana did not make ({foreign}); a rebuild would run them. Keep the file as evidence (kirana backup COPY.db), then remove them (see kirana verify) before rebuilding"
                ).format(foreign=", ".join(foreign))
            )
        with bulk_mode(ledger):  # a big page cache: the tables are rewritten whole
            count = rebuild_models(ledger)
    print(tr("Rebuilt read models from {count} entries").format(count=count))


def info(as_json: bool = options.JSON) -> None:
    """Show which ledger file is in use, its size, entry count, head hash and tables.

    Example: kirana info
    """
    import sqlite3

    import sqlite_utils

    from kirana import __version__
    from kirana.cli import render
    from kirana.rules.closed_periods import closed_now

    with read_ledger() as ledger:
        closed_now_rows = closed_now(ledger.conn)
        tables = sqlite_utils.Database(ledger.conn).tables
        details = {
            "db": str(ledger.path),
            "events": ledger.event_count(),
            "head": ledger.head(),
            "closed_periods": [close.to_json() for close in closed_now_rows],
            "bytes": ledger.path.stat().st_size,
            "sqlite_version": sqlite3.sqlite_version,
            "kirana_version": __version__,
            "tables": {table.name: table.count for table in tables},
        }
    if as_json:
        render.print_json(details)
        return
    from kirana.reports.fixed_width import cell_width, wrap

    labels = {key: tr(INFO_LABELS.get(key, key)) + ":" for key in details}
    wide = max(16, *(cell_width(label) + 1 for label in labels.values()))
    room = max(20, render.width() - wide)  # a long value continues below, under the values
    for key, value in details.items():
        if key == "head":
            value = tr("entry {seq} {hash}").format(**value)
        elif key == "closed_periods":
            value = "; ".join(close.summary() for close in closed_now_rows) or tr("none")
        elif key == "tables":
            value = ", ".join(f"{name} {count:,}" for name, count in value.items())
        label = labels[key] + " " * (wide - cell_width(labels[key]))
        for line in wrap(str(value), room):
            print(f"{label}{line}")
            label = " " * wide


def demo() -> None:
    """Build a demo ledger from sample_data (never your own ledger) and show the dues.

    Example: kirana demo
    """
    from kirana import queries
    from kirana.cli import render
    from kirana.cli.emit import emit
    from kirana.demo import create_demo_ledger, demo_path
    from kirana.money import format_rupees
    from kirana.reports.statement import statement_report

    path = demo_path()
    with create_demo_ledger(path) as ledger:
        rows = queries.all_balances(ledger.conn)
        head = ledger.head()
        count = ledger.event_count()
        page = statement_report(ledger, "Priya Madam")
        history = [
            (label, queries.all_balances(ledger.conn, f"{day}T24"))
            for label, day in (
                ("12 Aug", "2024-08-12"),
                ("13 Aug", "2024-08-13"),
                ("20 Aug", "2024-08-20"),
            )
        ]
    out = render.console()
    out.print(tr("Demo ledger: {path} ({count} entries)").format(path=path, count=count))
    grid = render.table(
        tr("Sharma General Store — dues"),
        [("Customer", "left"), ("Dues", "right")],
        render.head_caption(head),
    )
    for name, paise in rows:
        grid.add_row(name, format_rupees(paise))
    out.print(grid)
    for label, balances in history:
        priya = dict(balances)["Priya Madam"]
        out.print(
            tr("Priya Madam's dues at the end of {label}: {priya}").format(
                label=label, priya=format_rupees(priya)
            )
        )
    out.print()
    emit(page, "table", None)
    out.print()  # the console shows a newline inside a string as ␊ (kirana.safe_text)
    out.print(tr("Try: kirana --db {path} statement Priya").format(path=path))


def register(app: typer.Typer) -> None:
    for command in (verify, rebuild, info, demo):
        app.command(help=command.__doc__)(command)
