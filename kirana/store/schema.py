"""The event log's tables and how a file is migrated: an ordered list of named steps.

The `events` table is STRICT and guarded by triggers that abort every UPDATE and DELETE. The
steps that create the read models belong to the layer above (kirana.ledger composes the full
list); store.log's `migrate` runs whatever steps a file has not had yet, in order, in one write
transaction, and records each in `_migrations`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from kirana.errors import LedgerError
from kirana.i18n import tr
from kirana.settings import Settings

# A named step; it gets the connection (inside the migration's transaction) and the settings.
Migration = tuple[str, Callable[[sqlite3.Connection, Settings], None]]
FIRST_MIGRATION = "001_events"
MIGRATIONS_DDL = "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)"

EVENTS_DDL = """
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,
    type TEXT NOT NULL,
    schema INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    customer TEXT,
    data BLOB NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
) STRICT;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'kirana events are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'kirana events are append-only: DELETE is not allowed'); END;
"""
APPEND_ONLY_TRIGGERS = ("events_no_update", "events_no_delete")


def run_ddl(conn: sqlite3.Connection, script: str) -> None:
    """Run a DDL script statement by statement (executescript would COMMIT our transaction)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def create_events(conn: sqlite3.Connection, settings: Settings) -> None:
    run_ddl(conn, EVENTS_DDL)


def create_import_keys(conn: sqlite3.Connection, settings: Settings) -> None:
    """Idempotency keys of imported rows: key -> fingerprint of the row's content, and its seq.
    Both are stored as short digests (16 and 8 bytes; see io/csv_import.py) to keep a
    million-row import small on disk."""
    conn.execute(
        "CREATE TABLE import_keys (key BLOB PRIMARY KEY, fingerprint BLOB NOT NULL,"
        " seq INTEGER NOT NULL) STRICT, WITHOUT ROWID"
    )


def create_business_time_index(conn: sqlite3.Connection, settings: Settings) -> None:
    """Reports read one month or quarter of business time; this keeps that an index range."""
    conn.execute("CREATE INDEX events_by_occurred_at ON events (occurred_at)")


def create_confirmations_index(conn: sqlite3.Connection, settings: Settings) -> None:
    """A command's confirmation guard reads the balance confirmations alone (a handful), not
    every entry of its customer (hundreds of thousands on a long khata): a partial index."""
    conn.execute(
        "CREATE INDEX events_confirmations ON events (seq) WHERE type = 'balance_confirmed'"
    )


def create_ledger_settings(conn: sqlite3.Connection, settings: Settings) -> None:
    """Settings of the file itself: the timezone its business times are keyed in."""
    conn.execute("CREATE TABLE ledger_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT")
    conn.execute("INSERT INTO ledger_settings VALUES ('timezone', ?)", (settings.timezone,))


def refuse_foreign_database(conn: sqlite3.Connection, db_path: Path) -> None:
    """A file with tables but without kirana's first migration belongs to another program."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    ours = (
        "_migrations" in tables
        and conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (FIRST_MIGRATION,)).fetchone()
    )
    if tables and not ours:
        raise LedgerError(
            tr("{db_path} is another program's database, not a kirana ledger; check --db").format(
                db_path=db_path
            )
        )


def check_zone(conn: sqlite3.Connection, settings: Settings) -> None:
    """Business times are keyed in the zone the ledger was created in: refuse another one."""
    row = conn.execute("SELECT value FROM ledger_settings WHERE key = 'timezone'").fetchone()
    wanted = settings.timezone
    if row and row[0] != wanted:
        raise LedgerError(
            tr(
                "this ledger keeps business time in {value}, but KIRANA_TZ says {wanted}; set KIRANA_TZ={value}"
            ).format(value=row[0], wanted=wanted)
        )
