"""GST arithmetic (kirana.reports.tax): the SPEC §4 examples, rounding modes, and invariants."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana.catalog import GST_RATES
from kirana.reports import tax


def test_ten_rupees_at_five_percent():
    split = tax.split_inclusive(1000, "5")
    assert (split.cgst_paise, split.sgst_paise, split.taxable_paise) == (24, 24, 952)


def test_118_rupees_at_eighteen_percent():
    split = tax.split_inclusive(11800, "18")
    assert split.taxable_paise == 10000
    assert split.tax_paise == 1800
    assert split.cgst_paise == split.sgst_paise == 900


def test_zero_rate_has_no_tax():
    assert tax.split_inclusive(12345, "0") == tax.TaxSplit(12345, 0, 0)


@pytest.mark.parametrize(
    ("total", "rate", "half"),
    [
        (2100, "5", 50),  # 2100 × 2.5 / 105 = 50 exactly
        (21, "5", 1),  # 0.5 paise rounds half up
        (1, "28", 0),  # 0.21875 rounds down
        (100, "0.25", 0),  # 0.1247 rounds down
        (40100, "0.25", 50),  # 49.9999… stays below the half: 50
        (3, "40", 0),  # 0.4285 rounds down
    ],
)
def test_each_head_rounds_half_up(total, rate, half):
    assert tax.half_tax_inclusive(total, rate) == half


def test_exact_half_rounds_up_not_to_even():
    # 42 × 2.5 / 105 = 1.0 ; 63 × 2.5 / 105 = 1.5 → 2 (banker's rounding would also give 2),
    # 105 × 2.5 / 105 = 2.5 → 3 (banker's rounding would give 2)
    assert tax.half_tax_inclusive(105, "5") == 3


def test_rupee_rounding_of_payable_tax_s170():
    assert tax.round_to_rupee(1249) == 1200
    assert tax.round_to_rupee(1250) == 1300
    assert tax.round_to_rupee(1299) == 1300
    assert tax.round_to_rupee(0) == 0
    assert tax.round_to_rupee(-1250) == -1300


def test_composition_tax_is_one_percent_split_in_two():
    split = tax.tax_on_turnover(9_50_000)  # ₹9,500.00
    assert (split.cgst_paise, split.sgst_paise) == (4750, 4750)
    assert split.taxable_paise == 9_50_000
    odd = tax.tax_on_turnover(101)  # 0.505 paise each → 1
    assert odd.cgst_paise == odd.sgst_paise == 1


def test_limits_and_near_limit():
    assert tax.REGISTRATION_LIMIT_PAISE == 40_00_000_00
    assert tax.COMPOSITION_LIMIT_PAISE == 1_50_00_000_00
    assert tax.near_limit(32_00_000_00, tax.REGISTRATION_LIMIT_PAISE)
    assert not tax.near_limit(31_99_999_99, tax.REGISTRATION_LIMIT_PAISE)


@given(
    total=st.integers(min_value=0, max_value=10**12),
    rate=st.sampled_from(GST_RATES),
)
def test_every_line_sums_exactly(total, rate):
    split = tax.split_inclusive(total, rate)
    assert split.taxable_paise + split.cgst_paise + split.sgst_paise == total
    assert split.cgst_paise == split.sgst_paise >= 0
    assert split.taxable_paise >= 0
    # each head is the exact value rounded half up: within half a paisa of it
    exact = Decimal(total) * Decimal(rate) / 2 / (100 + Decimal(rate))
    assert abs(Decimal(split.cgst_paise) - exact) <= Decimal("0.5")


@given(numerator=st.integers(-(10**15), 10**15), denominator=st.integers(1, 10**6))
def test_divide_half_up_matches_decimal(numerator, denominator):
    from kirana.money import round_half_up

    expected = round_half_up(Decimal(numerator) / Decimal(denominator))
    assert tax.divide_half_up(numerator, denominator) == expected
