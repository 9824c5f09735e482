"""`kirana backup FILE`: a consistent copy of the ledger through SQLite's online backup API.

The copy is taken inside a read transaction, so concurrent writers never tear it. It is built
in a private temp folder beside FILE (kirana.io.safe_file.sqlite_output) and linked into place
only when it is complete and fsynced: a backup that is killed leaves nothing at FILE (the next
write into that folder removes the leftover), and an existing file is never overwritten. FILE
may not be the ledger or one of its companions; the copy is owner-only, a normal kirana ledger
(passes `kirana verify`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kirana.errors import InputError
from kirana.i18n import tr
from kirana.io.safe_file import check_target, sqlite_output
from kirana.store import Ledger


def backup_ledger(ledger: Ledger, target: Path) -> dict:
    """Copy the ledger to `target` (must not exist). Returns the head that was copied."""
    target = Path(target).expanduser()
    if not target.parent.is_dir():
        raise InputError(
            tr("folder {parent} does not exist; create it or pick another path").format(
                parent=target.parent
            )
        )
    target = check_target(target, flag="backup file", ledger=ledger.path)
    if os.path.lexists(target):
        raise InputError(
            tr("{target} already exists; backups never overwrite, give a new file name").format(
                target=target
            )
        )
    with sqlite_output(target, flag="backup file", ledger=ledger.path) as temp:
        copy = sqlite3.connect(temp)
        try:
            ledger.conn.execute("BEGIN")
            try:
                head = ledger.head()
                ledger.conn.backup(copy)
            finally:
                ledger.conn.execute("COMMIT")
            copy.execute("PRAGMA journal_mode = WAL")
        finally:
            copy.close()
    return head
