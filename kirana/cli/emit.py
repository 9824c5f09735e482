"""Showing a report (month, GST, a customer's statement) on screen or writing it to --out.

The one place that picks the format: --format if given, else --out's suffix (march.xlsx →
xlsx), else table. A table on screen is drawn in colour; every other format, and a table
written to a file, is rendered by kirana.reports.render. xlsx always needs --out. CSV is data
and printed exactly when piped or redirected; on a terminal its control and bidi characters are
made visible (render.for_screen). Table, md and html are always safe to show; JSON is exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kirana.i18n import tr

FORMAT_HELP = "table, csv, json, md, xlsx or html (default: from --out's suffix, else table)."
OUT_HELP = "Write to this file instead of the screen (xlsx always needs one)."


def emit(report, fmt: str | None, out: Path | None) -> None:
    """Print `report` (anything kirana.reports.render renders) or write it to `out`."""
    from kirana.cli import render as cli_render
    from kirana.errors import InputError
    from kirana.reports.render import SUFFIXES, check_format, layout_of, render, render_utf8

    if fmt is None:
        fmt = SUFFIXES.get(out.suffix.lower(), "table") if out else "table"
    fmt = check_format(fmt)
    if fmt == "xlsx" and out is None:
        raise InputError(tr("--format xlsx writes a file; add --out FILE.xlsx"))
    if fmt == "table" and out is None:
        from kirana.reports.render_table import print_layout

        print_layout(layout_of(report), cli_render.console())
        return
    for warning in report.warnings:  # the table on screen shows them itself
        cli_render.warn(warning)
    encoded = None  # JSON is written as orjson's bytes where it can: no text made first
    if fmt == "json" and (out is not None or cli_render.utf8_stdout()):
        encoded = render_utf8(report, fmt)
    content = render(report, fmt) if encoded is None else encoded
    if out is None:
        if encoded is not None:
            cli_render.write_utf8(encoded)
        else:
            print(cli_render.for_screen(content) if fmt == "csv" else content, end="")
        return
    from kirana.io.safe_file import write_output

    write_output(out, content, flag="--out")  # never the ledger; temp file, then renamed

    print(
        tr("Wrote {file} ({format}; {head})").format(
            file=out, format=fmt, head=cli_render.head_caption(report.head)
        )
    )


@contextmanager
def no_cycle_collector() -> Iterator[None]:
    """For a long report (a statement of 200,000 entries): its rows are hundreds of thousands
    of small objects that live until it is written (half such a statement's time went to the
    cyclic collector walking them)."""
    from kirana.cycles import collector_paused

    with collector_paused():
        yield
