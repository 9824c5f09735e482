"""Long lists drawn as they come: a fixed-width text table written row by row.

A statement of twenty thousand entries, dues for ten thousand customers or a long log must not
wait for a whole table to be measured and laid out before its first line shows (a Rich table
costs about a millisecond a row). `write_table` measures the columns on the header, the first
rows (`SAMPLE` of them) and the footer rows, fixes the widths, and then writes every row as it
arrives, in batches. Text is never cut: a text cell wider than its column wraps onto the next
lines of its column; a number wider than its column pushes the rest of its line right.

The table is generic (columns, rows, footer rows, notes), so a command changes what it shows
without touching the drawing. Every cell, title and note passes through safe_text.visible, so
stored text shows literally, hidden characters as visible stand-ins. Plain text only: no
colour, no escape sequences; widths count a wide (East Asian) character as two cells and a
combining mark as none.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import TextIO

from kirana.safe_text import visible

SAMPLE = 200  # rows measured before the widths are fixed
BATCH = 512  # lines written at once
GAP = "  "
MIN_TEXT = 8  # a text column is never squeezed below this (or its header)
FLEX_MIN = 20  # the flexible column gives way first, down to this; the others, then it again
FLEX_AT_LEAST = 40  # the flexible column takes up to this much even if the sample is narrower


# Latin letters, dashes, ₹ and the other currency signs, the control pictures: one cell each
_ONE_CELL_EACH = re.compile(
    "[\u0020-\u007e\u00a0-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20bf\u2400-\u2426]*"
)


@dataclass(frozen=True)
class Column:
    """A column: its header; `right`: numbers (right-aligned, never wrapped); `flex`: the one
    that takes the spare width and gives way first (descriptions, names); `keep`: text that
    is never squeezed (dates, entry numbers)."""

    header: str
    right: bool = False
    flex: bool = False
    keep: bool = False

    @property
    def squeezable(self) -> bool:
        return not (self.right or self.keep)


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: wide characters two, combining marks none."""
    if text.isascii():
        return len(text)
    if text[0] == "₹" and text[1:].isascii():  # money: every character one cell, read at once
        return len(text)
    if _ONE_CELL_EACH.fullmatch(text):
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces where it can be."""
    if cell_width(text) <= width:
        return [text]
    if text.isascii():
        return _wrap_ascii(text, width)
    return _wrap_cells(text, width)


def _wrap_ascii(text: str, width: int) -> list[str]:
    """wrap() of ASCII text, where a character is a cell: counted by len() (a statement's
    descriptions wrap on an 80-column terminal, line after line)."""
    return _wrap_words(text, width, len, _fit_ascii)


def _wrap_cells(text: str, width: int) -> list[str]:
    """wrap() counting terminal cells (wide characters two, combining marks none)."""
    return _wrap_words(text, width, cell_width, _fit)


def _wrap_words(
    text: str, width: int, measure: Callable[[str], int], fit: Callable[[str, int], int]
) -> list[str]:
    """`text` in lines of at most `width` as `measure` counts, broken at spaces; a word longer
    than the column is cut where `fit` says."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while measure(word) > width:  # a word longer than the column: cut it
            cut = fit(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _fit_ascii(text: str, width: int) -> int:
    """How many characters of ASCII `text` fit in `width` cells (at least one)."""
    return max(width, 1)


def _fit(text: str, width: int) -> int:
    """How many characters of `text` fit in `width` cells (at least one)."""
    used = 0
    for index, char in enumerate(text):
        used += cell_width(char)
        if used > width:
            return max(index, 1)
    return len(text)


def widths(columns: Sequence[Column], measured: Sequence[Sequence[str]], budget: int) -> list[int]:
    """Column widths from the header (`measured[0]`) and the measured rows, fitted into `budget`
    cells where possible. In turn, until the table fits: the flexible column gives way to
    FLEX_MIN; headers wrap at their spaces (no column narrower than its cells or its longest
    header word); other text columns give way, widest first, to MIN_TEXT; then the flexible one
    to MIN_TEXT. Numbers and kept columns never give way below their cells. The flexible one
    takes spare room up to FLEX_AT_LEAST (or the widest it has seen)."""
    header, *body = measured
    cells = [0] * len(columns)
    for row in body:
        for index, cell in enumerate(row):
            cells[index] = max(cells[index], cell_width(cell))
    words = [max(map(cell_width, h.split() or [""])) for h in header]
    chosen = [max(cell_width(h), c) for h, c in zip(header, cells, strict=True)]
    room = budget - len(GAP) * (len(columns) - 1)
    every = range(len(columns))
    flex = [i for i in every if columns[i].flex]
    others = [i for i in every if columns[i].squeezable and not columns[i].flex]
    stages = (
        (flex, lambda i: max(FLEX_MIN, words[i])),
        (every, lambda i: max(cells[i], words[i])),
        (others, lambda i: MIN_TEXT),
        (flex, lambda i: MIN_TEXT),
    )
    for group, floor in stages:
        for index in sorted(group, key=lambda i: -chosen[i]):
            over = sum(chosen) - room
            if over <= 0:
                break
            chosen[index] = max(min(floor(index), chosen[index]), chosen[index] - over)
    spare = room - sum(chosen)
    for index in flex:
        if spare > 0:
            grow = min(spare, max(0, FLEX_AT_LEAST - chosen[index]))
            chosen[index] += grow
            spare -= grow
    return chosen


def _lines(
    row: Sequence[str], columns: Sequence[Column], sizes: list[int], header: bool = False
) -> list[str]:
    """One row as one or more text lines (wrapped text cells continue below; in the header,
    every cell may wrap)."""
    used = list(map(cell_width, row))  # measured once: most rows fit as they are
    padded = []
    for cell, cells, size, col in zip(row, used, sizes, columns, strict=True):
        if cells > size:
            break
        if cells == size:
            padded.append(cell)
        else:
            padded.append(" " * (size - cells) + cell if col.right else cell + " " * (size - cells))
    else:
        return [GAP.join(padded).rstrip()]
    parts = [  # (text, its width) of each line of each cell
        [(cell, cells)]
        if cells <= size or (col.right and not header)
        else [(piece, cell_width(piece)) for piece in wrap(cell, size)]
        for cell, cells, size, col in zip(row, used, sizes, columns, strict=True)
    ]
    out = []
    for line_no in range(max(len(p) for p in parts)):
        cells = []
        for p, size, col in zip(parts, sizes, columns):
            if line_no >= len(p):
                cells.append(" " * size)
                continue
            text, width = p[line_no]
            room = size - width
            if room <= 0:
                cells.append(text)
            else:
                cells.append(" " * room + text if col.right else text + " " * room)
        out.append(GAP.join(cells).rstrip())
    return out


def row_template(columns: Sequence[Column], sizes: list[int]) -> tuple[str, list[int], list[int]]:
    """What _plain_lines needs of a table: a printf-style format that pads each cell to its
    column's size, aligned as the column is (%-Ns pads text on the right to N characters, %Ns
    on the left; neither cuts), the most characters each column's cell may have before it
    wraps (a number wider than its column is written whole, pushing the rest of its line
    right), and the sizes."""
    template = GAP.join(
        f"%{'' if col.right else '-'}{size}s" for col, size in zip(columns, sizes, strict=True)
    )
    limits = [sys.maxsize if col.right else size for col, size in zip(columns, sizes)]
    return template, limits, list(sizes)


@lru_cache(maxsize=64)  # a table's format, made once per table (the shell draws many)
def _text_columns(template: str) -> tuple[tuple[int, int], ...]:
    """(index, width) of each text column of a row_template format: its left-aligned fields
    (%-Ns), whose cells wrap; the others are numbers, written whole."""
    fields = template.split(GAP)
    return tuple((i, int(f[2:-1])) for i, f in enumerate(fields) if f.startswith("%-"))


def _plain_lines(
    row: Sequence[str], template: tuple[str, list[int], list[int]]
) -> list[str] | None:
    """_lines(row) for a row of ASCII text and rupee signs (every character one cell): each of
    its lines padded by one printf-style format at once (a long statement's rows; half the
    time of str.format). None for any other row, which _lines draws."""
    text, limits, sizes = template
    if len(row) != len(limits):
        return None
    cells = tuple(row)
    line = text % cells  # each cell padded to its size, none cut
    if not (line.isascii() or line.replace("₹", "").isascii()):
        return None
    for index, limit in _text_columns(text):  # (int.__le__ mapped over every cell cost more)
        if len(cells[index]) > limit:
            break
    else:  # no text wider than its column (a number wider than its own pushes the line on)
        return [line.rstrip()]
    lengths = list(map(len, cells))
    parts = [
        wrap(cell, size) if length > limit else [cell]
        for cell, length, limit, size in zip(cells, lengths, limits, sizes)
    ]
    return [
        (text % tuple([p[line_no] if line_no < len(p) else "" for p in parts])).rstrip()
        for line_no in range(max(map(len, parts)))
    ]


def _plain_batch(
    rows: list[Sequence[str]], template: tuple[str, list[int], list[int]]
) -> list[str] | None:
    """Many rows' lines at once, when every one of them is a row _plain_lines draws (text with
    nothing hidden in it, ASCII and rupee signs): checked on all their cells together, then each
    row padded at once (dues for ten thousand customers), and the few whose text is wider than
    its column (a statement's long descriptions) wrapped by _plain_lines. None if any row is
    not such a row: they are drawn one by one."""
    text, limits, _ = template
    if set(map(len, rows)) != {len(limits)}:
        return None
    try:
        joined = "".join(map("".join, rows))
    except TypeError:  # not all text
        return None
    if not joined.isprintable() or not (joined.isascii() or joined.replace("₹", "").isascii()):
        return None
    wide: set[int] = set()  # the rows with a text cell wider than its column
    for index, limit in _text_columns(text):
        lengths = list(map(len, map(itemgetter(index), rows)))
        if max(lengths) > limit:
            wide.update(number for number, length in enumerate(lengths) if length > limit)
    # printf-style fields pad as str.format's {:<N} and {:>N} (%-Ns pads text on the right to
    # N characters, %Ns on the left) and are read faster; neither cuts
    lines = [(text % tuple(row)).rstrip() for row in rows]
    if not wide:
        return lines
    out: list[str] = []
    start = 0
    for number in sorted(wide):
        out += lines[start:number]
        drawn = _plain_lines(rows[number], template)
        if drawn is None:  # (not so: every cell was checked above)
            return None
        out += drawn
        start = number + 1
    out += lines[start:]
    return out


def _shown_row(row: Sequence[str]) -> Sequence[str]:
    """A row's cells as text, hidden characters made visible: a row of text with nothing hidden
    in it (the common case, checked on the row at once) as it is."""
    try:
        joined = "".join(row)
    except TypeError:  # not all text
        return list(map(visible, map(str, row)))
    if joined.isprintable():  # what visible() checks, for every cell together
        return row
    return list(map(visible, row))


def _footer_lines(row: Sequence[str], columns: Sequence[Column], sizes: list[int]) -> list[str]:
    """A footer row (a total): a label too wide for its column runs on over the empty cells
    after it ("Net (owed − advances)" over an empty date column) rather than wrapping."""
    cells, spanned, widths_ = list(row), list(columns), list(sizes)
    index = 0
    while index < len(cells) - 1:
        if cells[index] and not spanned[index].right and cell_width(cells[index]) > widths_[index]:
            while index + 1 < len(cells) - 1 and not cells[index + 1]:
                widths_[index] += len(GAP) + widths_.pop(index + 1)
                cells.pop(index + 1)
                spanned.pop(index + 1)
                if cell_width(cells[index]) <= widths_[index]:
                    break
        index += 1
    return _lines(cells, spanned, widths_)


def write_table(
    out: TextIO,
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    width: int,
    title: str | None = None,
    footer: Sequence[Sequence[str]] = (),
    notes: Sequence[str] | Callable[[], Sequence[str]] = (),
    empty: str | None = None,
) -> int:
    """Write a table to `out`: title, header, a rule, every row as it comes, a rule and the
    footer rows (totals), then the notes (or what `notes()` returns once every row is written).
    Returns how many rows were written. With no rows and `empty` given, writes the title and
    `empty` instead of a table."""
    source = iter(rows)
    first = list(map(_shown_row, islice(source, SAMPLE)))
    shown_footer = [[visible(str(cell)) for cell in row] for row in footer]
    if title is not None:
        out.write("".join(f"{line}\n" for line in wrap(visible(title), width)))
    if not first and empty is not None:
        out.write(visible(empty) + "\n")
        out.write("".join(f"{line}\n" for line in _notes(notes, width)))
        return 0
    header = [visible(c.header) for c in columns]
    sizes = widths(columns, [header, *first, *shown_footer], width)
    rule = "─" * (sum(sizes) + len(GAP) * (len(columns) - 1))
    batch = [*_lines(header, columns, sizes, header=True), rule]
    count = 0
    template = row_template(columns, sizes)
    chunk = first
    while chunk:
        lines = None if chunk is first else _plain_batch(chunk, template)
        if lines is None:
            for row in chunk if chunk is first else map(_shown_row, chunk):
                drawn = _plain_lines(row, template)
                batch.extend(_lines(row, columns, sizes) if drawn is None else drawn)
        else:
            batch.extend(lines)
        count += len(chunk)
        if len(batch) >= BATCH:
            out.write("\n".join(batch) + "\n")
            batch = []
        chunk = list(islice(source, BATCH))
    if shown_footer:
        batch.append(rule)
        for row in shown_footer:
            batch.extend(_footer_lines(row, columns, sizes))
    batch.extend(_notes(notes, width))
    out.write("\n".join(batch) + "\n")
    return count


def _notes(notes, width: int) -> list[str]:
    """The notes (or what `notes()` gives), visible and wrapped to the width."""
    lines = []
    for note in notes() if callable(notes) else notes:
        lines.extend(wrap(visible(note), width))
    return lines


def rich_miscounts(texts: Iterable[str]) -> bool:
    """Whether Rich would measure any of `texts` narrower or wider than the terminal shows it
    (Rich counts a Devanagari vowel sign such as ा or ि as no cell, terminals as one): such a
    table is drawn with `write_table`, which measures with `cell_width`, so it fits."""
    from rich.cells import cell_len

    return any(
        not text.isascii() and cell_len(text) != cell_width(text) for text in map(visible, texts)
    )


def table_lines(columns: Sequence[Column], rows: Iterable[Sequence[str]], **kwargs) -> list[str]:
    """`write_table`'s lines as a list (for a Rich console to print one by one)."""
    import io

    buffer = io.StringIO()
    write_table(buffer, columns, rows, **kwargs)
    return buffer.getvalue().splitlines()
