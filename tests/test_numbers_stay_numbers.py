"""CSV and xlsx keep numbers numbers (an advance is -200.00, which a spreadsheet's SUM counts);
only text cells beginning with = + - @ tab CR are neutralised. Statement rows show a refund's
amount, the amount a customer confirmed, and notes."""

from __future__ import annotations

import csv
import io

import pytest


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def khata(kirana, clock):
    clock("2025-03-10T10:00:00")
    ok(kirana("customer", "add", "Ravi"))
    ok(kirana("opening", "Ravi", "200", "--advance", "--on", "2025-03-01"))
    ok(kirana("sale", "Ravi", "--amount", "100", "--upi", "--on", "2025-03-02", "--note", "=1+1"))
    ok(kirana("return", "Ravi", "--amount", "40", "--to", "cash", "--on", "2025-03-03"))
    ok(kirana("confirm", "Ravi", "200", "--advance", "--on", "2025-03-04"))
    return kirana


def test_export_csv_writes_negative_amounts_as_numbers(khata):
    rows = list(csv.reader(io.StringIO(ok(khata("export", "--format", "csv")).stdout)))
    opening = next(row for row in rows if row[1] == "opening")
    assert opening[3] == "-200.00"  # not '-200.00: SUM counts it
    sale = next(row for row in rows if row[1] == "sale")
    assert sale[7] == "'=1+1"  # text cells are still neutralised


def test_statement_rows_show_refund_confirmed_amount_and_note(khata):
    text = ok(khata("statement", "Ravi", "--format", "csv")).stdout
    rows = list(csv.reader(io.StringIO(text)))
    descriptions = [row[2] for row in rows]
    assert "Opening advance from paper khata" in descriptions
    assert "UPI sale INV/2024-25/0001 (paid ₹100.00 by UPI); note: =1+1" in descriptions
    assert "Return to cash CN/2024-25/0001 (refunded ₹40.00 in cash)" in descriptions
    assert "Customer confirmed an advance of ₹200.00" in descriptions
    assert rows[-1] == ["", "", "Closing dues", "", "", "-200.00"]  # a number, not '-200.00
    body = ok(khata("statement", "Ravi", "--format", "json")).json()
    refund = next(line for line in body["lines"] if line["description"].startswith("Return"))
    assert (refund["amount_paise"], refund["credit_paise"]) == (4000, 0)
    sale = next(line for line in body["lines"] if "sale" in line["description"])
    assert sale["note"] == "=1+1"


def test_xlsx_statement_keeps_negative_money_numeric(khata, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "ravi.xlsx"
    ok(khata("statement", "Ravi", "--out", str(out)))
    sheet = openpyxl.load_workbook(out).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert -200 in values  # the advance, as a number
    assert "'=1+1" not in values  # the note is inside a description, which starts with text
