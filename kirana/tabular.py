"""Plain tabular output shared by statements, reports and exports: CSV and Markdown.

CSV text cells that begin with `= + - @` (or tab/CR) are neutralised with a leading `'` so a
spreadsheet never runs them as formulas; numbers stay numbers; CSV text is otherwise exact.
Markdown text (`markdown_text`, every cell of `to_markdown`) shows literally: control and bidi
characters made visible (kirana.safe_text), `& < >` as entities (so no HTML), and what Markdown
acts on inline (backslash, backtick, `* _ [ ] ~ | $`) backslash-escaped, so a cell can neither
break its table nor turn into a link, code, emphasis or maths.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from kirana.safe_text import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MARKDOWN_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {char: "\\" + char for char in "\\`*_[]~|$"}
)


def neutralise(value: object) -> object:
    """Make a text cell safe for spreadsheets; leave numbers (int) untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def markdown_text(value: object) -> str:
    """Text that shows literally in Markdown, inline (a cell, a heading, a list item)."""
    return visible(str(value)).translate(MARKDOWN_ESCAPES)


def to_markdown(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    right: Sequence[int] = (),
    bold_last: int = 0,
) -> str:
    """A GitHub-style pipe table; column indexes in `right` are right-aligned; the last
    `bold_last` rows (totals) are bold. Every cell is `markdown_text`."""
    rows = [[markdown_text(cell) for cell in row] for row in rows]
    if bold_last:
        rows[-bold_last:] = [
            [f"**{cell}**" if cell else "" for cell in row] for row in rows[-bold_last:]
        ]
    lines = ["| " + " | ".join(markdown_text(h) for h in header) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
