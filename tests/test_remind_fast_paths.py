"""`remind` and the long lists at a million events (issue 14) give what the plain paths give:
each debtor's oldest unpaid credit read by one seek equals what the aging of everything known
says of them, and the aging that adds up the unpaid credits without keeping them is that aging
less its credits; a long table written many rows at a time is what writing it row by row gives;
and `remind` keeps the cyclic collector off until its many small rows are written and gone."""

from __future__ import annotations

import gc
import io
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

import khata_histories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from khata_histories import NAMES

from kirana import aging, recording, reminders
from kirana.cli.main import main
from kirana.ledger import open_ledger
from kirana.reports import fixed_width
from kirana.reports.fixed_width import Column, write_table

START = date(2024, 1, 1)
operation = khata_histories.operations(max_day=400)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(operation, min_size=1, max_size=40),
    later=st.integers(0, 500),
    floor=st.sampled_from([0, 1, 50_000, 200_000]),
)
def test_each_debtors_oldest_unpaid_credit_is_what_the_aging_says(ops, later, floor):
    on = START + timedelta(days=later)
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        live: list[int] = []
        merged: set[str] = set()
        for op in ops:
            khata_histories.apply(ledger, op, live, merged, START)
        _, rows = aging.aging(ledger.conn, today=on)
        expected = {
            (r.customer_id, r.name, r.phone, r.dues_paise, r.oldest_credit, r.oldest_days)
            for r in rows
            if r.dues_paise > 0 and r.dues_paise >= floor and r.oldest_credit is not None
        }
        found = reminders.oldest_debts(ledger.conn, on, floor)
        assert {
            (d.customer_id, d.name, d.phone, d.dues_paise, d.oldest_credit, d.oldest_days)
            for d in found
        } == expected
        assert len(found) == len(expected)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=40), later=st.integers(0, 500))
def test_the_aging_without_credits_is_the_aging_less_its_credits(ops, later):
    on = START + timedelta(days=later)
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        live: list[int] = []
        merged: set[str] = set()
        for op in ops:
            khata_histories.apply(ledger, op, live, merged, START)
        _, rows = aging.aging(ledger.conn, today=on)
        _, summed = aging.aging(ledger.conn, today=on, credits=False)
        assert [r.open_credits for r in summed] == [[]] * len(summed)
        for row in rows:
            row.open_credits = []
        assert summed == rows


def test_a_debt_dated_in_the_future_is_0_days_old(ledger):
    recording.add_customer(ledger, "Asha")
    recording.record_sale(
        ledger, "Asha", method="credit", occurred_at="2025-03-20", amount_paise=5000
    )
    (debt,) = reminders.oldest_debts(ledger.conn, date(2025, 3, 10), 1)
    assert (debt.oldest_credit, debt.oldest_days) == (date(2025, 3, 20), 0)


def test_each_reminder_carries_its_dues_as_its_message_gives_them(ledger):
    from kirana.money import format_rupees

    for name, paise in (("Asha", 40000), ("Bilal", 123456789)):
        recording.add_customer(ledger, name)
        recording.record_sale(
            ledger, name, method="credit", occurred_at="2025-01-02", amount_paise=paise
        )
    _, items = reminders.reminders(ledger.conn, 30, 1)
    assert [item.amount for item in items] == ["₹400.00", "₹12,34,567.89"]
    for item in items:
        assert item.amount == format_rupees(item.aging.dues_paise)
        assert f"shows {item.amount} due" in item.message


cell_text = st.text(st.sampled_from(list("ab Z09₹,.-") + ["\x1b", "\n", "ि", "界"]), max_size=14)
plain_text = st.text(st.sampled_from(list("ab Z09,.-")), max_size=14)


@settings(max_examples=60, deadline=None)
@given(
    head=st.lists(st.lists(plain_text, min_size=3, max_size=3), min_size=1, max_size=4),
    odd=st.lists(st.tuples(st.integers(0, 1200), st.lists(cell_text, min_size=3, max_size=3))),
    copies=st.integers(1, 700),
    width=st.integers(20, 90),
)
def test_a_long_table_is_drawn_as_row_by_row(head, odd, copies, width):
    """Rows past the sample are drawn many at a time when all of them are plain text (a name
    wider than its column wrapped among them); any other row (hidden characters, wide text)
    sends its batch row by row. Either way the bytes are what drawing every row alone gives."""
    rows = [list(row) for row in head] * copies
    for at, row in odd:
        rows.insert(min(at, len(rows)), row)
    columns = [Column("Name", flex=True), Column("Day", keep=True), Column("Dues", right=True)]
    kwargs = {"width": width, "title": "T", "footer": [["Owed", "", "₹1.00"]], "notes": ["n"]}
    batched, alone = io.StringIO(), io.StringIO()
    assert write_table(batched, columns, iter(rows), **kwargs) == len(rows)
    with patch.object(fixed_width, "_plain_batch", lambda rows, template: None):
        write_table(alone, columns, iter(rows), **kwargs)
    assert batched.getvalue() == alone.getvalue()


class _Watched(io.BytesIO):
    """stdout's bytes, noting at each write whether the cyclic collector was on."""

    def __init__(self) -> None:
        super().__init__()
        self.collecting: list[bool] = []

    def write(self, data) -> int:
        self.collecting.append(gc.isenabled())
        return super().write(data)


def test_remind_writes_with_the_collector_off_and_turns_it_back_on(ledger, monkeypatch):
    for name in ("Asha", "Bilal"):
        recording.add_customer(ledger, name)
        recording.record_sale(
            ledger, name, method="credit", occurred_at="2025-01-02", amount_paise=40000
        )
    for args in (["remind"], ["remind", "--json"]):
        watched = _Watched()
        monkeypatch.setattr(
            sys, "stdout", io.TextIOWrapper(watched, encoding="utf-8", write_through=True)
        )
        assert gc.isenabled()
        assert main(args) == 0
        sys.stdout.flush()
        assert "Asha" in watched.getvalue().decode()
        assert watched.collecting and not any(watched.collecting)
        assert gc.isenabled()
