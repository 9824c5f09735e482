"""UPI ids (VPAs) are checked for shape once, in rules/identifiers.py."""

from __future__ import annotations

import pytest

from kirana.errors import InputError
from kirana.rules.identifiers import check_upi_id


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("9876543210@YBL", "9876543210@ybl"),
        (" sharma.store@okhdfcbank ", "sharma.store@okhdfcbank"),
        ("priya_m-1@paytm", "priya_m-1@paytm"),
    ],
)
def test_a_upi_id_is_kept_lower_cased(typed, kept):
    assert check_upi_id(typed) == kept


@pytest.mark.parametrize("typed", ["abc", "a@b", "@ybl", "x y@ybl", "ab@1bank", "ab@@ybl", ""])
def test_a_malformed_upi_id_is_refused_saying_what_one_looks_like(typed):
    with pytest.raises(InputError, match=r"is not like name@bank \(e\.g\. 9876543210@ybl"):
        check_upi_id(typed)
