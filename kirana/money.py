"""Money as integer paise: parse what the shopkeeper types, format with Indian digit grouping.

No float ever touches a money value. Parsing accepts `250`, `250.5`, `250.50`, `₹1,250`,
`1,25,000.00`; rejects more than two decimals, signs, zero, NaN/inf and non-strings.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from kirana.errors import InputError
from kirana.i18n import marked, tr

if TYPE_CHECKING:  # decimal is imported where it is used: most commands never need it
    from decimal import Decimal

MAX_PAISE = 100_00_00_000_00  # ₹100 crore in one entry (or line, or total) is surely a typo
MAX_RUPEE_DIGITS = 10  # ₹100,00,00,000 has 10 digits; more is refused before any arithmetic
_AMOUNT = re.compile(r"^(?:₹|rs\.?|inr)?\s*(\d[\d,]*)(?:\.(\d{1,2}))?$", re.IGNORECASE)
_INDIAN_GROUPS = re.compile(r"^\d{1,2}(,\d\d)*,\d{3}$|^\d{1,3}(,\d{3})+$|^\d+$")


def _hint(what: str) -> str:
    """How to type an amount (said only with an error: no catalog look-up per amount read)."""
    return tr("type the {what} in rupees like 250, 250.50 or 1,25,000").format(what=tr(what))


def parse_amount(text: str, *, what: str = marked("amount"), allow_zero: bool = False) -> int:
    """Parse a rupee amount typed by a person into paise. Raises InputError with a hint."""

    if not isinstance(text, str):
        raise InputError(
            tr("{what} must be typed as text like 250.50, not {name}").format(
                what=tr(what), name=type(text).__name__
            )
        )
    raw = text.strip()
    if raw.startswith("-"):
        raise InputError(
            tr("{what} {text} is negative; {hint} (use a return or payment instead)").format(
                what=tr(what), text=repr(text), hint=_hint(what)
            )
        )
    match = _AMOUNT.match(raw)
    if not match:
        raise InputError(
            tr("{what} {text} is not a valid amount; {hint}").format(
                what=tr(what), text=repr(text), hint=_hint(what)
            )
        )
    whole, frac = match.group(1), match.group(2) or ""
    if len(whole.replace(",", "").lstrip("0")) > MAX_RUPEE_DIGITS:
        shown = text if len(text) <= 24 else text[:24] + "…"
        raise InputError(
            tr("{what} {text} is more than {limit}; check the digits").format(
                what=tr(what), text=repr(shown), limit=format_rupees(MAX_PAISE)
            )
        )
    if "," in whole and not _INDIAN_GROUPS.match(whole):
        raise InputError(
            tr("{what} {text} has misplaced commas; {hint}").format(
                what=tr(what), text=repr(text), hint=_hint(what)
            )
        )
    paise = int(whole.replace(",", "")) * 100 + int(frac.ljust(2, "0") or 0)
    if paise > MAX_PAISE:
        raise InputError(
            tr("{what} {text} is more than {limit}; check the digits").format(
                what=tr(what), text=repr(text), limit=format_rupees(MAX_PAISE)
            )
        )
    if paise == 0 and not allow_zero:
        raise InputError(
            tr("{what} must be more than zero; {hint}").format(what=tr(what), hint=_hint(what))
        )
    return paise


def parse_signed_amount(text: str, *, what: str = marked("amount")) -> int:
    """Like parse_amount, but a leading minus gives a negative value (e.g. an advance)."""
    raw = text.strip() if isinstance(text, str) else text
    if isinstance(raw, str) and raw.startswith("-"):
        return -parse_amount(raw[1:], what=what)
    return parse_amount(raw, what=what, allow_zero=True)


def group_indian(digits: str) -> str:
    """'12345678' -> '1,23,45,678' (last three digits, then pairs)."""
    size = len(digits)
    if size <= 3:
        return digits
    if size <= 5:  # up to a lakh (a khata's amounts, mostly), cut at once
        return f"{digits[:-3]},{digits[-3:]}"
    if size <= 7:
        return f"{digits[:-5]},{digits[-5:-3]},{digits[-3:]}"
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail])


def format_rupees(paise: int, *, symbol: bool = True) -> str:
    """12345600 -> '₹1,23,456.00'; negative values get a leading minus."""
    if type(paise) is not int:  # the common case checked first: a long statement formats many
        _require_int(paise)
        paise = int(paise)
    digits = str(-paise if paise < 0 else paise)
    if len(digits) < 3:
        digits = digits.rjust(3, "0")  # rupees, then two digits of paise: '5' -> '005'
    rupees = digits[:-2]
    size = len(rupees)
    if size > 3:
        rupees = f"{rupees[:-3]},{rupees[-3:]}" if size <= 5 else group_indian(rupees)
    return f"{'-' if paise < 0 else ''}{'₹' if symbol else ''}{rupees}.{digits[-2:]}"


def rupees_str(paise: int) -> str:
    """The JSON contract's plain string form: 37000 -> '370.00', -5000 -> '-50.00'."""
    if type(paise) is not int:
        _require_int(paise)
        paise = int(paise)
    digits = str(-paise if paise < 0 else paise)  # cut from the text: a third of divmod's time
    if len(digits) < 3:
        digits = digits.rjust(3, "0")
    return f"{'-' if paise < 0 else ''}{digits[:-2]}.{digits[-2:]}"


