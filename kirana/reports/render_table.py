"""The report as Rich tables for the terminal (and a plain-text file with --out).

Every piece of text is passed as rich.text.Text (`_text`), never as markup, with control and
bidi characters made visible (kirana.safe_text), so a customer called "[bold]", '=HYPERLINK(…)'
or "\\x1b[2J" prints literally. Day-by-day sales get a bar column; voided statement lines are
struck through.
"""

from __future__ import annotations

import io

from kirana.i18n import shown
from kirana.reports.layout import Layout, Section, bars
from kirana.safe_text import visible


def _text(value: object, style: str = ""):
    """A Rich Text of `value` shown literally: no markup, hidden characters made visible."""
    from rich.text import Text

    return Text(visible(str(value)), style=style)


def _grid(section: Section):
    from rich.table import Table

    right = section.right_aligned()
    grid = Table(
        title=_text(section.title, "bold"),
        title_justify="left",
        min_width=len(section.title) + 2,
    )
    for index, header in enumerate(section.header):
        justify = "right" if index in right else "left"
        grid.add_column(_text(header), justify=justify, no_wrap=justify == "right")
    chart = bars(section)
    if chart:
        grid.add_column("", no_wrap=True)
    body_count = len(section.rows) - section.totals
    for index, row in enumerate(section.rows):
        if index == body_count and section.totals:
            grid.add_section()
        cells = [_text(cell) for cell in row]
        if chart:
            cells.append(_text(chart[index]))
        style = "bold" if index >= body_count else "strike dim" if index in section.struck else None
        grid.add_row(*cells, style=style)
    return grid


def _miscounted(section: Section) -> bool:
    from kirana.reports.fixed_width import rich_miscounts

    cells = [str(cell) for row in section.rows for cell in row]
    return rich_miscounts([section.title, *section.header, *cells])


def _miscounted_text(text: str) -> bool:
    from kirana.reports.fixed_width import rich_miscounts

    return rich_miscounts([text])


def _fixed_lines(section: Section, width: int) -> list[str]:
    """The section drawn by kirana.reports.fixed_width: for a table Rich would measure wrongly
    (a Devanagari vowel sign counts a cell on a terminal, none in Rich), so that it fits."""
    from kirana.reports.fixed_width import Column, table_lines

    right = section.right_aligned()
    columns = [Column(header, right=index in right) for index, header in enumerate(section.header)]
    rows = [[str(cell) for cell in row] for row in section.rows]
    chart = bars(section)
    if chart:
        columns.append(Column("", keep=True))
        rows = [[*row, bar] for row, bar in zip(rows, chart, strict=False)]
    body = len(rows) - section.totals
    return table_lines(columns, rows[:body], width=width, title=section.title, footer=rows[body:])


def print_layout(layout: Layout, console) -> None:
    """Draw the layout on a Rich console."""
    from rich.text import Text

    console.print(_text(layout.title, "bold underline"))
    for label, value in layout.facts:
        # wrapped by kirana (Rich miscounts Hindi), a word wider than the screen kept whole
        first, *rest = _fact_lines(visible(f"{label}: {value}"), console.width)
        head = visible(f"{label}: ")
        if first.startswith(head):
            console.print(
                Text.assemble(_text(head, "bold"), _text(first[len(head) :])), soft_wrap=True
            )
        else:
            console.print(_text(first), soft_wrap=True)
        for line in rest:
            console.print(_text(line), soft_wrap=True)
    for warning in layout.warnings:
        console.print(Text.assemble(("Warning: ", "bold yellow"), _text(warning)))
    for section in layout.sections:
        console.print()
        if not section.rows:
            console.print(_text(section.title, "bold"))
            console.print(_text(f"  {section.empty}", "dim"))
            continue
        if _miscounted(section):
            for line in _fixed_lines(section, console.width):
                console.print(_text(line), soft_wrap=True)
        else:
            console.print(_grid(section))
        if section.note and _miscounted_text(section.note):
            for line in _fact_lines(visible(section.note), console.width):
                console.print(_text(line, "italic"), soft_wrap=True)
        elif section.note:
            console.print(_text(section.note, "italic"))


def table_text(layout: Layout, width: int = 100) -> str:
    """Plain text (no colour) at a fixed width: for files and golden tests."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    print_layout(layout, console)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def _fact_lines(text: str, width: int) -> list[str]:
    """A fact wrapped at its spaces; one holding a word wider than the screen (a UPI link) is
    left whole, for the terminal to fold, so that it can be copied in one piece."""
    from kirana.reports.fixed_width import cell_width, wrap

    if any(cell_width(word) > width for word in text.split(" ")):
        return [text]
    return wrap(text, width)


def stream_statement(report, out, width: int, more: str | None = None) -> None:
    """A statement on the terminal, each line written as it is read from the ledger (the page's
    lines may be an iterator): the title and facts, the entries between the opening and
    closing dues, the note, and `more` (how to see the entries not shown)."""
    from kirana.reports import layout_statement as page_layout
    from kirana.reports.fixed_width import write_table
    from kirana.reports.statement_rows import screen_rows

    page = report.page
    top = [page_layout.statement_title(report)]
    top += [f"{label}: {value}" for label, value in page_layout.statement_facts(report)]
    top += [f"Warning: {shown(warning)}" for warning in report.warnings]
    out.write("".join(f"{line}\n" for text in top for line in _fact_lines(visible(text), width)))
    out.write("\n")
    voided: list[bool] = []  # noted by screen_rows at the first voided line

    def notes() -> list[str]:
        return [page_layout.statement_note(page, bool(voided)), *([more] if more else [])]

    write_table(
        out,
        page_layout.columns(),
        screen_rows(page, voided),
        width=width,
        footer=[[str(cell) for cell in page_layout.closing_cells(page)]],
        notes=notes,
    )
