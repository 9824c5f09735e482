"""The aging_runs read model (issue 14): every live credit of each customer (merged ones counted as
the one who stays) with the running total of their credits in business order, kept in the
append's transaction. For random histories (back-dated sales, payments, returns, openings, voids
of either, merges), through the commands and through the CSV import's batches, it equals what a
full replay gives, `dues --aging` from it equals the FIFO replay of every entry, rebuild fills
it the same, verify catches a wrong row and the migration fills it on an older ledger."""

from __future__ import annotations

import sqlite3
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path

import khata_histories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from khata_histories import NAMES, amounts

from kirana import aging, dates, recording, replay
from kirana.ledger import open_ledger
from kirana.rebuild import rebuild
from kirana.verify import verify

START = date(2024, 1, 1)
ADVICE = "keep the file as evidence (kirana backup COPY.db), then run kirana rebuild"
HEADER = "date,type,customer,amount,method,items,reference,note,key"
days = st.integers(min_value=0, max_value=400)
operation = khata_histories.operations(max_day=400)


def _day(offset: int) -> str:
    return khata_histories.day(START, offset)


def _apply(ledger, op, live: list[int], merged: set[str]) -> None:
    khata_histories.apply(ledger, op, live, merged, START)


def replayed_runs(events) -> list[tuple]:
    """aging_runs as a full replay gives it: (customer, order key, seq, paise, running total)."""
    state = replay.fold(events)
    key_of = {e.seq: dates.order_key(e.occurred_at) for e in events}
    credits: dict[int, list] = defaultdict(list)
    for seq, (customer_id, delta) in state.counted.items():
        if delta > 0:
            credits[state.final_id(customer_id)].append((key_of[seq], seq, delta))
    rows = []
    for customer_id, mine in credits.items():
        total = 0
        for key, seq, paise in sorted(mine):
            total += paise
            rows.append((customer_id, key, seq, paise, total))
    return sorted(rows)


def fifo_now(events) -> dict[int, tuple[int, list]]:
    """Every live entry of each customer replayed FIFO: customer -> (dues, unpaid credits)."""
    state = replay.fold(events)
    key_of = {e.seq: dates.order_key(e.occurred_at) for e in events}
    deltas: dict[int, list] = defaultdict(list)
    for seq, (customer_id, delta) in state.counted.items():
        deltas[state.final_id(customer_id)].append((key_of[seq], seq, delta))
    result = {}
    for customer_id, rows in deltas.items():
        rows.sort()
        credits, _ = aging.settle_fifo([(key, delta) for key, _, delta in rows])
        dues = sum(delta for _, _, delta in rows)
        if dues:
            result[customer_id] = (dues, credits)
    return result


def stored_runs(conn) -> list[tuple]:
    return sorted(conn.execute("SELECT * FROM aging_runs"))


def assert_matches_replay(ledger) -> None:
    events = list(ledger.iter_events())
    assert stored_runs(ledger.conn) == replayed_runs(events)
    _, rows = aging.aging(ledger.conn)
    assert {r.customer_id: (r.dues_paise, r.open_credits) for r in rows} == fifo_now(events)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=40))
def test_aging_runs_equal_the_replay_after_every_kind_of_entry(ops):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        live: list[int] = []
        merged: set[str] = set()
        for op in ops:
            _apply(ledger, op, live, merged)
            assert stored_runs(ledger.conn) == replayed_runs(list(ledger.iter_events()))
        assert_matches_replay(ledger)
        assert verify(ledger).ok
        appended = stored_runs(ledger.conn)
        rebuild(ledger)  # filled in one statement: the same rows
        assert stored_runs(ledger.conn) == appended


