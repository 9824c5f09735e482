"""Narrations: every pattern of the one table reads back what it writes (a property), and the
banks' real forms give the UTR, the payer's name and UPI id, and the note."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana.io import narration
from kirana.io.narration import PATTERNS, Transfer, format_narration, parse

WORD = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10)
NAMES = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
NOTES = st.none() | st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8), min_size=1,
    max_size=4,
).map(" ".join)  # fmt: skip
VPAS = st.builds(
    lambda local, handle: f"{local}@{handle}",
    st.from_regex(r"[a-z0-9][a-z0-9.]{1,15}", fullmatch=True),
    st.from_regex(r"[a-z]{2,10}", fullmatch=True),
)
UTRS = st.from_regex(r"[0-9]{12}", fullmatch=True) | st.from_regex(
    r"[A-Z]{4}[0-9]{8,18}", fullmatch=True
)


@st.composite
def transfers(draw):
    pattern = draw(st.sampled_from(PATTERNS))
    fields = pattern.fields
    transfer = Transfer(
        pattern.kind,
        draw(UTRS),
        draw(NAMES) if "name" in fields else None,
        draw(VPAS) if "vpa" in fields else None,
        draw(NOTES) if "note" in fields else None,
    )
    return pattern.name, transfer


@given(transfers())
def test_every_pattern_reads_back_what_it_writes(case):
    name, transfer = case
    assert parse(format_narration(name, transfer)) == transfer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "UPI-PRIYA SHARMA-priya.s@okaxis-UTIB0000553-506012345671-Payment from Ph",
            Transfer("upi", "506012345671", "PRIYA SHARMA", "priya.s@okaxis", "Payment from Ph"),
        ),
        (
            "NEFT CR-SBIN0001234-SUNITA DEVI-MONTHLY KHATA-SBIN525062345678",
            Transfer("neft", "SBIN525062345678", "SUNITA DEVI", None, "MONTHLY KHATA"),
        ),
        (
            "BY TRANSFER-UPI/CR/506012345671/PRIYA SHARMA/UTIB/Priya.S@OkAxis/Payment",
            Transfer("upi", "506012345671", "PRIYA SHARMA", "priya.s@okaxis", "Payment"),
        ),
        (
            "UPI/506012345671/Payment from Ph/priya.s@okaxis/Axis Bank/AXI1a2b3c",
            Transfer("upi", "506012345671", None, "priya.s@okaxis", "Payment from Ph"),
        ),
        (
            "UPI/P2A/506012345671/PRIYA SHARMA/Axis Bank/milk",
            Transfer("upi", "506012345671", "PRIYA SHARMA", None, "milk"),
        ),
        (
            "UPI/PRIYA SHARMA/506012345671/Payment from Ph",
            Transfer("upi", "506012345671", "PRIYA SHARMA", None, "Payment from Ph"),
        ),
        (
            "IMPS-506012345671-RAVI VERMA-SBIN-XXXXXXXX1234-rent",
            Transfer("imps", "506012345671", "RAVI VERMA", None, "rent"),
        ),
        # no pattern: the kind from the first word, a UPI id and an RRN where they are
        (
            "UPI CREDIT 506012345671 FROM ravi.v@oksbi",
            Transfer("upi", "506012345671", None, "ravi.v@oksbi"),
        ),
    ],
)
def test_the_banks_narrations(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["POS 416021XXXXXX1234 METRO CASH N CARRY", "INTEREST PAID TILL 31-AUG-2025", ""]
)
def test_what_is_not_a_transfer(text):
    assert parse(text) is None


def test_the_reference_column_fills_in_a_missing_utr():
    padded = narration.with_reference(Transfer("upi", None, "X"), "0000506012345671")
    assert padded == Transfer("upi", "506012345671", "X")
    assert narration.with_reference(None, "UPI-506012345671") == Transfer("upi", "506012345671")
    assert narration.with_reference(None, "TRANSFER FROM 98765432101") is None
    assert narration.with_reference(None, "000000000000000") is None
