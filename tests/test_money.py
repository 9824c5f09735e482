"""Money: integer paise in, Indian grouping out, no floats."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana.errors import InputError
from kirana.money import (
    MAX_PAISE,
    format_rupees,
    group_indian,
    parse_amount,
    rupees_in_words,
    rupees_str,
)


@pytest.mark.parametrize(
    ("text", "paise"),
    [
        ("250", 25000),
        ("250.5", 25050),
        ("250.50", 25050),
        ("₹1,250", 125000),
        ("1,25,000.00", 12500000),
        ("125,000", 12500000),
        ("Rs. 40", 4000),
        ("0.01", 1),
        (" 99 ", 9900),
    ],
)
def test_parse_amount_accepts_what_shopkeepers_type(text, paise):
    assert parse_amount(text) == paise


@pytest.mark.parametrize(
    "text",
    ["0", "0.00", "-5", "1.234", "abc", "nan", "inf", "", "1,2,3", "12,34", "1e3", "₹", "1.2.3"],
)
def test_parse_amount_rejects_bad_amounts(text):
    with pytest.raises(InputError):
        parse_amount(text)


def test_parse_amount_rejects_floats_from_code():
    with pytest.raises(InputError):
        parse_amount(250.5)


@pytest.mark.parametrize(
    ("paise", "shown"),
    [
        (0, "₹0.00"),
        (5, "₹0.05"),
        (12345600, "₹1,23,456.00"),
        (100000000, "₹10,00,000.00"),
        (-37000, "-₹370.00"),
        (99999, "₹999.99"),
    ],
)
def test_format_rupees_uses_indian_grouping(paise, shown):
    assert format_rupees(paise) == shown


def test_format_rupees_refuses_float():
    with pytest.raises(TypeError):
        format_rupees(1.5)


def test_group_indian():
    assert group_indian("1234567890") == "1,23,45,67,890"


@given(st.integers(min_value=-(10**15), max_value=10**15), st.booleans())
def test_format_rupees_groups_every_amount_as_group_indian_does(paise, symbol):
    """Below a lakh of rupees format_rupees groups by thousands (the same digits and commas);
    from a lakh on, in pairs: every amount reads as group_indian writes its rupees."""
    rupees, rest = divmod(abs(paise), 100)
    sign = "-" if paise < 0 else ""
    expected = f"{sign}{'₹' if symbol else ''}{group_indian(str(rupees))}.{rest:02d}"
    assert format_rupees(paise, symbol=symbol) == expected
    assert format_rupees(9_999_999) == "₹99,999.99"
    assert format_rupees(10_000_000) == "₹1,00,000.00"


def test_format_rupees_refuses_bool():
    with pytest.raises(TypeError):
        format_rupees(True)


@given(st.integers(min_value=1, max_value=MAX_PAISE))
def test_format_then_parse_round_trips(paise):
    assert parse_amount(format_rupees(paise)) == paise
    assert parse_amount(rupees_str(paise)) == paise


def test_dues_in_words_beyond_a_thousand_crore_count_the_crores():
    # num2words' Indian English stops below 1,000 crore; a khata's dues can pass it
    assert rupees_in_words(10**12) == "Rupees One Thousand Crore Only"
    assert rupees_in_words(10**12 + 505) == ("Rupees One Thousand Crore Five and Five Paise Only")
    assert rupees_in_words(-(10**13)) == "Minus Rupees Ten Thousand Crore Only"
    assert rupees_in_words(10**12 - 1).startswith("Rupees Nine Hundred and Ninety-Nine Crore")
