"""`kirana report`: the month report and the GST report, in table, csv, json, md, xlsx or html.

Each command opens the ledger read-only, computes the report (kirana.reports), renders it in
the chosen format, and prints it or writes it to --out. The format defaults to the --out file's
suffix (march.xlsx → xlsx), else table.
"""

from __future__ import annotations

from pathlib import Path

import typer

from kirana.cli.context import read_ledger

report_app = typer.Typer(
    help="Reports for the shop and the accountant: month and GST.", no_args_is_help=True
)
FORMAT_HELP = "table, csv, json, md, xlsx or html (default: from --out's suffix, else table)."
OUT_HELP = "Write to this file instead of the screen (xlsx always needs one)."


def _emit(report, fmt: str | None, out: Path | None) -> None:
    from kirana.cli import render as cli_render
    from kirana.errors import InputError
    from kirana.reports.render import SUFFIXES, check_format, layout_of, render

    if fmt is None:
        fmt = SUFFIXES.get(out.suffix.lower(), "table") if out else "table"
    fmt = check_format(fmt)
    if fmt == "xlsx" and out is None:
        raise InputError("--format xlsx writes a file; add --out FILE.xlsx")
    if fmt == "table" and out is None:
        from kirana.reports.render_table import print_layout

        print_layout(layout_of(report), cli_render.console())
        return
    for warning in report.warnings:  # the table on screen shows them itself
        cli_render.warn(warning)
    content = render(report, fmt)
    if out is None:
        print(content, end="")
        return
    try:
        if isinstance(content, bytes):
            out.write_bytes(content)
        else:
            out.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out} ({exc.strerror}); choose another --out") from None
    print(
        f"Wrote {out} ({fmt}; ledger head: entry {report.head['seq']} {report.head['hash'][:12]})"
    )


@report_app.command("month")
def month(
    period: str = typer.Argument(..., help="The month, YYYY-MM."),
    fmt: str | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help=OUT_HELP),
) -> None:
    """The month's close: dues reconciliation, sales, payments, returns, debtors, days, items.

    Example: kirana report month 2025-03 --format xlsx --out march.xlsx
    """
    from kirana.reports.month import month_report
    from kirana.reports.render import check_format

    if fmt is not None:
        check_format(fmt)
    with read_ledger() as ledger:
        report = month_report(ledger, period)
    _emit(report, fmt, out)


@report_app.command("gst")
def gst(
    period: str = typer.Argument(..., help="A month YYYY-MM or a calendar quarter YYYY-Qn."),
    fmt: str | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    out: Path | None = typer.Option(None, "--out", "-o", help=OUT_HELP),
) -> None:
    """GST figures for a month or quarter under the shop's scheme in force (Q3 = Jul–Sep).

    Example: kirana report gst 2025-09 --format json
    """
    from kirana.reports.gst import gst_report
    from kirana.reports.render import check_format

    if fmt is not None:
        check_format(fmt)
    with read_ledger() as ledger:
        report = gst_report(ledger, period)
    _emit(report, fmt, out)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
