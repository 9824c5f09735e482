"""The year_dues read model: per customer (as in `entries`) and business year, how much the
entries of that year that are not voided moved the dues.

Dues at any moment are the years before it plus that year's entries up to it
(queries.dues_at), so the month report and `--as-of` views read at most one year of entries,
however long the khata. projections.py keeps it up to date (`add_moved`); migration
012_view_models creates and fills it (`create_view_models`); verify compares it with the
entries and voids it has checked against the replay (`FROM_ENTRIES`).
"""

from __future__ import annotations

import sqlite3

from kirana.store import run_ddl

DDL = """
CREATE TABLE year_dues (
    customer_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    moved_paise INTEGER NOT NULL,
    PRIMARY KEY (customer_id, year)
) STRICT, WITHOUT ROWID;
"""
# year_dues as the entries and voids say it must be (the migration's fill, and verify's check)
FROM_ENTRIES = (
    "SELECT customer_id, CAST(substr(order_key, 1, 4) AS INTEGER), sum(delta_paise)"
    " FROM entries WHERE delta_paise != 0 AND seq NOT IN (SELECT target_seq FROM voided)"
    " GROUP BY 1, 2 HAVING sum(delta_paise) != 0"
)


def create_view_models(conn: sqlite3.Connection) -> None:
    """Migration 012: the year_dues read model, filled from the entries a ledger already has."""
    run_ddl(conn, DDL)
    conn.execute(f"INSERT INTO year_dues {FROM_ENTRIES}")


def add_moved(conn: sqlite3.Connection, moved: dict[tuple[int, int], int]) -> None:
    """Add what entries moved, {(customer_id, year): paise}, to the stored years (nothing moved:
    the table is not touched, so a migration before 012 may flush a batch)."""
    if not moved:
        return
    conn.executemany(
        "INSERT INTO year_dues VALUES (?, ?, ?) ON CONFLICT (customer_id, year)"
        " DO UPDATE SET moved_paise = moved_paise + excluded.moved_paise",
        [(customer_id, year, delta) for (customer_id, year), delta in moved.items()],
    )
