"""GST arithmetic, in one place: tax inside GST-inclusive prices, composition tax, rupee rounding.

Rounding rules, written down once:
- Tax inside a GST-inclusive line total (docs/gst.md): each head is computed separately in paise and
  rounded half-up, `CGST = SGST = round(total × (rate/2) / (100 + rate))`, and
  `taxable = total − CGST − SGST`, so every line sums to its total exactly.
  (₹10 at 5 % → CGST 0.24, SGST 0.24, taxable 9.52; ₹118 at 18 % → 9.00 + 9.00 + 100.00.)
- Composition (CMP-08): 1 % of turnover, 0.5 % CGST + 0.5 % SGST, each rounded half-up.
- Tax payable is rounded to the nearest rupee (CGST Act s.170: 50 paise or more goes up); the
  exact paise are always reported beside it.
The division is done on integers (rates are exact decimals turned into fractions), so there is
no Decimal context precision to worry about; halves round away from zero, like money.round_half_up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

COMPOSITION_RATE = "1"  # per cent of turnover, split equally between CGST and SGST
COMPOSITION_LIMIT_PAISE = 1_50_00_000 * 100  # ₹1.5 crore a financial year
REGISTRATION_LIMIT_PAISE = 40_00_000 * 100  # ₹40 lakh a financial year (goods, most states)
NEAR_LIMIT = Fraction(8, 10)  # warn once a year's turnover reaches 80 % of a limit


@dataclass(frozen=True)
class TaxSplit:
    """A GST-inclusive amount split into its parts; taxable + cgst + sgst == total, always."""

    taxable_paise: int
    cgst_paise: int
    sgst_paise: int

    @property
    def total_paise(self) -> int:
        return self.taxable_paise + self.cgst_paise + self.sgst_paise

    @property
    def tax_paise(self) -> int:
        return self.cgst_paise + self.sgst_paise


@lru_cache(maxsize=64)
def rate_ratio(rate: str | int | Decimal) -> tuple[int, int]:
    """An exact rate as (numerator, denominator): '0.25' -> (1, 4), '18' -> (18, 1)."""
    fraction = Fraction(Decimal(str(rate)))
    return fraction.numerator, fraction.denominator


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to a whole number, halves away from zero (exact)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return sign * quotient


def half_tax_inclusive(total_paise: int, rate: str) -> int:
    """One head (CGST or SGST) inside a GST-inclusive total: total × (rate/2) / (100 + rate)."""
    n, d = rate_ratio(rate)
    # total × (n/d)/2 / (100 + n/d) = total × n / (2 × (100d + n))
    return divide_half_up(total_paise * n, 2 * (100 * d + n))


@lru_cache(maxsize=65536)
def split_inclusive(total_paise: int, rate: str) -> TaxSplit:
    """Split a GST-inclusive line total at `rate` per cent into taxable value, CGST and SGST."""
    half = half_tax_inclusive(total_paise, rate)
    return TaxSplit(total_paise - 2 * half, half, half)


def tax_on_turnover(turnover_paise: int, rate: str = COMPOSITION_RATE) -> TaxSplit:
    """Composition tax on a turnover (tax is on top, not inside): each head rate/2 per cent.

    The returned split has taxable = turnover, so total_paise is turnover + tax."""
    n, d = rate_ratio(rate)
    half = divide_half_up(turnover_paise * n, 200 * d)
    return TaxSplit(turnover_paise, half, half)


def round_to_rupee(paise: int) -> int:
    """Tax payable rounded to the nearest rupee (s.170), returned in paise: 1249 -> 1200."""
    return divide_half_up(paise, 100) * 100


def rate_sort_key(rate: str) -> Decimal:
    return Decimal(str(rate))


def near_limit(turnover_paise: int, limit_paise: int) -> bool:
    return turnover_paise >= limit_paise * NEAR_LIMIT
