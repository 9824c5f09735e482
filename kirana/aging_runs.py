"""The aging_runs read model: every live credit (an entry that raised dues) of each customer, as
they count now (a merged customer's credits are the one they merged into), with the running
total of that customer's credits in business order (order key, then entry number).

FIFO leaves unpaid the newest credits adding up to the dues (aging.unpaid_credits), so with
`paid` = all credits - dues, the unpaid ones are exactly the rows whose running total passes
`paid`: one indexed range per debtor, all debtors in one query (`UNPAID`), however long the
khata. A payment, a debit return or a void of a payment changes only the dues (balances), not
this table. A credit dated at or after the customer's newest is one row appended
(`add_credits`); a back-dated credit, the void of a credit or a merge recomputes that customer's
rows (`refill`). Migration 013_aging_runs creates and fills it (`create`); verify compares it
with the entries and voids it has checked against the replay (`FROM_ENTRIES`); rebuild clears
it and the entries refill it as they are written again.
"""

from __future__ import annotations

import json
import sqlite3

from kirana.store import run_ddl

DDL = """
CREATE TABLE aging_runs (
    customer_id INTEGER NOT NULL,
    cum_paise INTEGER NOT NULL,
    order_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    paise INTEGER NOT NULL,
    PRIMARY KEY (customer_id, cum_paise)
) STRICT, WITHOUT ROWID;
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
        f"{_FINAL} SELECT owner, sum(paise) OVER (PARTITION BY owner ORDER BY order_key, seq"
        " ROWS UNBOUNDED PRECEDING), order_key, seq, paise FROM ("
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
# every debtor's unpaid credits now, oldest first: (customer_id, order key, unpaid paise)
UNPAID = (
    "WITH debtor AS MATERIALIZED (SELECT b.customer_id,"
    " (SELECT max(cum_paise) FROM aging_runs m WHERE m.customer_id = b.customer_id)"
    " - b.balance_paise AS paid FROM balances b WHERE b.balance_paise > 0)"
    " SELECT d.customer_id, r.order_key, min(r.paise, r.cum_paise - d.paid)"
    " FROM debtor d JOIN aging_runs r ON r.customer_id = d.customer_id AND r.cum_paise > d.paid"
    " ORDER BY d.customer_id, r.cum_paise"
)


def create(conn: sqlite3.Connection) -> None:
    """Migration 013: the aging_runs read model, filled from the entries a ledger already has."""
    run_ddl(conn, DDL)
    conn.execute(f"INSERT INTO aging_runs {FROM_ENTRIES}")


def add_credits(conn: sqlite3.Connection, credits: list[tuple[int, int, str, int]]) -> None:
    """New credits (seq, customer_id as counted now, order key, paise > 0), already in
    `entries`: appended to their customer's rows, or, for a customer with one dated before
    their newest credit, that customer's rows recomputed. No credits: the table is not touched
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
        cum, key, seq = heads.get(customer_id, (0, "", 0))
        if mine[0][:2] < (key, seq):  # back-dated
            again.append(customer_id)
            continue
        for key, seq, paise in mine:
            cum += paise
            rows.append((customer_id, cum, key, seq, paise))
    conn.executemany("INSERT INTO aging_runs VALUES (?, ?, ?, ?, ?)", rows)
    refill(conn, again)


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
