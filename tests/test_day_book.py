"""`kirana report day [DATE]`: the day book (cash, UPI and card in and out, credit given,
every entry of the day), in every format and as known at a moment."""

from __future__ import annotations

import csv
import io
import re

import pytest


@pytest.fixture
def day(kirana, clock):
    clock("2025-03-10T09:00:00")
    for args in (
        ("customer", "add", "Priya Madam"),
        ("customer", "add", "Ramesh"),
        ("sale", "--amount", "120", "--cash"),  # 3
        ("sale", "--amount", "80", "--upi", "--ref", "UTR77"),  # 4
        ("sale", "Priya", "--amount", "500", "--credit"),  # 5
        ("pay", "Ramesh", "300"),  # 6 cash received against dues
        ("pay", "Priya", "200", "--upi", "--ref", "UTR78"),  # 7
        ("pay", "Priya", "50", "--card", "--ref", "CARD1"),  # 8
        ("return", "--amount", "20", "--to", "cash"),  # 9
        ("return", "Priya", "--amount", "30", "--to", "khata"),  # 10
        ("sale", "--amount", "999", "--cash"),  # 11, voided below
        ("sale", "--amount", "70", "--cash", "--on", "2025-03-09 18:00"),  # 12, the day before
    ):
        result = kirana(*args)
        assert result.exit_code == 0, result.stderr
    clock("2025-03-10T20:00:00")
    assert kirana("void", "11", "--reason", "typed 999 for 99").exit_code == 0  # 13
    return kirana


def test_the_day_book_adds_up_each_way_money_moves(day):
    book = day("report", "day", "2025-03-10", "--format", "json").json()
    assert book["report"] == "day" and book["day"] == "2025-03-10"
    assert book["cash_paise"] == 12000 + 30000 - 2000 == 40000
    assert (book["upi_paise"], book["card_paise"]) == (28000, 5000)
    cash = book["money"][0]
    assert (cash["method"], cash["sales_paise"], cash["received_paise"], cash["refunds_paise"]) == (
        "cash",
        12000,
        30000,
        2000,
    )
    assert [m["method"] for m in book["money"]] == ["cash", "upi", "card"]
    assert book["credit"]["credit_sales_paise"] == 50000
    assert book["credit"]["khata_returns_paise"] == 3000
    seqs = [e["seq"] for e in book["entries"]]
    assert seqs == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]  # 12 is the day before's
    voided = {e["seq"]: e["voided_by"] for e in book["entries"]}
    assert voided[11] == 13 and voided[3] is None


def test_the_day_defaults_to_today_and_takes_any_date_spelling(day):
    today = day("report", "day", "--format", "json").json()
    assert today["day"] == "2025-03-10" and today["cash_paise"] == 40000
    before = day("report", "day", "09-03-2025", "--format", "json").json()
    assert before["cash_paise"] == 7000 and [e["seq"] for e in before["entries"]] == [12]


def test_as_known_at_is_the_day_book_printed_at_that_moment(day):
    # at 19:00 the 999 sale was not yet voided: it counted then
    then = day("report", "day", "2025-03-10", "--as-known-at", "2025-03-10 19:00", "-f", "json")
    book = then.json()
    assert book["cash_paise"] == 40000 + 99900
    assert book["head"]["seq"] == 12 and book["as_known_at"] is not None
    assert 13 not in [e["seq"] for e in book["entries"]]
    morning = day("report", "day", "--as-known-at", "2025-03-09", "-f", "json").json()
    assert morning["entries"] == [] and morning["cash_paise"] == 0


def test_the_table_shows_the_nets_and_the_voided_entry(day):
    table = day("report", "day", "2025-03-10").stdout
    assert "Day book: 2025-03-10" in table
    assert "Net cash ₹400.00: what the cash drawer should have gained that day." in table
    assert re.search(r"Cash sale INV/2024-25/\d{4} \[VOIDED by #13\]", table)
    assert "Credit given (credit sales)" in table


def test_every_format_of_the_report_renderer(day, tmp_path):
    rows = list(csv.reader(io.StringIO(day("report", "day", "-f", "csv").stdout)))
    assert ["Cash", "120.00", "300.00", "20.00", "400.00"] in rows
    md = day("report", "day", "-f", "md").stdout
    assert "| Cash | ₹120.00 | ₹300.00 | ₹20.00 | ₹400.00 |" in md
    html = day("report", "day", "-f", "html").stdout
    assert "<html" in html.lower() and "₹400.00" in html
    out = tmp_path / "day.xlsx"
    assert day("report", "day", "--out", out).exit_code == 0
    from openpyxl import load_workbook

    values = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert "Money in and out" in values


def test_a_bad_date_or_format_is_one_error_line(day):
    bad = day("report", "day", "31-02-2025")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: ")
    assert "\n" not in bad.stderr.rstrip("\n")
    fmt = day("report", "day", "-f", "pdf")
    assert fmt.stderr == "Error: --format 'pdf' is not one of table, csv, json, md, xlsx, html\n"
