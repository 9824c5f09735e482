"""The aging_runs read model: every live credit (an entry that raised dues) of each customer, as
they count now (a merged customer's credits are the one they merged into), with the running
total of that customer's credits in business order (order key, then entry number).

FIFO leaves unpaid the newest credits adding up to the dues (aging.unpaid_credits), so with
`paid` = all credits - dues, the unpaid ones are exactly the rows whose running total passes
`paid`: one indexed range per debtor, all debtors in one query (`UNPAID`), however long the
khata. A payment, a debit return or a void of a payment changes only the dues (balances), not
this table. A credit dated at or after the customer's newest is one row appended
(`add_credits`); a back-dated credit is put in its place and the void of a credit taken out
(`take_out`), the running totals after it moved (so the cost follows how far back it is); a
merge, or a batch with many back-dated credits of one customer, recomputes that customer in one
statement (`refill`). Migration 013_aging_runs creates and fills it (`create`); verify compares
it with the entries, voids and merges it has checked against the replay (`FROM_ENTRIES`);
rebuild clears it and fills it again in one statement once the entries are written (`fill`).
"""

from __future__ import annotations

import json
import sqlite3

from kirana.store import run_ddl

# a customer with more back-dated credits than this in one batch (an import out of date
# order) is recomputed whole, in one statement, rather than moved credit by credit
REFILL_AFTER = 16

DDL = """
CREATE TABLE aging_runs (
    customer_id INTEGER NOT NULL,
    order_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    paise INTEGER NOT NULL,
    cum_paise INTEGER NOT NULL,
    PRIMARY KEY (customer_id, order_key, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX aging_runs_by_total ON aging_runs (customer_id, cum_paise, paise);
"""

# each merged-away customer -> the customer it counts as now (chains of merges followed)
_FINAL = (
    "WITH RECURSIVE hop(from_id, into_id) AS ("
    " SELECT from_id, into_id FROM customer_merges"
    " UNION SELECT hop.from_id, m.into_id FROM hop JOIN customer_merges m"
    " ON m.from_id = hop.into_id),"
    " final(from_id, into_id) AS (SELECT from_id, into_id FROM hop"
    " WHERE into_id NOT IN (SELECT from_id FROM customer_merges))"
)


def _runs(members: str = "") -> str:
    """The rows the live credits give (of the entries matching `members`, an SQL condition)."""
    return (
        f"{_FINAL} SELECT owner, order_key, seq, paise, sum(paise) OVER (PARTITION BY owner"
        " ORDER BY order_key, seq ROWS UNBOUNDED PRECEDING) FROM ("
        " SELECT coalesce(final.into_id, e.customer_id) AS owner, e.order_key, e.seq,"
        " e.delta_paise AS paise FROM entries e LEFT JOIN final ON final.from_id = e.customer_id"
        " WHERE e.delta_paise > 0 AND e.seq NOT IN (SELECT target_seq FROM voided)"
        f" {members})"
    )


# aging_runs as the entries and voids say it must be (the migration's fill, and verify's check)
FROM_ENTRIES = _runs()
# the same for the customers in the JSON list given (and everyone merged into them)
_FOR_CUSTOMERS = _runs(
    "AND e.customer_id IN (SELECT value FROM json_each(:ids)"
    " UNION SELECT from_id FROM final WHERE into_id IN (SELECT value FROM json_each(:ids)))"
)
# each listed customer's newest credit: (customer_id, running total, order key, seq)
_HEADS = (
    "SELECT r.customer_id, r.cum_paise, r.order_key, r.seq FROM json_each(?) AS j"
    " JOIN aging_runs r ON r.customer_id = j.value AND r.cum_paise ="
    " (SELECT max(cum_paise) FROM aging_runs m WHERE m.customer_id = j.value)"
)
# every debtor's unpaid credits now, each debtor's together, oldest first: (customer_id, its
# business day 'YYYY-MM-DD' (the order key's first ten characters), unpaid paise)
UNPAID = (
    "WITH debtor AS MATERIALIZED (SELECT b.customer_id,"
    " (SELECT max(cum_paise) FROM aging_runs m WHERE m.customer_id = b.customer_id)"
    " - b.balance_paise AS paid FROM balances b WHERE b.balance_paise > 0)"
    " SELECT d.customer_id, substr(r.order_key, 1, 10), min(r.paise, r.cum_paise - d.paid)"
    " FROM debtor d JOIN aging_runs r ON r.customer_id = d.customer_id AND r.cum_paise > d.paid"
    " ORDER BY d.customer_id, r.cum_paise"
)
# every debtor's oldest unpaid credit now (UNPAID's first row of theirs, found by one seek, not
# by reading all their unpaid credits), with their name, phone and dues, only dues of at least
# :floor paise, in no set order: (customer_id, name, phone, dues paise, the credit's business
# day 'YYYY-MM-DD', or None if no credit is left unpaid)
OLDEST_UNPAID = (
    "SELECT c.id, c.name, c.phone, b.balance_paise,"
    " (SELECT substr(r.order_key, 1, 10) FROM aging_runs r WHERE r.customer_id = b.customer_id"
    " AND r.cum_paise > (SELECT max(cum_paise) FROM aging_runs m"
    " WHERE m.customer_id = b.customer_id) - b.balance_paise ORDER BY r.cum_paise LIMIT 1)"
    " FROM balances b JOIN customers c ON c.id = b.customer_id"
    " WHERE b.balance_paise > 0 AND b.balance_paise >= :floor"
)


