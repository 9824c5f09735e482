"""`kirana customer list` shows each customer's GSTIN (table and JSON), in 80 columns."""

from __future__ import annotations

from rich.cells import cell_len

from tests.conftest import run_kirana_process


def test_the_gstin_is_listed_whole_and_the_table_fits_80_columns(kirana):
    for args in (
        ("customer", "add", "Priya Madam"),
        ("customer", "add", "Sharma General Stores Wholesale", "--gstin", "29AAGCB7383J1Z4",
         "--phone", "9876543211", "--limit", "150000"),
        ("sale", "Sharma", "--amount", "123456.78", "--credit"),
        ("customer", "add", "Amit"),
        ("customer", "update", "Amit", "--gstin", "27AAPFU0939F1ZV"),
        ("customer", "update", "Amit", "--name", "Amit Traders"),  # a rename keeps it
    ):  # fmt: skip
        assert kirana(*args).exit_code == 0
    listed = {
        c["customer"]: c["gstin"] for c in kirana("customer", "list", "--json").json()["customers"]
    }
    assert listed == {
        "Amit Traders": "27AAPFU0939F1ZV",
        "Priya Madam": None,
        "Sharma General Stores Wholesale": "29AAGCB7383J1Z4",
    }
    shown = run_kirana_process("customer", "list", env={"COLUMNS": "80"})
    assert shown.exit_code == 0, shown.stderr
    assert "GSTIN" in shown.stdout
    assert "27AAPFU0939F1ZV" in shown.stdout and "29AAGCB7383J1Z4" in shown.stdout
    assert "₹1,23,456.78" in shown.stdout
    assert max(cell_len(line) for line in shown.stdout.splitlines()) <= 80


def test_no_gstin_column_when_no_customer_has_one(kirana):
    assert kirana("customer", "add", "Priya Madam").exit_code == 0
    assert "GSTIN" not in kirana("customer", "list").stdout
    assert kirana("customer", "list", "--json").json()["customers"][0]["gstin"] is None
