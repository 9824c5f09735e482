"""Read models: tables kept in the same transaction as each append, rebuilt from the log.

- customers / customer_names: who exists, under every name they have had.
- balances: each customer's current dues (full knowledge, all business time).
- entries: every khata entry naming a customer (sales, payments, returns, openings, voids,
  confirmations) with its effect on dues (0 for a cash sale, a void or a confirmation) and its
  order key: a balance as of any moment is one indexed SUM, and a customer's statement is one
  indexed range. "As known at" a moment is a prefix of the log (recorded_at never decreases
  along seq), so it needs no column here: see queries.known_at_seq.
- daily_sales: per business day, sales and returns (voided ones taken back out), for the
  reports' turnover figures.
- returns_against: which returns were made against which sale, and for how much.
- voided: which entries were voided, by which void, when the void was recorded.
- catalog, shop_settings: effective-dated item prices and shop configuration.
`rebuild()` clears and recomputes all of them; verify.py checks they equal replay.fold().
"""

from __future__ import annotations

import json
import sqlite3

from kirana import dates
from kirana.events import (
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    ITEM_PRICED,
    RETURN,
    SALE,
    SHOP_CONFIGURED,
    VOID,
    Event,
    dues_delta,
    upcast,
)

READ_MODEL_DDL = """
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    credit_limit_paise INTEGER,
    added_at TEXT NOT NULL
) STRICT;
CREATE TABLE customer_names (name_lower TEXT PRIMARY KEY, customer_id INTEGER NOT NULL) STRICT;
CREATE TABLE balances (customer_id INTEGER PRIMARY KEY, balance_paise INTEGER NOT NULL) STRICT;
CREATE TABLE entries (
    seq INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    order_key TEXT NOT NULL,
    delta_paise INTEGER NOT NULL
) STRICT;
CREATE INDEX entries_by_customer ON entries (customer_id, order_key);
CREATE TABLE voided (target_seq INTEGER PRIMARY KEY, void_seq INTEGER NOT NULL) STRICT;
CREATE TABLE daily_sales (
    day TEXT PRIMARY KEY,
    sales_paise INTEGER NOT NULL,
    returns_paise INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE returns_against (
    sale_seq INTEGER NOT NULL,
    return_seq INTEGER NOT NULL,
    amount_paise INTEGER NOT NULL,
    PRIMARY KEY (sale_seq, return_seq)
) STRICT;
CREATE TABLE catalog (
    name_lower TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    price_paise INTEGER NOT NULL,
    gst_rate TEXT NOT NULL,
    hsn TEXT NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (name_lower, effective_from, seq)
) STRICT;
CREATE TABLE shop_settings (
    effective_from TEXT NOT NULL,
    seq INTEGER NOT NULL,
    settings TEXT NOT NULL,
    PRIMARY KEY (effective_from, seq)
) STRICT;
"""
READ_MODEL_TABLES = (
    "customers",
    "customer_names",
    "balances",
    "entries",
    "voided",
    "returns_against",
    "daily_sales",
    "catalog",
    "shop_settings",
)


def create_tables(conn: sqlite3.Connection) -> None:
    from kirana.store import run_ddl

    run_ddl(conn, READ_MODEL_DDL)


def customer_id_for(conn: sqlite3.Connection, name: str | None) -> int | None:
    if name is None:
        return None
    row = conn.execute(
        "SELECT customer_id FROM customer_names WHERE name_lower = ?", (name.lower(),)
    ).fetchone()
    return row[0] if row else None


