"""The report as Rich tables for the terminal (and a plain-text file with --out).

Cells are passed as rich.text.Text, never as markup, so a customer called "[bold]" or
'=HYPERLINK(…)' prints literally. Day-by-day sales get a bar column; voided statement lines
are struck through.
"""

from __future__ import annotations

import io

from kirana.reports.layout import Layout, Section, bars


def _grid(section: Section):
    from rich.table import Table
    from rich.text import Text

    right = section.right_aligned()
    grid = Table(
        title=Text(section.title, style="bold"),
        title_justify="left",
        min_width=len(section.title) + 2,
    )
    for index, header in enumerate(section.header):
        justify = "right" if index in right else "left"
        grid.add_column(Text(header), justify=justify, no_wrap=justify == "right")
    chart = bars(section)
    if chart:
        grid.add_column("", no_wrap=True)
    body_count = len(section.rows) - section.totals
    for index, row in enumerate(section.rows):
        if index == body_count and section.totals:
            grid.add_section()
        cells = [Text(str(cell)) for cell in row]
        if chart:
            cells.append(Text(chart[index]))
        style = "bold" if index >= body_count else "strike dim" if index in section.struck else None
        grid.add_row(*cells, style=style)
    return grid


def print_layout(layout: Layout, console) -> None:
    """Draw the layout on a Rich console."""
    from rich.text import Text

    console.print(Text(layout.title, style="bold underline"))
    for label, value in layout.facts:
        console.print(Text.assemble((f"{label}: ", "bold"), value), soft_wrap=True)
    for warning in layout.warnings:
        console.print(Text.assemble(("Warning: ", "bold yellow"), warning))
    for section in layout.sections:
        console.print()
        if not section.rows:
            console.print(Text(section.title, style="bold"))
            console.print(Text(f"  {section.empty}", style="dim"))
            continue
        console.print(_grid(section))
        if section.note:
            console.print(Text(section.note, style="italic"))


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
