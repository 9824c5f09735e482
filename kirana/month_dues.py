"""The month_dues read model: per business month ('YYYY-MM') and customer (as in `entries`), how
much the entries of that month that are not voided moved the dues.

Everyone's dues at a month's end are then either the years before it (year_dues) plus that
year's months up to it, or, for a recent month, today's balances less the months after it
(`dues_at_month_end`): the month report reads one month of the log and a few thousand rows of
read models, however long the khata. projections.py keeps it up to date (with year_dues, from
the same gathered moves); migration 016_month_dues creates and fills it (`create`); verify
compares it with the entries and voids it has checked against the replay (`FROM_ENTRIES`).
"""

from __future__ import annotations

import sqlite3

from kirana.store import run_ddl

DDL = """
CREATE TABLE month_dues (
    month TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    moved_paise INTEGER NOT NULL,
    PRIMARY KEY (month, customer_id)
) STRICT, WITHOUT ROWID;
"""
# month_dues as the entries and voids say it must be (the migration's fill, and verify's check)
FROM_ENTRIES = (
    "SELECT substr(order_key, 1, 7), customer_id, sum(delta_paise)"
    " FROM entries WHERE delta_paise != 0 AND seq NOT IN (SELECT target_seq FROM voided)"
    " GROUP BY 1, 2 HAVING sum(delta_paise) != 0"
)
# a month with at most this many (month, customer) rows after it is read back from the balances
RECENT_ROWS = 50_000


def create(conn: sqlite3.Connection) -> None:
    """Migration 016: the month_dues read model, filled from the entries a ledger already has."""
    run_ddl(conn, DDL)
    conn.execute(f"INSERT INTO month_dues {FROM_ENTRIES}")


def add_moved(conn: sqlite3.Connection, moved: dict[tuple[int, str], int]) -> None:
    """Add what entries moved, {(customer_id, 'YYYY-MM'): paise}, to the stored months (nothing
    moved: the table is not touched, so a migration before 016 may flush a batch)."""
    if not moved:
        return
    conn.executemany(
        "INSERT INTO month_dues VALUES (?, ?, ?) ON CONFLICT (month, customer_id)"
        " DO UPDATE SET moved_paise = moved_paise + excluded.moved_paise",
        [(month, customer_id, delta) for (customer_id, month), delta in moved.items()],
    )


def dues_at_month_end(conn: sqlite3.Connection, month: str) -> tuple[dict[int, int], int]:
    """Everyone's dues at the end of business month 'YYYY-MM' (full knowledge: voided entries
    never count), and what the month's entries moved in all.

    The dues are by customer id; a merged-away id's dues may be given under that id or under
    the customer it was merged into (the caller counts them for the one kept, as always). A
    month near the end of the log is read back from the balances (today's dues less the months
    after it); any other, forward: the years before it (year_dues) and its year's months."""
    later = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM month_dues WHERE month > ? LIMIT ?)",
        (month, RECENT_ROWS),
    ).fetchone()[0]
    if later < RECENT_ROWS:
        dues = dict(conn.execute("SELECT customer_id, balance_paise FROM balances"))
        merged = dict(conn.execute("SELECT from_id, into_id FROM customer_merges"))
        rows = conn.execute(
            "SELECT customer_id, sum(moved_paise) FROM month_dues WHERE month > ?"
            " GROUP BY customer_id",
            (month,),
        )
        for customer_id, moved in rows:
            while customer_id in merged:  # the balances hold it under the one kept
                customer_id = merged[customer_id]
            dues[customer_id] = dues.get(customer_id, 0) - moved
    else:
        dues = dict(
            conn.execute(
                "SELECT customer_id, sum(moved_paise) FROM year_dues WHERE year < ?"
                " GROUP BY customer_id",
                (int(month[:4]),),
            )
        )
        rows = conn.execute(
            "SELECT customer_id, sum(moved_paise) FROM month_dues"
            " WHERE month >= ? AND month <= ? GROUP BY customer_id",
            (month[:4], month),
        )
        for customer_id, moved in rows:
            dues[customer_id] = dues.get(customer_id, 0) + moved
    (in_month,) = conn.execute(
        "SELECT coalesce(sum(moved_paise), 0) FROM month_dues WHERE month = ?", (month,)
    ).fetchone()
    return dues, in_month
