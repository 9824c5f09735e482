"""Footer labels (totals) run on over the empty cells after them instead of wrapping:
`dues --aging` on 80 columns keeps "Advances (0 customers)" and "Net (owed − advances)" whole."""

from __future__ import annotations

import io

from kirana.reports.fixed_width import Column, cell_width, write_table
from tests.conftest import run_kirana_process


def test_a_footer_label_spans_the_empty_cells_after_it():
    out = io.StringIO()
    columns = [Column("Who", flex=True), Column("Since", keep=True), Column("Dues", right=True)]
    write_table(
        out,
        columns,
        [["Priya", "2025-01-01", "₹1.00"]],
        width=30,
        footer=[["Net (owed − advances)", "", "₹1.00"], ["Owed", "", "₹1.00"]],
    )
    lines = out.getvalue().splitlines()
    assert "Net (owed − advances)    ₹1.00" in lines
    assert "Owed                     ₹1.00" in lines
    assert max(cell_width(line) for line in lines) <= 30


def test_dues_aging_footer_does_not_wrap_on_80_columns(kirana, clock):
    clock("2025-03-10T18:00")
    for args in (
        ("customer", "add", "Priya Madam"),
        ("sale", "Priya", "--amount", "320", "--credit", "--on", "2024-08-12"),
    ):
        assert kirana(*args).exit_code == 0
    shown = run_kirana_process("dues", "--aging", env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert max(cell_width(line) for line in lines) <= 80
    labels = [line.split("  ")[0] for line in lines[-4:-1]]
    assert labels == ["Owed (1 customer)", "Advances (0 customers)", "Net (owed − advances)"]
