"""The month_dues read model (issue 14): dues moved per business month and customer, from
which the month report takes its opening and closing dues without reading a year of entries.
For random histories over several years (back-dated entries, voids, merges) it holds what a
full replay gives, the dues at any month's end read from it (forward from the years before,
or back from today's balances) equal the replay's, verify checks it and rebuild restores it."""

from __future__ import annotations

import sqlite3
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import khata_histories
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from khata_histories import NAMES

from kirana import dates, month_dues, recording, replay
from kirana.ledger import open_ledger
from kirana.read_model_tables import READ_MODEL_TABLES
from kirana.rebuild import rebuild
from kirana.reports.month import TOP_N, dues_at, month_end_dues, month_report, top_debtors
from kirana.verify import verify

START = date(2023, 11, 1)
operation = khata_histories.operations(max_day=900)
# months from before the first entry to after the last (START + 900 days is in April 2026)
months = st.tuples(st.integers(2023, 2026), st.integers(1, 12)).map(
    lambda ym: f"{ym[0]:04d}-{ym[1]:02d}"
)
ADVICE = "keep the file as evidence (kirana backup COPY.db), then run kirana rebuild"


def _replayed_months(events) -> dict[tuple[str, int], int]:
    """month_dues as a full replay gives it: live entries' dues moves by month and customer."""
    state = replay.fold(events)
    key_of = {e.seq: dates.order_key(e.occurred_at) for e in events}
    moved: dict[tuple[str, int], int] = defaultdict(int)
    for seq, (customer_id, delta) in state.counted.items():
        moved[(key_of[seq][:7], customer_id)] += delta
    return {k: v for k, v in moved.items() if v}


def _bounds(month: str) -> tuple[str, str]:
    first = date(int(month[:4]), int(month[5:]), 1)
    after = (first + timedelta(days=31)).replace(day=1)
    return (
        dates.as_of_bound_for_day(first - timedelta(days=1)),
        dates.as_of_bound_for_day(after - timedelta(days=1)),
    )


def _replayed_dues(events, bound: str, names: dict[int, str]) -> dict[str, int]:
    state = replay.fold(events, as_of=bound)
    by_final: dict[int, int] = defaultdict(int)
    for customer_id, paise in state.balances.items():
        by_final[state.final_id(customer_id)] += paise
    return {names[c]: paise for c, paise in by_final.items() if paise}


@pytest.fixture(params=["back from the balances", "forward from the years"])
def direction(request, monkeypatch):
    """dues_at_month_end reads a month back from the balances when few rows follow it; 0 rows
    makes every month go forward."""
    if request.param == "forward from the years":
        monkeypatch.setattr(month_dues, "RECENT_ROWS", 0)
    return request.param


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(operation, min_size=1, max_size=40),
    probes=st.lists(months, min_size=1, max_size=4),
)
def test_month_dues_and_month_end_dues_equal_the_replay(direction, ops, probes):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        live: list[int] = []
        merged: set[str] = set()
        for op in ops:
            khata_histories.apply(ledger, op, live, merged, START)
        conn = ledger.conn
        events = list(ledger.iter_events())
        stored = {
            (m, c): paise
            for m, c, paise in conn.execute(
                "SELECT month, customer_id, moved_paise FROM month_dues"
            )
            if paise
        }
        assert stored == _replayed_months(events)
        names = dict(conn.execute("SELECT id, name FROM customers"))
        for month in probes:
            opening_bound, closing_bound = _bounds(month)
            opening, by_id = month_end_dues(conn, month)
            closing = [(names[c], paise) for c, paise in by_id.items()]
            assert {n: p for n, p in closing if p} == _replayed_dues(events, closing_bound, names)
            assert opening == sum(replay.fold(events, as_of=opening_bound).balances.values())
            old_opening, old_closing = dues_at(conn, opening_bound, closing_bound)
            assert (opening, {n: p for n, p in closing if p}) == (
                old_opening,
                {n: p for n, p in old_closing if p},
            )
        assert verify(ledger).ok
        appended = {t: sorted(conn.execute(f"SELECT * FROM {t}")) for t in READ_MODEL_TABLES}
        rebuild(ledger)  # batched: the same tables as every append's `apply` left them
        assert {t: sorted(conn.execute(f"SELECT * FROM {t}")) for t in READ_MODEL_TABLES} == (
            appended
        )


def _two_months(ledger) -> None:
    recording.add_customer(ledger, "Priya")
    recording.add_customer(ledger, "Amit")
    recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2024-12-31", amount_paise=500
    )
    recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2025-01-01T10:00", amount_paise=700
    )
    recording.record_payment(ledger, "Priya", 200, occurred_at="2025-01-20")
    recording.record_sale(
        ledger, "Amit", method="credit", occurred_at="2025-01-05", amount_paise=90
    )
    recording.record_void(ledger, 6, "typo")  # Amit's sale


def test_the_month_report_takes_its_dues_from_month_dues(ledger, direction):
    _two_months(ledger)
    report = month_report(ledger, "2025-01")
    assert (report.opening_dues_paise, report.closing_dues_paise) == (500, 1000)
    assert report.top_debtors == [("Priya", 1000)]
    assert report.reconciliation.holds
    opening, closing = month_end_dues(ledger.conn, "2024-11")  # before the first entry
    assert (opening, [paise for paise in closing.values() if paise]) == (0, [])


def test_verify_finds_a_wrong_month_dues_and_rebuild_mends_it(ledger):
    _two_months(ledger)
    assert verify(ledger).ok
    with ledger.write():
        ledger.conn.execute("UPDATE month_dues SET moved_paise = 1 WHERE month = '2024-12'")
    messages = [p.message for p in verify(ledger).problems]
    assert messages == [f"month_dues read model differs from replay; {ADVICE}"]
    rebuild(ledger)
    assert verify(ledger).ok
    assert set(ledger.conn.execute("SELECT * FROM month_dues WHERE moved_paise != 0")) == {
        ("2024-12", 1, 500),
        ("2025-01", 1, 500),
    }


def test_the_migration_fills_month_dues_from_an_older_ledger(tmp_path):
    path = tmp_path / "old.db"
    with open_ledger(path) as ledger:
        _two_months(ledger)
    conn = sqlite3.connect(path)  # as a ledger from before the read model was added
    conn.execute("DROP TABLE month_dues")
    conn.execute("DELETE FROM _migrations WHERE name = '016_month_dues'")
    conn.commit()
    conn.close()
    with open_ledger(path) as ledger:
        rows = set(ledger.conn.execute("SELECT * FROM month_dues"))
        assert rows == {("2024-12", 1, 500), ("2025-01", 1, 500)}  # Amit's sale is voided
        assert verify(ledger).ok


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(1, 40), st.integers(-3, 3).map(lambda n: n * 500), max_size=40))
def test_top_debtors_are_the_first_of_everyone_sorted(dues):
    """Only the names of those owing at least the TOP_N-th largest dues are read: the list is
    still sorted(everyone owing, by −dues, name case-folded, name)[:TOP_N], ties included."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    names = {
        cid: ("Amit", "amit", "Zoya", "priya", "Priya")[cid % 5] + str(cid // 5) for cid in dues
    }
    conn.executemany("INSERT INTO customers VALUES (?, ?)", names.items())
    everyone = [(names[cid], paise) for cid, paise in dues.items() if paise > 0]
    expected = sorted(everyone, key=lambda r: (-r[1], r[0].lower(), r[0]))[:TOP_N]
    assert top_debtors(conn, dues) == expected
