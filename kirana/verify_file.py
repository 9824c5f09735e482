"""Is this file a finished kirana ledger? `refuse_unfinished` says no, before SQLite opens it
(which would write beside it), for an empty file, one cut short, one with an unfinished
write beside it, or a database with no tables; `_read_only` opens a ledger without writing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kirana.errors import LedgerError
from kirana.i18n import tr


def refuse_unfinished(path: Path) -> None:
    """LedgerError if the file at `path` is not a finished ledger, found without altering it
    (opening it read-write would roll a hot journal back, and migrating an empty file would
    make it a ledger with 0 entries): a rollback journal beside it (an unfinished write, e.g.
    a backup killed mid-way), an empty file, a file shorter than its SQLite header says, or
    one with no tables. A missing or non-SQLite file is left to the usual opening."""
    path = Path(path).expanduser()
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return
    journal = Path(f"{path}-journal")
    if journal.is_file() and journal.stat().st_size > 0:
        raise LedgerError(
            tr(
                "{path} has an unfinished write ({journal} beside it); it is not a finished ledger"
            ).format(path=path, journal=journal)
        )

    def unfinished(what: str) -> str:
        return tr("{path} is {what}; it is not a finished ledger").format(path=path, what=what)

    if size == 0:
        raise LedgerError(unfinished(tr("empty")))
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return
    wal = Path(f"{path}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        return  # the log beside it holds the newest pages; SQLite reads both
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] == header[92:96] and size < page_size * pages:
        raise LedgerError(
            unfinished(
                tr("shorter than its header says ({size} of {expected} bytes)").format(
                    size=size, expected=page_size * pages
                )
            )
        )
    try:
        conn = _read_only(str(path), immutable=True)  # no lock, no journal, no -wal/-shm made
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise LedgerError(unfinished(tr("damaged ({problem})").format(problem=exc))) from None
    if not tables:
        raise LedgerError(unfinished(tr("a database with no tables")))


def _read_only(path: str, *, immutable: bool = False) -> sqlite3.Connection:
    """A connection that cannot change the file (SQLite's read-only URI)."""
    from urllib.parse import quote

    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    return sqlite3.connect(f"file:{quote(str(Path(path).absolute()))}?{flags}", uri=True)
