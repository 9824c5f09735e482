"""Rendering helpers shared by commands: the Rich console, ₹ columns, JSON, one-line results."""

from __future__ import annotations

import json
import sys
from typing import Any

from kirana.money import format_rupees


def console(stderr: bool = False):
    """A Rich console. Piped or redirected output is not cut to 80 columns (Rich's default
    off a terminal): COLUMNS if set (settings.columns), else 160, so dates and names stay
    whole."""
    from rich.console import Console

    from kirana import settings

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else settings.current().columns or 160
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def table(title: str | None, columns: list[tuple[str, str]], caption: str | None = None):
    """A Rich table; columns are (header, 'left'|'right')."""
    from rich.table import Table

    widest = max(len(title or ""), len(caption or ""))
    grid = Table(
        title=title,
        caption=caption,
        title_justify="left",
        caption_justify="left",
        min_width=widest + 4 if widest else None,
    )
    for header, justify in columns:
        grid.add_column(header, justify=justify, no_wrap=justify == "right")
    return grid


def rupees(paise: int | None) -> str:
    return "" if paise is None else format_rupees(paise)


def warn(message: str) -> None:
    sys.stderr.write(f"Warning: {message}\n")


def head_caption(head: dict) -> str:
    return f"ledger head: entry {head['seq']} {head['hash'][:12]}"
