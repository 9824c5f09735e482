"""Views that do not grow with the ledger (issue 14): the year_dues read model (dues as of any
moment = the years before it + at most a year of entries), the month report's opening and
closing dues from it, and aging walked back from the newest credit. Each gives exactly what a
full replay (and the FIFO replay of every entry) gives, for random histories over several
years with back-dated entries, voids and merges; verify checks the read model and rebuild
restores it."""

from __future__ import annotations

import sqlite3
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import khata_histories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from khata_histories import NAMES

from kirana import aging, dates, queries, recording, replay
from kirana.ledger import open_ledger
from kirana.read_model_tables import READ_MODEL_TABLES
from kirana.rebuild import rebuild
from kirana.reports.month import dues_at
from kirana.verify import verify

START = date(2023, 11, 1)
days = st.integers(min_value=0, max_value=900)  # into 2026: three year boundaries
operation = khata_histories.operations(max_day=900)


def _day(offset: int) -> str:
    return khata_histories.day(START, offset)


def _apply(ledger, op, live: list[int], merged: set[str]) -> None:
    khata_histories.apply(ledger, op, live, merged, START)


def _replayed_years(events) -> dict[tuple[int, int], int]:
    """year_dues as a full replay gives it: live entries' dues moves by customer and year."""
    state = replay.fold(events)
    key_of = {e.seq: dates.order_key(e.occurred_at) for e in events}
    years: dict[tuple[int, int], int] = defaultdict(int)
    for seq, (customer_id, delta) in state.counted.items():
        years[(customer_id, int(key_of[seq][:4]))] += delta
    return {k: v for k, v in years.items() if v}


def _fifo_reference(events, as_of: str | None) -> dict[int, tuple[int, list]]:
    """The old aging: every live entry of each customer (merged ones counted as INTO), in
    business order, replayed FIFO. customer id -> (dues, unpaid credits)."""
    state = replay.fold(events)
    key_of = {e.seq: dates.order_key(e.occurred_at) for e in events}
    deltas: dict[int, list] = defaultdict(list)
    for seq, (customer_id, delta) in sorted(state.counted.items()):
        if as_of is None or key_of[seq] <= as_of:
            deltas[state.final_id(customer_id)].append((key_of[seq], seq, delta))
    result = {}
    for customer_id, rows in deltas.items():
        rows.sort()
        credits, _ = aging.settle_fifo([(key, delta) for key, _, delta in rows])
        dues = sum(delta for _, _, delta in rows)
        if dues:
            result[customer_id] = (dues, credits)
    return result


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(operation, min_size=1, max_size=40),
    probes=st.lists(days, min_size=1, max_size=4),
)
def test_year_dues_month_dues_and_aging_equal_the_replay(ops, probes):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        live: list[int] = []
        merged: set[str] = set()
        for op in ops:
            _apply(ledger, op, live, merged)
        conn = ledger.conn
        events = list(ledger.iter_events())
        stored = {
            (c, y): m
            for c, y, m in conn.execute("SELECT customer_id, year, moved_paise FROM year_dues")
            if m
        }
        assert stored == _replayed_years(events)
        for offset in probes:
            bound = dates.as_of_bound_for_day(START + timedelta(days=offset))
            state = replay.fold(events, as_of=bound)
            by_final: dict[int, int] = defaultdict(int)
            for customer_id, paise in state.balances.items():
                by_final[state.final_id(customer_id)] += paise
            names = dict(conn.execute("SELECT id, name FROM customers"))
            listed = dict(queries.all_balances(conn, as_of=bound))
            assert listed == {names[c]: paise for c, paise in by_final.items()}
            opening, closing = dues_at(conn, dates.as_of_bound_for_day(START), bound)
            assert dict(closing) | {n: 0 for n in listed if n not in dict(closing)} == listed
            assert opening == sum(replay.fold(events, as_of=_day(0) + "T24").balances.values())
            _same_aging(conn, events, bound)
        _same_aging(conn, events, None)
        assert verify(ledger).ok
        appended = _tables(conn)
        rebuild(ledger)  # batched: the same tables as every append's `apply` left them
        assert _tables(conn) == appended
        assert {
            (c, y): m
            for c, y, m in conn.execute("SELECT customer_id, year, moved_paise FROM year_dues")
            if m
        } == stored


def _tables(conn) -> dict[str, list]:
    return {t: sorted(conn.execute(f"SELECT * FROM {t}")) for t in READ_MODEL_TABLES}


def _same_aging(conn, events, bound: str | None) -> None:
    _, rows = aging.aging(conn, bound)
    expected = _fifo_reference(events, bound)
    assert {row.customer_id: (row.dues_paise, row.open_credits) for row in rows} == expected


def test_verify_finds_a_wrong_year_dues_and_rebuild_mends_it(ledger):
    recording.add_customer(ledger, "Priya")
    recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2024-12-31", amount_paise=500
    )
    recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2025-01-01", amount_paise=700
    )
    assert verify(ledger).ok
    with ledger.write():
        ledger.conn.execute("UPDATE year_dues SET moved_paise = 1 WHERE year = 2024")
    messages = [p.message for p in verify(ledger).problems]
    advice = "keep the file as evidence (kirana backup COPY.db), then run kirana rebuild"
    assert messages == [f"year_dues read model differs from replay; {advice}"]
    rebuild(ledger)
    assert verify(ledger).ok
    assert set(ledger.conn.execute("SELECT year, moved_paise FROM year_dues")) == {
        (2024, 500),
        (2025, 700),
    }


def test_the_migration_fills_year_dues_from_an_older_ledger(tmp_path):
    path = tmp_path / "old.db"
    with open_ledger(path) as ledger:
        recording.add_customer(ledger, "Priya")
        for day, paise in (("2023-05-01", 900), ("2024-02-01", 300), ("2024-03-01", -200)):
            if paise > 0:
                recording.record_sale(
                    ledger, "Priya", method="credit", occurred_at=day, amount_paise=paise
                )
            else:
                recording.record_payment(ledger, "Priya", -paise, occurred_at=day)
        recording.record_void(ledger, 2, "typo")
    conn = sqlite3.connect(path)  # as a ledger from before the read model was added
    conn.execute("DROP TABLE year_dues")
    conn.execute("DELETE FROM _migrations WHERE name = '012_view_models'")
    conn.commit()
    conn.close()
    with open_ledger(path) as ledger:
        rows = set(ledger.conn.execute("SELECT year, moved_paise FROM year_dues"))
        assert rows == {(2024, 100)}  # the 2023 sale is voided
        assert verify(ledger).ok
