"""Rendering helpers shared by commands: the Rich console, ₹ columns, JSON, one-line results.

This is the terminal's edge for stored text (names, references, reasons, item names, the shop
name, `recorded_by`): everything printed through `console()`, `table()`, `line()` and `warn()`
is shown literally. Plain strings become rich.text.Text (never markup, so "[bold]" prints as
typed) with control and bidi characters made visible by kirana.safe_text (ESC → ␛, U+202E →
<U+202E>). JSON (`print_json`) stays exact: it escapes control characters itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cache
from typing import Any

from kirana.i18n import shown, tr
from kirana.money import format_rupees
from kirana.safe_text import visible


def plain(value: object, style: str = ""):
    """A Rich Text showing `value` literally: no markup, hidden characters made visible."""
    from rich.text import Text

    return Text(visible(str(value)), style=style)


def _shown(value: object) -> object:
    return plain(value) if isinstance(value, str) else value


@cache
def _safe_classes() -> tuple[type, type]:
    """Rich's Console and Table, each taking plain strings literally (see `plain`)."""
    from rich.console import Console
    from rich.table import Table

    class SafeConsole(Console):
        def print(self, *objects: Any, **kwargs: Any) -> None:
            if len(objects) == 1 and isinstance(objects[0], SafeTable) and objects[0].miscounted():
                self._print_fixed(objects[0])
                return
            super().print(*(_shown(o) for o in objects), **kwargs)

        def _print_fixed(self, grid: SafeTable) -> None:
            from rich.text import Text

            for text in grid.fixed_lines(self.width):
                super().print(Text(text), soft_wrap=True)

    class SafeTable(Table):
        """Keeps the strings it is given, so that a table Rich would measure wrongly (Hindi
        vowel signs) is drawn by kirana.reports.fixed_width instead, and fits the screen."""

        plain_title: str | None = None
        plain_caption: str | None = None

        def add_row(self, *renderables: Any, **kwargs: Any) -> None:
            if not hasattr(self, "plain_rows"):
                self.plain_rows: list[list[str]] | None = []
            if self.plain_rows is not None and all(isinstance(r, str) for r in renderables):
                self.plain_rows.append(list(renderables))
            else:
                self.plain_rows = None
            super().add_row(*(_shown(r) for r in renderables), **kwargs)

        def plain_headers(self) -> list[str]:
            return [str(column.header) for column in self.columns]

        def miscounted(self) -> bool:
            from kirana.reports.fixed_width import rich_miscounts

            rows = getattr(self, "plain_rows", [])
            if rows is None:
                return False
            texts = [self.plain_title or "", self.plain_caption or "", *self.plain_headers()]
            return rich_miscounts(texts + [cell for row in rows for cell in row])

        def fixed_lines(self, width: int) -> list[str]:
            from kirana.reports.fixed_width import Column, table_lines

            columns = [
                Column(header, right=column.justify == "right")
                for header, column in zip(self.plain_headers(), self.columns, strict=True)
            ]
            return table_lines(
                columns,
                getattr(self, "plain_rows", []),
                width=width,
                title=self.plain_title,
                notes=[self.plain_caption] if self.plain_caption else (),
            )

    return SafeConsole, SafeTable


def console(stderr: bool = False):
    """A Rich console that prints strings literally (`plain`). Piped or redirected output is
    not cut to 80 columns (Rich's default off a terminal): COLUMNS if set (settings.columns),
    else 160, so dates and names stay whole."""
    from kirana import settings

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else settings.current().columns or 160
    safe_console, _ = _safe_classes()
    return safe_console(
        stderr=stderr, highlight=False, soft_wrap=False, width=width, markup=False, emoji=False
    )


