"""Per-invocation settings (environment, then the global options --db, --by, --debug) and
ledger opening for the commands.

A command opens the ledger with `open_ledger()` / `read_ledger()` and closes it when its
with-block ends. Inside `holding_ledger()` (the shell: many commands in one process) the file is
opened once and lent to each command instead; it is opened again only when a command names
another file or other settings (`--db`, `--by` on the line), or when the file itself was
replaced (a restore, a new file), so a shell never answers from a stale file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from kirana import settings


class _Lent:
    """The held ledger, lent to one command: its with-block does not close it."""

    def __init__(self, ledger):
        self.ledger = ledger

    def __enter__(self):
        return self.ledger

    def __exit__(self, *exc: object) -> None:
        return None


class _Held:
    """The shell's one open ledger, with the settings and file it was opened for."""

    def __init__(self) -> None:
        self.ledger = None
        self.key: tuple | None = None

    def lend(self, chosen: settings.Settings, create: bool) -> _Lent:
        from dataclasses import replace

        from kirana.ledger import open_ledger as open_file

        path = chosen.ledger_path()
        same = replace(chosen, language=None, debug=False)  # these do not reach the ledger
        key = (path, _identity(path), same)
        if self.ledger is None or key != self.key:
            self.close()
            ledger = open_file(create=create, using=chosen, on_update=_say_updating)
            self.ledger, self.key = ledger, (path, _identity(path), same)
        return _Lent(self.ledger)

    def close(self) -> None:
        if self.ledger is not None:
            self.ledger.close()
        self.ledger, self.key = None, None


def _identity(path) -> tuple[int, int] | None:
    """Which file is at `path` now (device, inode), None if there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


_held: ContextVar[_Held | None] = ContextVar("kirana_held_ledger", default=None)


@contextmanager
def holding_ledger() -> Iterator[None]:
    """Keep the ledger open across the commands run in this block (the shell)."""
    held = _Held()
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        held.close()


def open_ledger(*, create: bool = True):
    """Open the ledger named by --db / KIRANA_DB / the per-user default. Without a language
    chosen (--lang, KIRANA_LANG), the shop's (`shop set --lang`) is put in force."""
    held = _held.get()
    if held is not None:
        opened = held.lend(settings.current(), create)
        _use_shop_language(opened.ledger)
        return opened
    from kirana.ledger import open_ledger as open_file

    ledger = open_file(create=create, using=settings.current(), on_update=_say_updating)
    _use_shop_language(ledger)
    return ledger


def _say_updating() -> None:
    """Said once on stderr, before a long khata is brought up to this version of kirana."""
    import typer

    from kirana.i18n import tr

    typer.echo(
        tr("Updating the ledger for this kirana (once; a long khata takes a minute)…"),
        err=True,
    )


def _use_shop_language(ledger) -> None:
    from dataclasses import replace

    chosen = settings.current()
    if chosen.language is not None:
        return
    from kirana.catalog import shop_settings_on
    from kirana.dates import today

    try:
        language = shop_settings_on(ledger.conn, today()).get("language")
    except (ValueError, TypeError, sqlite3.DatabaseError):  # damaged: verify names it
        return
    language = settings.language_code(str(language)) if language else None
    if language:
        settings.install(replace(chosen, language=language))


def read_ledger():
    """Open for reading: a missing file is an error, not silently created."""
    return open_ledger(create=False)


def complete_customer(incomplete: str) -> list[str]:
    """Shell completion: customer names starting with what has been typed."""
    return _complete(
        "SELECT name FROM customers WHERE merged_into IS NULL ORDER BY name", incomplete
    )


def complete_item(incomplete: str) -> list[str]:
    """Shell completion: catalog item names starting with what has been typed (an item word
    may go on with :QTY@PRICE, so only the name is completed)."""
    return _complete("SELECT DISTINCT name FROM catalog ORDER BY name", incomplete)


def complete_customer_or_item(incomplete: str) -> list[str]:
    """Shell completion of the first word of sale/return: a customer, or (walk-in) an item."""
    return complete_customer(incomplete) + complete_item(incomplete)


def _complete(sql: str, incomplete: str) -> list[str]:
    try:
        with read_ledger() as ledger:
            names = [n for (n,) in ledger.conn.execute(sql)]
    except Exception:  # noqa: BLE001 - completion must never break the shell
        return []
    return [name for name in names if name.lower().startswith(incomplete.lower())]
