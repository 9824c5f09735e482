"""Rendering a customer's statement as a Rich table, CSV, JSON, Markdown or printable HTML."""

from __future__ import annotations

import json
from pathlib import Path

from kirana.errors import InputError
from kirana.money import format_rupees, money_json, rupees_str
from kirana.queries import Statement

FORMATS = ("table", "csv", "json", "md", "html")


def statement_json(page: Statement, head: dict) -> dict:
    return {
        "customer": page.customer,
        "from": page.start,
        "to": page.end,
        "head": head,
        **money_json(page.opening_paise, "opening"),
        **money_json(page.closing_paise, "closing"),
        "lines": [
            {
                "seq": line.seq,
                "occurred_at": line.occurred_at,
                "description": line.description,
                **money_json(line.debit_paise, "debit"),
                **money_json(line.credit_paise, "credit"),
                **money_json(line.balance_paise, "balance"),
                "voided_by": line.voided_by,
            }
            for line in page.lines
        ],
    }


def _rows(page: Statement, money) -> list[list]:
    rows = []
    for line in page.lines:
        note = f" [VOIDED by #{line.voided_by}]" if line.voided_by else ""
        rows.append(
            [
                line.occurred_at[:16].replace("T", " "),
                line.seq,
                line.description + note,
                money(line.debit_paise) if line.debit_paise else "",
                money(line.credit_paise) if line.credit_paise else "",
                money(line.balance_paise),
            ]
        )
    return rows


HEADER = ["Date", "Entry", "Description", "Debit", "Credit", "Balance"]


def render_statement(page: Statement, head: dict, fmt: str, out: Path | None) -> None:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    period = f"{page.start or 'the beginning'} to {page.end or 'today'}"
    if fmt == "json":
        text = json.dumps(statement_json(page, head), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        from kirana.tabular import to_csv

        opening = ["", "", "Opening dues", "", "", rupees_str(page.opening_paise)]
        closing = ["", "", "Closing dues", "", "", rupees_str(page.closing_paise)]
        text = to_csv(HEADER, [opening, *_rows(page, rupees_str), closing])
    elif fmt == "md":
        from kirana.tabular import to_markdown

        text = (
            f"# Khata statement: {page.customer}\n\nPeriod: {period}  \n"
            f"Opening dues: {format_rupees(page.opening_paise)}  \n"
            f"Closing dues: {format_rupees(page.closing_paise)}  \n"
            f"Ledger head: entry {head['seq']} {head['hash'][:12]}\n\n"
            + to_markdown(HEADER, _rows(page, format_rupees), right=(1, 3, 4, 5))
        )
    elif fmt == "html":
        text = _html(page, head, period)
    else:
        _print_table(page, head, period, out)
        return
    if out:
        out.write_text(text, encoding="utf-8")
        print(f"Wrote {out}")
    else:
        print(text, end="")


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#111}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px 8px}"
    "th{background:#eee}td.r,th.r{text-align:right}tr.void td{text-decoration:line-through;"
    "color:#777}tfoot td{font-weight:bold}p.head{font-size:small;color:#555}"
    "@media print{body{margin:0}}"
)


def _html(page: Statement, head: dict, period: str) -> str:
    """A self-contained printable page; every text is escaped, voided lines struck through."""
    from html import escape

    right = (1, 3, 4, 5)

    def cells(row: list, tag: str = "td") -> str:
        attrs = [' class="r"' if i in right else "" for i in range(len(row))]
        return "".join(
            f"<{tag}{attr}>{escape(str(c))}</{tag}>" for attr, c in zip(attrs, row, strict=True)
        )

    body = []
    for line, row in zip(page.lines, _rows(page, format_rupees), strict=True):
        css = ' class="void"' if line.voided_by else ""  # shown struck through, not counted
        body.append(f"<tr{css}>{cells(row)}</tr>")
    title = escape(f"Khata statement: {page.customer}")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>\n"
        f"<h1>{title}</h1>\n<p>Period: {escape(period)}</p>\n"
        f"<table><thead><tr>{cells(HEADER, 'th')}</tr></thead>\n<tbody>\n"
        f"<tr>{cells(['', '', 'Opening dues', '', '', format_rupees(page.opening_paise)])}"
        "</tr>\n" + "\n".join(body) + "\n</tbody>\n<tfoot><tr>"
        f"{cells(['', '', 'Closing dues', '', '', format_rupees(page.closing_paise)])}"
        "</tr></tfoot></table>\n"
        f'<p class="head">Ledger head: entry {head["seq"]} {escape(head["hash"])}</p>\n'
        "</body></html>\n"
    )


def _print_table(page: Statement, head: dict, period: str, out: Path | None) -> None:
    from kirana.cli import render

    grid = render.table(
        f"{page.customer} — {period}",
        [(h, "right" if i in (1, 3, 4, 5) else "left") for i, h in enumerate(HEADER)],
        render.head_caption(head),
    )
    grid.add_row("", "", "Opening dues", "", "", format_rupees(page.opening_paise))
    for row in _rows(page, format_rupees):
        grid.add_row(
            *[str(cell) for cell in row], style="strike dim" if "VOIDED" in row[2] else None
        )
    grid.add_section()
    grid.add_row("", "", "Closing dues", "", "", format_rupees(page.closing_paise))
    if out:
        from rich.console import Console

        with out.open("w", encoding="utf-8") as handle:
            Console(file=handle, width=120, highlight=False).print(grid)
        print(f"Wrote {out}")
    else:
        render.console().print(grid)