def print_json(payload: Any, *, floats: bool = True) -> None:
    """JSON for scripts, indented by two (json.dumps' text, written fast: kirana.jsonfast).
    `floats=False`: the payload holds no float (text, integers, booleans, None, lists and
    dicts alone), so nothing is checked for one first. On a UTF-8 stdout that writes "\n" as
    it is, orjson's bytes are written as they are (no text made and encoded again)."""
    from kirana.jsonfast import pretty, pretty_bytes

    encoded = pretty_bytes(payload, floats=floats) if utf8_stdout() else None
    if encoded is None:
        sys.stdout.write(pretty(payload, floats=floats) + "\n")
        return
    write_utf8(encoded + b"\n")


def utf8_stdout() -> bool:
    """Whether UTF-8 bytes written to stdout's byte stream are what writing their text would
    write: a UTF-8 stdout (any error handler: the bytes are valid UTF-8) with a byte stream,
    where "\n" is written as it is."""
    import os

    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding == "utf8" and hasattr(sys.stdout, "buffer") and os.linesep == "\n"


def write_utf8(encoded: bytes) -> None:
    """Write text already encoded as UTF-8 to stdout as it is (only where `utf8_stdout()`),
    after what was written as text."""
    sys.stdout.flush()  # what was written as text goes first
    sys.stdout.buffer.write(encoded)
    sys.stdout.buffer.flush()


def table(title: str | None, columns: list[tuple[str, str]], caption: str | None = None):
    """A Rich table; columns are (header, 'left'|'right'); string cells are shown literally."""
    widest = max(len(title or ""), len(caption or ""))
    _, safe_table = _safe_classes()
    grid = safe_table(
        title=None if title is None else plain(title, "table.title"),
        caption=None if caption is None else plain(caption, "table.caption"),
        title_justify="left",
        caption_justify="left",
        min_width=widest + 4 if widest else None,
    )
    grid.plain_title, grid.plain_caption = title, caption
    for header, justify in columns:
        grid.add_column(plain(header), justify=justify, no_wrap=justify == "right")
    return grid


def rupees(paise: int | None) -> str:
    return "" if paise is None else format_rupees(paise)


def line(text: str = "") -> None:
    """Print one line of plain text (a one-line result), hidden characters made visible."""
    sys.stdout.write(visible(text) + "\n")


def lines(texts: Iterable[str], batch: int = 512) -> None:
    """Print lines of plain text as they come, `batch` lines a write (as `line` prints each).
    A batch with nothing hidden in it (the common case) is checked at once, not line by line."""
    from itertools import islice

    source = iter(texts)
    while pending := list(islice(source, batch)):
        if not "".join(pending).isprintable():  # what visible() checks, for every line at once
            pending = list(map(visible, pending))
        sys.stdout.write("\n".join(pending) + "\n")


def for_screen(text: str) -> str:
    """Data text (CSV) as it should reach stdout: exact when piped or redirected; on a
    terminal each line made visible (as `ls` shows odd file names)."""
    if not sys.stdout.isatty():
        return text
    return "\n".join(visible(part) for part in text.split("\n"))


def warn(message: str) -> None:
    sys.stderr.write(f"Warning: {visible(shown(message))}\n")  # the prefix stays English


def width() -> int:
    """How wide lists are drawn: the terminal's width; off a terminal COLUMNS (settings.columns)
    if set, else 160 (as `console()`), so piped names and dates stay whole."""
    from kirana import settings

    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return settings.current().columns or 160


def stream_table(columns, rows, **kwargs) -> int:
    """A long list on stdout as it comes (kirana.reports.fixed_width.write_table): `columns`
    are fixed_width.Column, `rows` any iterable of string cells; title, footer, notes, empty as
    write_table takes them. Every cell is shown literally, hidden characters made visible."""
    from kirana.reports.fixed_width import write_table

    return write_table(sys.stdout, columns, rows, width=width(), **kwargs)


def head_caption(head: dict) -> str:

    return tr("ledger head: entry {seq} {hash}").format(seq=head["seq"], hash=head["hash"][:12])