def apply(conn: sqlite3.Connection, raw: Event) -> None:
    """Update every read model for one newly appended event."""
    event = upcast(raw)
    kind, data = event.type, event.data
    if kind == CUSTOMER_ADDED:
        conn.execute(
            "INSERT INTO customers VALUES (?, ?, ?, ?, ?)",
            (
                event.seq,
                event.customer,
                data.get("phone"),
                data.get("credit_limit_paise"),
                event.occurred_at,
            ),
        )
        conn.execute(
            "INSERT INTO customer_names VALUES (?, ?)", (event.customer.lower(), event.seq)
        )
        conn.execute("INSERT INTO balances VALUES (?, 0)", (event.seq,))
    elif kind == CUSTOMER_UPDATED:
        customer_id = customer_id_for(conn, event.customer)
        for column in ("name", "phone", "credit_limit_paise"):
            if column in data:
                conn.execute(
                    f"UPDATE customers SET {column} = ? WHERE id = ?", (data[column], customer_id)
                )
        if "name" in data:
            conn.execute(
                "INSERT OR REPLACE INTO customer_names VALUES (?, ?)",
                (data["name"].lower(), customer_id),
            )
    elif kind == VOID:
        target = data["target"]
        conn.execute("INSERT INTO voided VALUES (?, ?)", (target, event.seq))
        _take_back_daily(conn, target)
        row = conn.execute(
            "SELECT customer_id, delta_paise FROM entries WHERE seq = ?", (target,)
        ).fetchone()
        if row and row[1]:
            conn.execute(
                "UPDATE balances SET balance_paise = balance_paise - ? WHERE customer_id = ?",
                (row[1], row[0]),
            )
        _add_entry(conn, event, 0)
    elif kind == ITEM_PRICED:
        conn.execute(
            "INSERT INTO catalog VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                data["name"].lower(),
                data["effective_from"],
                event.seq,
                data["name"],
                data["price_paise"],
                data["gst_rate"],
                data.get("hsn", ""),
                data.get("unit", ""),
            ),
        )
    elif kind == SHOP_CONFIGURED:
        settings = {k: v for k, v in data.items() if k != "effective_from"}
        conn.execute(
            "INSERT INTO shop_settings VALUES (?, ?, ?)",
            (data["effective_from"], event.seq, json.dumps(settings, sort_keys=True)),
        )
    else:
        if kind in (SALE, RETURN):
            _add_daily(conn, event.occurred_at, kind, data["amount_paise"])
        if kind == RETURN and "against" in data:
            conn.execute(
                "INSERT INTO returns_against VALUES (?, ?, ?)",
                (data["against"], event.seq, data["amount_paise"]),
            )
        _add_entry(conn, event, dues_delta(event))


def _add_entry(conn: sqlite3.Connection, event: Event, delta: int) -> None:
    customer_id = customer_id_for(conn, event.customer)
    if customer_id is None:
        return
    conn.execute(
        "INSERT INTO entries VALUES (?, ?, ?, ?)",
        (event.seq, customer_id, dates.order_key(event.occurred_at), delta),
    )
    if delta:
        conn.execute(
            "UPDATE balances SET balance_paise = balance_paise + ? WHERE customer_id = ?",
            (delta, customer_id),
        )


def _add_daily(conn: sqlite3.Connection, occurred_at: str, kind: str, amount: int) -> None:
    sales, returns = (amount, 0) if kind == SALE else (0, amount)
    conn.execute(
        "INSERT INTO daily_sales VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET"
        " sales_paise = sales_paise + excluded.sales_paise,"
        " returns_paise = returns_paise + excluded.returns_paise",
        (dates.order_key(occurred_at)[:10], sales, returns),
    )


def _take_back_daily(conn: sqlite3.Connection, target_seq: int) -> None:
    """A voided sale or return leaves the day's totals."""
    from kirana.store import fetch_event

    target = fetch_event(conn, target_seq)
    if target and target.type in (SALE, RETURN):
        _add_daily(conn, target.occurred_at, target.type, -target.amount_paise)


def rebuild(ledger) -> int:
    """Recompute every read model from the log, in one write transaction. Returns events read."""
    count = 0
    with ledger.write():
        for table in READ_MODEL_TABLES:
            ledger.conn.execute(f"DELETE FROM {table}")
        for event in ledger.iter_events():
            apply(ledger.conn, event)
            count += 1
    return count
