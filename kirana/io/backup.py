"""`kirana backup FILE`: a consistent copy of the ledger through SQLite's online backup API.

The copy is taken inside a read transaction, so concurrent writers never tear it; it is
created owner-only and never overwrites an existing file. The copy is a normal kirana ledger
(passes `kirana verify`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kirana.errors import InputError
from kirana.store import Ledger


def backup_ledger(ledger: Ledger, target: Path) -> dict:
    """Copy the ledger to `target` (must not exist). Returns the head that was copied."""
    target = Path(target).expanduser()
    if target.exists():
        raise InputError(f"{target} already exists; backups never overwrite, give a new file name")
    if not target.parent.is_dir():
        raise InputError(f"folder {target.parent} does not exist; create it or pick another path")
    if target.resolve() == ledger.path.resolve():
        raise InputError("the backup file must not be the ledger itself")
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise InputError(f"{target} already exists; give a new file name") from None
    try:
        copy = sqlite3.connect(target)
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
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return head