@settings(max_examples=15, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(NAMES), st.sampled_from(["credit", "pay"]), amounts, days),
        min_size=1,
        max_size=30,
    ),
    then=st.lists(st.tuples(st.sampled_from(NAMES), amounts, days), max_size=5),
)
def test_aging_runs_after_a_csv_import_in_any_date_order(rows, then):
    """The import writes its rows in batches: back-dated credits inside a batch and after it."""
    from kirana.io.csv_import import import_csv

    lines = []
    for name, kind, paise, day in rows:
        amount = f"{paise // 100}.{paise % 100:02d}"
        if kind == "credit":
            lines.append(f"{_day(day)},sale,{name},{amount},credit,,,,")
        else:
            lines.append(f"{_day(day)},payment,{name},{amount},cash,,,,")
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        half = len(lines) // 2
        for part, chunk in enumerate((lines[:half], lines[half:])):  # the second: back-dated too
            if chunk:
                source = Path(folder) / f"in{part}.csv"
                source.write_text("\n".join([HEADER, *chunk]) + "\n", encoding="utf-8")
                import_csv(ledger, source)
        for name, paise, day in then:  # commands after the import, some dated before it
            recording.record_sale(
                ledger, name, method="credit", occurred_at=_day(day), amount_paise=paise
            )
        assert_matches_replay(ledger)
        assert verify(ledger).ok


def test_verify_finds_a_wrong_aging_runs_row_and_rebuild_mends_it(ledger):
    recording.add_customer(ledger, "Priya")
    for day, paise in (("2025-01-05", 500), ("2025-01-01", 700), ("2025-02-01", 300)):
        recording.record_sale(ledger, "Priya", method="credit", occurred_at=day, amount_paise=paise)
    recording.record_payment(ledger, "Priya", 900, occurred_at="2025-02-02")
    assert [row[3:] for row in stored_runs(ledger.conn)] == [(700, 700), (500, 1200), (300, 1500)]
    assert verify(ledger).ok
    with ledger.write():
        ledger.conn.execute("UPDATE aging_runs SET cum_paise = 1 WHERE paise = 500")
    messages = [p.message for p in verify(ledger).problems]
    assert messages == [f"aging_runs read model differs from replay; {ADVICE}"]
    rebuild(ledger)
    assert verify(ledger).ok
    _, (row,) = aging.aging(ledger.conn, today=date(2025, 2, 10))
    assert row.open_credits == [(date(2025, 1, 5), 300), (date(2025, 2, 1), 300)]


def test_the_migration_fills_aging_runs_from_an_older_ledger(tmp_path):
    path = tmp_path / "old.db"
    with open_ledger(path) as ledger:
        for name in ("Priya", "Amit"):
            recording.add_customer(ledger, name)
        for who, day, paise in (
            ("Priya", "2024-05-01", 900),
            ("Amit", "2024-03-01", 400),
            ("Priya", "2024-02-01", 300),
        ):
            recording.record_sale(ledger, who, method="credit", occurred_at=day, amount_paise=paise)
        recording.record_void(ledger, 3, "typo")  # Priya's 2024-05-01 sale
        recording.merge_customers(ledger, "Amit", "Priya", "same person")
        expected = replayed_runs(list(ledger.iter_events()))
    conn = sqlite3.connect(path)  # as a ledger from before the read model was added
    conn.execute("DROP TABLE aging_runs")
    conn.execute("DELETE FROM _migrations WHERE name = '013_aging_runs'")
    conn.commit()
    conn.close()
    with open_ledger(path) as ledger:
        assert stored_runs(ledger.conn) == expected
        assert [row[3:] for row in expected] == [(300, 300), (400, 700)]  # both Priya's now
        assert verify(ledger).ok


def test_an_import_of_many_back_dated_credits_recomputes_the_customer(tmp_path):
    """More than REFILL_AFTER back-dated credits of one customer in one batch: recomputed whole."""
    from kirana.aging_runs import REFILL_AFTER
    from kirana.io.csv_import import import_csv

    count = REFILL_AFTER + 5
    with open_ledger(tmp_path / "k.db") as ledger:
        recording.add_customer(ledger, "Priya")
        recording.add_customer(ledger, "Amit")
        for part, (first, step) in enumerate(((200, 1), (10, 7))):  # the second dated before
            lines = [HEADER]
            for n in range(count):
                lines.append(f"{_day(first + n * step)},sale,Priya,{n + 1}.00,credit,,,,")
                lines.append(f"{_day(first + n)},payment,Priya,0.50,cash,,,,")
            lines.append(f"{_day(5 + part)},sale,Amit,3.00,credit,,,,")  # one back-dated
            source = tmp_path / f"in{part}.csv"
            source.write_text("\n".join(lines) + "\n", encoding="utf-8")
            import_csv(ledger, source)
        assert len(stored_runs(ledger.conn)) == 2 * count + 2
        assert_matches_replay(ledger)
        assert verify(ledger).ok
