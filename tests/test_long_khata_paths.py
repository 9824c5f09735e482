"""Paths that must not grow with the ledger (issue 14): a command's confirmation guard reads the
confirmations alone, `rebuild` leaves the same file as the appends did (its indexes dropped and
made again), and streamed statements write what the whole statement writes."""

from __future__ import annotations

import sqlite3

from kirana import recording
from kirana.rules.ledger_checks import ConfirmedDues


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def _plan(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> str:
    return " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_confirmation_guard_reads_the_confirmations_index_not_the_customers_entries(ledger):
    recording.add_customer(ledger, "Priya")
    recording.record_sale(ledger, "Priya", method="credit", occurred_at="2025-03-01",
                          amount_paise=500)  # fmt: skip
    recording.record_confirmation(ledger, "Priya", 500, occurred_at="2025-03-05")
    conn = ledger.conn
    indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert "events_confirmations" in indexes
    traced: list[str] = []
    conn.set_trace_callback(traced.append)
    try:
        dues = ConfirmedDues(conn, 1)
    finally:
        conn.set_trace_callback(None)
    assert list(dues.latest) == [1]
    (query,) = [sql for sql in traced if "balance_confirmed" in sql]
    plan = _plan(conn, query.replace("IN (1)", "IN (?)"), (1,))
    assert "USING INDEX events_confirmations" in plan
    assert "entries_by_customer" not in plan


def test_a_payment_dated_before_a_confirmation_is_still_refused(kirana):
    ok(kirana("customer", "add", "Priya"))
    ok(kirana("sale", "Priya", "--amount", "500", "--credit", "--on", "2025-03-01"))
    ok(kirana("confirm", "Priya", "500", "--on", "2025-03-05"))
    refused = kirana("pay", "Priya", "100", "--on", "2025-03-04")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: Priya confirmed ₹500.00 on 5 Mar 2025;")
    ok(kirana("pay", "Priya", "100", "--on", "2025-03-06"))