CRORE = 10_000_000  # rupees in a crore


def rupees_in_words(paise: int) -> str:
    """An amount as written on a cheque, Indian style: 12500050 -> 'Rupees One Lakh Twenty-Five
    Thousand and Fifty Paise Only' (lakh and crore, by num2words' en_IN)."""
    _require_int(paise)
    rupees, rest = divmod(abs(paise), 100)
    cardinal = _indian_english().to_cardinal

    def words(number: int) -> str:
        if number >= CRORE * 1000:  # num2words stops below 1,000 crore: count the crores
            crores, below = divmod(number, CRORE)
            return f"{words(crores)} Crore" + (f" {words(below)}" if below else "")
        spoken = cardinal(number).replace(",", "")
        return " ".join(w if w == "and" else w.title() for w in spoken.split())

    if rupees and rest:
        text = f"Rupees {words(rupees)} and {words(rest)} Paise"
    elif rest:
        text = f"{words(rest)} Paise"
    else:
        text = f"Rupees {words(rupees)}"
    sign = "Minus " if paise < 0 else ""
    return f"{sign}{text} Only"


@cache
def _indian_english():
    """The converter `num2words(n, lang="en_IN")` uses (num2words' Num2Word_EN_IN), loaded
    from num2words' folder under a private package name: importing num2words itself imports
    every language it has (20 ms of a statement's start, which prints the dues in words).
    If that fails (another num2words layout), num2words' own table gives the same converter."""
    import importlib
    import importlib.util
    import sys
    import types

    private = "kirana_num2words_en_in"
    try:
        if private not in sys.modules:
            spec = importlib.util.find_spec("num2words")
            package = types.ModuleType(private)
            package.__path__ = list(spec.submodule_search_locations)
            sys.modules[private] = package
        return importlib.import_module(f"{private}.lang_EN_IN").Num2Word_EN_IN()
    except Exception:  # noqa: BLE001 - any other layout: the public table
        from num2words import CONVERTER_CLASSES

        return CONVERTER_CLASSES["en_IN"]


def amount_in_words(paise: int) -> str:
    """`rupees_in_words` in the language in force: Hindi words (kirana.hindi_words) under Hindi,
    else English."""
    from kirana.i18n import language

    _require_int(paise)
    if language() == "hi":
        from kirana import hindi_words

        return hindi_words.rupees_in_words(paise)
    return rupees_in_words(paise)


def money_json(paise: int, name: str) -> dict:
    """The pair every JSON output carries: {'<name>_paise': int, '<name>': '370.00'}."""
    return {f"{name}_paise": paise, name: rupees_str(paise)}


def round_half_up(value: Decimal) -> int:
    """Round a Decimal number of paise to a whole paisa, halves away from zero."""
    from decimal import ROUND_HALF_UP, Decimal

    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _require_int(paise: int) -> None:
    if isinstance(paise, bool) or not isinstance(paise, int):
        raise TypeError(f"money must be integer paise, got {type(paise).__name__}")
