"""Rendering a report (month, GST, a customer's statement) in any format: table (Rich), csv,
json, md, xlsx, html.

`render(report, fmt)` returns text (bytes for xlsx). Every format but JSON draws from the same
Layout (layout.py). CSV and xlsx neutralise text cells that begin with `= + - @` (tabular.py);
money and quantities stay numbers there. Rich and xlsxwriter are imported only when used.
"""

from __future__ import annotations

import csv
import io
import sys

from kirana.errors import InputError
from kirana.i18n import tr
from kirana.money import rupees_str
from kirana.reports.layout import Dues, Layout, Money, Qty, bars
from kirana.tabular import markdown_text, neutralise, to_markdown

FORMATS = ("table", "csv", "json", "md", "xlsx", "html")
SUFFIXES = {".csv": "csv", ".json": "json", ".md": "md", ".xlsx": "xlsx", ".html": "html"}


def check_format(fmt: str) -> str:
    fmt = fmt.lower().strip()
    if fmt not in FORMATS:
        raise InputError(
            tr("--format {fmt!r} is not one of {formats}").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )
    return fmt


def _is(report, module: str, name: str) -> bool:
    """isinstance(report, module.name), without importing the module: a report of a kind whose
    module was never imported cannot be one (`report month` need not load the GST report)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(report, getattr(loaded, name))


def layout_of(report) -> Layout:
    if _is(report, "kirana.reports.statement", "StatementReport"):
        from kirana.reports.layout_statement import statement_layout

        return statement_layout(report)
    if _is(report, "kirana.reports.day", "DayBook"):
        from kirana.reports.layout_day import day_layout

        return day_layout(report)
    if _is(report, "kirana.reports.gst", "GstReport"):
        from kirana.reports.layout_gst import gst_layout

        return gst_layout(report)
    from kirana.reports.layout_month import month_layout

    return month_layout(report)


def json_of(report) -> dict:
    if _is(report, "kirana.reports.statement", "StatementReport"):
        from kirana.reports.statement_rows import statement_json

        return statement_json(report)
    if _is(report, "kirana.reports.day", "DayBook"):
        from kirana.reports.layout_day import day_json

        return day_json(report)
    if _is(report, "kirana.reports.gst", "GstReport"):
        from kirana.reports.report_json import gst_json

        return gst_json(report)
    from kirana.reports.report_json import month_json

    return month_json(report)


def render(report, fmt: str, *, width: int = 100) -> str | bytes:
    """The report as text (or xlsx bytes) in the chosen format."""
    fmt = check_format(fmt)
    from kirana.reports.statement import StatementReport

    if isinstance(report, StatementReport) and fmt in ("csv", "json"):
        return _statement_text(report, fmt)
    if fmt == "json":
        from kirana.jsonfast import pretty  # json.dumps(…, indent=2)'s text, at orjson's speed

        return pretty(json_of(report)) + "\n"
    if fmt == "csv":  # data scripts read, like the JSON: its words stay English
        from kirana.i18n import in_language

        with in_language("en"):
            return csv_text(layout_of(report))
    layout = layout_of(report)
    if fmt == "table":
        from kirana.reports.render_table import table_text

        return table_text(layout, width)
    if fmt == "md":
        return markdown(layout)
    if fmt == "xlsx":
        from kirana.reports.render_xlsx import xlsx_bytes

        return xlsx_bytes(layout)
    from kirana.reports.render_html import html_text

    return html_text(layout)


def render_utf8(report, fmt: str) -> bytes | None:
    """render(report, fmt)'s text as UTF-8 where it is made as bytes (JSON, written by orjson:
    no text made only to be encoded again), else None (render it)."""
    if check_format(fmt) != "json":
        return None
    from kirana.reports.statement import StatementReport

    if isinstance(report, StatementReport):
        from kirana.reports.statement_rows import json_bytes

        return json_bytes(report)
    from kirana.jsonfast import pretty_bytes

    encoded = pretty_bytes(json_of(report))
    return None if encoded is None else encoded + b"\n"


def _statement_text(report, fmt: str) -> str:
    """A statement's CSV or JSON, made straight from its lines (statement_rows: the same
    text as the Layout's CSV and json_of's JSON, without laying out a long page first)."""
    from kirana.reports import statement_rows

    if fmt == "json":
        return statement_rows.json_text(report)
    from kirana.i18n import in_language

    with in_language("en"):
        return statement_rows.csv_text(report)


def markdown(layout: Layout) -> str:
    """Every piece of text is `markdown_text` (shows literally: no HTML, no table-breaking `|`,
    control and bidi characters made visible)."""
    md = markdown_text
    parts = [f"# {md(layout.title)}\n"]
    parts.append(
        "\n".join(f"- **{md(label)}:** {md(value)}" for label, value in layout.facts) + "\n"
    )
    for warning in layout.warnings:
        parts.append(f"> **Warning:** {md(warning)}\n")
    for section in layout.sections:
        parts.append(f"## {md(section.title)}\n")
        if not section.rows:
            parts.append(f"_{md(section.empty)}_\n")
            continue
        header, rows = list(section.header), [list(row) for row in section.rows]
        if section.bar is not None:
            header.append("")
            rows = [row + [bar] for row, bar in zip(rows, bars(section), strict=True)]
        right = sorted(section.right_aligned())
        parts.append(to_markdown(header, rows, right=right, bold_last=section.totals))
        if section.note:
            parts.append(f"_{md(section.note)}_\n")
    return "\n".join(parts)


def spreadsheet_value(cell):
    """Money and quantities as exact Decimal numbers; text neutralised against formulas."""
    if isinstance(cell, Money):
        return cell.rupees
    if isinstance(cell, Qty):
        return cell.value
    return neutralise(cell)


def csv_value(cell):
    """spreadsheet_value as CSV writes it: money as the text of its exact Decimal (what the
    writer would make of it), written directly; everything else as spreadsheet_value."""
    kind = type(cell)
    if kind is str:
        return neutralise(cell)
    if kind is Money or kind is Dues:
        return rupees_str(cell.paise)
    return spreadsheet_value(cell)


def csv_text(layout: Layout) -> str:
    """Sections stacked one after another (title row, header row, rows, blank row); a
    one-table layout (a statement) is just its header row and rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if layout.one_table:
        (section,) = layout.sections
        writer.writerow([neutralise(h) for h in section.header])
        writer.writerows([csv_value(cell) for cell in row] for row in section.rows)
        return buffer.getvalue()
    writer.writerow([neutralise(layout.title)])
    for label, value in layout.facts:
        writer.writerow([label, neutralise(value)])
    for warning in layout.warnings:
        writer.writerow(["Warning", neutralise(warning)])
    for section in layout.sections:
        writer.writerow([])
        writer.writerow([neutralise(section.title)])
        writer.writerow([neutralise(h) for h in section.header])
        for row in section.rows:
            writer.writerow([csv_value(cell) for cell in row])
        if section.note:
            writer.writerow([neutralise(section.note)])
    return buffer.getvalue()
