"""`kirana report`: the month report and the GST report, in table, csv, json, md, xlsx or html.

Each command opens the ledger read-only, computes the report (kirana.reports), renders it in
the chosen format, and prints it or writes it to --out (kirana.cli.emit, shared with
`kirana statement`). The format defaults to the --out file's suffix (march.xlsx → xlsx), else
table.
"""

from __future__ import annotations

from pathlib import Path

import typer

from kirana.cli import options
from kirana.cli.context import read_ledger
from kirana.cli.emit import emit

report_app = typer.Typer(
    help="Reports for the shop and the accountant: day book, month and GST.",
    no_args_is_help=True,
)


@report_app.command("day")
def day(
    when: str | None = typer.Argument(None, metavar="[DATE]", help="The day (default: today)."),
    as_known_at: str | None = options.AS_KNOWN_AT,
    fmt: str | None = options.FORMAT,
    out: Path | None = options.OUT,
) -> None:
    """The day book: cash, UPI and card in and out (sales, dues received, refunds, net), credit
    given, and every entry of the day.

    Example: kirana report day yesterday --format json
    """
    from kirana import dates
    from kirana.reports.day import day_book
    from kirana.reports.render import check_format

    if fmt is not None:
        check_format(fmt)
    known_bound = dates.known_at_bound(as_known_at)
    with read_ledger() as ledger:
        report = day_book(ledger, when, known_bound)
    emit(report, fmt, out)


@report_app.command("month")
def month(
    period: str = typer.Argument(..., help="The month, YYYY-MM."),
    fmt: str | None = options.FORMAT,
    out: Path | None = options.OUT,
    as_known_at: str | None = options.AS_KNOWN_AT,
) -> None:
    """The month's close: dues reconciliation, sales, payments, returns, debtors, days, items.

    Example: kirana report month 2025-03 --format xlsx --out march.xlsx
    (--as-known-at 2025-04-01: the report exactly as it was printed on 1 April)
    """
    from kirana import dates
    from kirana.reports.month import month_report
    from kirana.reports.period import known_seq_of
    from kirana.reports.render import check_format

    if fmt is not None:
        check_format(fmt)
    known = dates.known_at_bound(as_known_at)
    with read_ledger() as ledger:
        report = month_report(ledger, period, known_seq_of(ledger, known))
    emit(report, fmt, out)


@report_app.command("gst")
def gst(
    period: str = typer.Argument(..., help="A month YYYY-MM or a calendar quarter YYYY-Qn."),
    fmt: str | None = options.FORMAT,
    out: Path | None = options.OUT,
    as_known_at: str | None = options.AS_KNOWN_AT,
) -> None:
    """GST figures for a month or quarter under the shop's scheme in force (Q3 = Jul–Sep).

    Example: kirana report gst 2025-09 --format json
    """
    from kirana import dates
    from kirana.reports.gst import gst_report
    from kirana.reports.period import known_seq_of
    from kirana.reports.render import check_format

    if fmt is not None:
        check_format(fmt)
    known = dates.known_at_bound(as_known_at)
    with read_ledger() as ledger:
        report = gst_report(ledger, period, known_seq_of(ledger, known))
    emit(report, fmt, out)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
