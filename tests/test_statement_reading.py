"""Reading statements as banks print them: dates (day first, two-digit years, month names),
amounts (Indian grouping, Cr/Dr, spreadsheet numbers), header rows and `--columns`."""

from __future__ import annotations

from datetime import datetime

import pytest

from kirana import dates
from kirana.errors import InputError
from kirana.io import bank_profiles
from kirana.io.bank_import import paise_of


@pytest.mark.parametrize(
    ("cell", "occurred_at"),
    [
        ("02/03/25", "2025-03-02"),
        ("02-03-2025", "2025-03-02"),
        ("02.03.2025", "2025-03-02"),
        ("05 Mar 2025", "2025-03-05"),
        ("05-Mar-25", "2025-03-05"),
        ("5 March 2025", "2025-03-05"),
        ("2025-03-05", "2025-03-05"),
        ("05/03/2025 10:23:45", "2025-03-05T10:23:45+05:30"),
        ("05-03-2025 10:23 PM", "2025-03-05T22:23:00+05:30"),
        (datetime(2025, 3, 5), "2025-03-05"),
        (datetime(2025, 3, 5, 9, 30), "2025-03-05T09:30:00+05:30"),
    ],
)
def test_statement_dates_are_read_day_first(cell, occurred_at):
    assert dates.parse_statement_date(cell) == occurred_at


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/25", "date '31/02/25' is not a real date (February 2025 has 28 days)"),
        (
            "05/13/2025",
            "date '05/13/2025' is not a real date (there is no month 13; months are 1 to 12)",
        ),
        ("05/03/26", "2026-03-05 is in the future"),
    ],
)
def test_impossible_and_future_statement_dates_are_refused(cell, message):
    with pytest.raises(InputError) as raised:
        dates.parse_statement_date(cell)
    assert message in str(raised.value)


@pytest.mark.parametrize("cell", ["STATEMENT SUMMARY :-", "1,23,456.00", "Opening Balance", ""])
def test_rows_without_a_date_are_not_transactions(cell):
    assert not dates.looks_like_date(cell)


@pytest.mark.parametrize(
    ("cell", "paise"),
    [
        ("1,25,000.00", 12500000),
        ("125,000.00", 12500000),
        ("₹ 500", 50000),
        ("500.00 Cr", 50000),
        ("-", None),
        ("", None),
        ("0.00", None),
        (1250.5, 125050),
        (700, 70000),
        (None, None),
    ],
)
def test_statement_amounts(cell, paise):
    assert paise_of(cell, "credit amount") == paise


@pytest.mark.parametrize(("cell", "paise"), [("-500.00", -50000), ("(1,250.00)", -125000),
                                             (-12.5, -1250), ("300", 30000)])  # fmt: skip
def test_one_signed_amount_column(cell, paise):
    assert paise_of(cell, "amount", signed=True) == paise


def test_a_spreadsheet_amount_with_fractions_of_a_paisa_is_refused():
    with pytest.raises(InputError, match="is not an amount in rupees and paise"):
        paise_of(10.005, "credit amount")


def test_the_header_row_is_found_under_a_preamble():
    rows = [
        (1, ["HDFC BANK Ltd."]),
        (2, ["Date", "Narration", "Chq./Ref.No.", "Value Dt", "Withdrawal Amt.", "Deposit Amt."]),
    ]
    at, profile, columns = bank_profiles.detect(rows, None)
    assert (at, profile.name) == (1, "hdfc")
    assert columns == {"date": 0, "narration": 1, "ref": 2, "debit": 4, "credit": 5}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (None, "--profile generic needs --columns"),
        ("date=Dt,narration", "--columns part 'narration' is not ROLE=HEADER"),
        ("date=Dt,money=Cr", "--columns role 'money' is unknown"),
        ("narration=Remarks,credit=Cr", "--columns must name date=…"),
    ],
)
def test_generic_columns_are_checked(spec, message):
    with pytest.raises(InputError, match=message):
        bank_profiles.profile_named("generic", spec)
