"""JSON through orjson where the result is exactly the standard library's, only faster.

- `loads_payload(text)`: the same, for a stored payload (integers within bounds, no floats:
  see its docstring), without the float check.
- `loads(text)`: the same values json.loads gives; orjson parses, and what it refuses (NaN,
  lone surrogates, numbers out of its range) goes to json.loads, so errors read as before.
  orjson reads an integer beyond 64 bits as a float (and may round a float differently in
  the last place), so a value holding any float is read again by json.loads (payloads hold
  none: money is integer paise, quantities are text).
- `pretty(value)`: the same text as json.dumps(value, ensure_ascii=False, indent=2); with an
  indent the standard library encodes in pure Python (≈ 5 µs a value: a quarter of a second
  for `balance --json` of ten thousand customers). orjson writes the same bytes for strings,
  integers, booleans, null, lists and dicts with string keys, but not for every float (1e+16
  vs 1e16, NaN vs null): a value holding a float, or anything orjson refuses (integers beyond
  64 bits, other keys, lone surrogates), is written by json.dumps instead.
- `canonical(value)`: events.canonical_json(value) (sorted keys, no spaces, text as is: the
  bytes every event hash covers), written by orjson with sorted keys, which gives the same text
  for strings (Devanagari, escapes, control characters), integers up to 64 bits, booleans,
  null, lists and dicts with string keys: property-tested. What orjson refuses (an integer
  beyond 64 bits, a lone surrogate, a key that is not a string) is written by the standard
  library's encoder. Only for values without floats (orjson writes some floats differently):
  payloads built by kirana.rules.payloads (money in paise, quantities and rates as text) and
  lists of text, as the CSV and bank imports encode them. Everything else keeps
  events.canonical_json.
"""

from __future__ import annotations

import json
from typing import Any

from kirana.events import canonical_json

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; the standard library still works
    orjson = None


def _has_float(value: Any) -> bool:
    """Whether a float (or anything but str, int, bool, None, list, tuple and dict) is anywhere
    in a JSON-like value. Each container's item types are gathered in one C-level pass."""
    kind = type(value)
    if kind is dict:
        items = value.values()
    elif kind is list or kind is tuple:
        items = value
    else:
        return kind not in _FLAT
    kinds = set(map(type, items))
    if kinds - _FLAT - _NESTED:
        return True
    return bool(kinds & _NESTED) and any(
        _has_float(item) for item in items if type(item) in _NESTED
    )


def canonical(value: Any) -> str:
    """events.canonical_json(value) for a value without floats (see the module docstring)."""
    if orjson is not None:
        try:
            return orjson.dumps(value, option=_CANONICAL).decode("utf-8")
        except TypeError:
            pass
    return canonical_json(value)


# what the standard library would refuse or write otherwise goes to it: subclasses of str, int,
# dict and list, dataclasses and datetimes (orjson writes those itself)
_CANONICAL = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    if orjson is not None
    else 0
)
_FLAT = frozenset({str, int, bool, type(None)})
_NESTED = frozenset({dict, list, tuple})


def loads(text: str | bytes) -> Any:
    """json.loads(text), parsed by orjson when it can."""
    if orjson is not None:
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            return json.loads(text)
        if not _has_float(value):
            return value
    return json.loads(text)


def loads_payload(text: str | bytes) -> Any:
    """A stored payload's canonical JSON, as json.loads reads it, at orjson's speed.

    The float check of `loads` costs as much as orjson saves, and a stored payload needs none:
    every payload is built or checked by kirana.rules.payloads, whose numbers are integers
    within ±₹100 crore (money) or entry numbers, never floats; orjson reads such text exactly
    as json.loads does (tests/test_fast_codec.py). Text orjson refuses goes to json.loads."""
    if orjson is not None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def pretty(value: Any, *, floats: bool = True) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), written by orjson when it is the same.
    `floats=False`: the caller built `value` from text, integers, booleans, None, lists and
    dicts alone, so the float check is skipped (what orjson refuses, such as an integer beyond
    64 bits, still goes to json.dumps)."""
    encoded = pretty_bytes(value, floats=floats)
    if encoded is not None:
        return encoded.decode("utf-8")
    return json.dumps(value, ensure_ascii=False, indent=2)


def pretty_bytes(value: Any, *, floats: bool = True) -> bytes | None:
    """pretty(value)'s text as UTF-8, straight from orjson (no str made in between), or None
    where pretty() needs json.dumps."""
    if orjson is not None and not (floats and _has_float(value)):
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2)
        except TypeError:
            pass
    return None
