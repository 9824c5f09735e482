"""The shortcuts `dues --aging` and `remind` take at a million events (issue 14) give what the
plain paths give: the aging of now (each debtor's buckets and credits gathered as the
aging_runs query reads them) equals the one-pass aging of every entry known; a table row with
nothing hidden in it is drawn as the cell-by-cell check would draw it; `render.lines` writes
what one `visible` line after another writes."""

from __future__ import annotations

import io
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import khata_histories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from khata_histories import NAMES

from kirana import aging, recording
from kirana.cli import render
from kirana.ledger import open_ledger
from kirana.reports.fixed_width import Column, _shown_row, write_table
from kirana.safe_text import visible

START = date(2024, 1, 1)
operation = khata_histories.operations(max_day=400)
# text a shopkeeper types, and what must be made visible (controls, bidi, a line break)
cell_text = st.text(
    st.sampled_from(list("ab Z09₹,.-–") + ["\x1b", "\u202e", "\n", "\t", "ि", "界"]), max_size=12
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=40), later=st.integers(0, 500))
def test_aging_now_equals_the_one_pass_aging_of_every_entry(ops, later):
    on = START + timedelta(days=later)
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        live: list[int] = []
        merged: set[str] = set()
        for op in ops:
            khata_histories.apply(ledger, op, live, merged, START)
        head = ledger.head()["seq"]
        now = aging.aging(ledger.conn, today=on)
        assert now == aging.aging(ledger.conn, known_seq=head, today=on)
        _, unordered = aging.aging(ledger.conn, today=on, by_name=False)
        assert sorted(unordered, key=lambda r: (r.name.lower(), r.customer_id)) == now[1]


@given(st.lists(st.one_of(cell_text, st.integers(-999, 999)), min_size=1, max_size=7))
def test_a_row_is_shown_as_each_of_its_cells_would_be(row):
    assert list(_shown_row(row)) == [visible(str(cell)) for cell in row]


@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), max_size=30),
    width=st.integers(20, 90),
)
def test_a_table_of_any_text_is_drawn_as_cell_by_cell(rows, width):
    columns = [Column("Name", flex=True), Column("Day", keep=True), Column("Dues", right=True)]
    fast, plain = io.StringIO(), io.StringIO()
    write_table(fast, columns, rows, width=width, title="T", footer=[["Owed", "", "₹1.00"]])
    shown = [[visible(cell) for cell in row] for row in rows]  # nothing left to make visible
    write_table(plain, columns, shown, width=width, title="T", footer=[["Owed", "", "₹1.00"]])
    assert fast.getvalue() == plain.getvalue()


@given(texts=st.lists(cell_text, max_size=40), batch=st.integers(1, 8))
def test_lines_writes_each_line_made_visible(texts, batch):
    out = io.StringIO()
    saved, sys.stdout = sys.stdout, out
    try:
        render.lines(iter(texts), batch=batch)
    finally:
        sys.stdout = saved
    assert out.getvalue() == "".join(f"{visible(text)}\n" for text in texts)