def create(conn: sqlite3.Connection) -> None:
    """Migration 013: the aging_runs read model, filled from the entries a ledger already has."""
    run_ddl(conn, DDL)
    fill(conn)


def fill(conn: sqlite3.Connection) -> None:
    """Fill the (empty) table from the entries, voids and merges in one statement (the
    migration, and rebuild once every entry is written again)."""
    conn.execute(f"INSERT INTO aging_runs {FROM_ENTRIES}")


def add_credits(conn: sqlite3.Connection, credits: list[tuple[int, int, str, int]]) -> None:
    """New credits (seq, customer_id as counted now, order key, paise > 0), already in
    `entries`: appended after their customer's newest credit, or (dated before it) put in
    their place, the running totals after them raised. No credits: the table is not touched
    (so a migration before 013 may flush a batch)."""
    if not credits:
        return
    new: dict[int, list[tuple[str, int, int]]] = {}
    for seq, customer_id, key, paise in credits:
        new.setdefault(customer_id, []).append((key, seq, paise))
    heads = {
        customer_id: (cum, key, seq)
        for customer_id, cum, key, seq in conn.execute(_HEADS, (json.dumps(list(new)),))
    }
    rows, again = [], []
    for customer_id, mine in new.items():
        mine.sort()
        cum, newest_key, newest_seq = heads.get(customer_id, (0, "", 0))
        if len(mine) > REFILL_AFTER and mine[REFILL_AFTER][:2] < (newest_key, newest_seq):
            again.append(customer_id)  # many back-dated at once: recomputed in one statement
            continue
        for key, seq, paise in mine:
            if (key, seq) < (newest_key, newest_seq):  # back-dated: in its place
                _insert_before(conn, customer_id, key, seq, paise)
            else:
                rows.append((customer_id, key, seq, paise, cum + paise))
            cum += paise
    conn.executemany("INSERT INTO aging_runs VALUES (?, ?, ?, ?, ?)", rows)
    refill(conn, again)


def _insert_before(conn: sqlite3.Connection, customer_id: int, key: str, seq: int, paise: int):
    """A credit dated before the customer's newest: the totals after it rise by its amount."""
    before = conn.execute(
        "SELECT cum_paise FROM aging_runs WHERE customer_id = ? AND (order_key, seq) < (?, ?)"
        " ORDER BY order_key DESC, seq DESC LIMIT 1",
        (customer_id, key, seq),
    ).fetchone()
    _shift(conn, customer_id, key, seq, paise)
    conn.execute(
        "INSERT INTO aging_runs VALUES (?, ?, ?, ?, ?)",
        (customer_id, key, seq, paise, (before[0] if before else 0) + paise),
    )


def _shift(conn: sqlite3.Connection, customer_id: int, key: str, seq: int, paise: int) -> None:
    """The running totals of the customer's credits after (key, seq) move by `paise`."""
    conn.execute(
        "UPDATE aging_runs SET cum_paise = cum_paise + ?"
        " WHERE customer_id = ? AND (order_key, seq) > (?, ?)",
        (paise, customer_id, key, seq),
    )


def take_out(conn: sqlite3.Connection, customer_id: int, key: str, seq: int) -> None:
    """A voided credit of `customer_id` (as counted now) goes; the totals after it fall."""
    where = "WHERE customer_id = ? AND order_key = ? AND seq = ?"
    row = conn.execute(f"SELECT paise FROM aging_runs {where}", (customer_id, key, seq)).fetchone()
    if row:
        conn.execute(f"DELETE FROM aging_runs {where}", (customer_id, key, seq))
        _shift(conn, customer_id, key, seq, -row[0])


def refill(conn: sqlite3.Connection, customer_ids: list[int], drop: tuple[int, ...] = ()) -> None:
    """Recompute the rows of `customer_ids` (as counted now) from their live credits and those of
    everyone merged into them; the rows of `drop` (customers merged away) go."""
    gone = [*customer_ids, *drop]
    if not gone:
        return
    conn.execute(
        "DELETE FROM aging_runs WHERE customer_id IN (SELECT value FROM json_each(?))",
        (json.dumps(gone),),
    )
    if customer_ids:
        conn.execute(f"INSERT INTO aging_runs {_FOR_CUSTOMERS}", {"ids": json.dumps(customer_ids)})
