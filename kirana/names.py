"""Names and free text as people type them: cleaned once, and compared as a reader would see them.

- `clean_name`: Unicode NFC, spaces collapsed, and refused with the character and its position
  when it holds a control character, a bidi override or an invisible (zero-width) character,
  or no letter or digit at all. ZWJ/ZWNJ are kept after a letter or sign, where Indic scripts
  use them to shape a conjunct.
- `clean_text`: the same for notes, references, reasons and `--by` (empty allowed).
- `skeleton`: what a name looks like: NFKC, case folded, each character replaced by the
  plainest character it is confusable with (Unicode's confusables table, UTS #39, as shipped
  by the confusable-homoglyphs package). Two names with the same skeleton look the same on a
  screen ("Рriya" with a Cyrillic Р and "Priya"); `look_alike_key` also drops spaces and
  punctuation, for the import's looser rule.
- `LookAlikes`: known names by look; `find` is the import's look-alike rule: same look, one a
  prefix of the other, or at most two edits apart for names of five or more letters.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from kirana.errors import InputError
from kirana.events import strict_rules
from kirana.i18n import marked, tr

MAX_NAME = 80
JOINERS = ("\u200c", "\u200d")  # ZWNJ, ZWJ: shape Indic conjuncts
INDIC = ("DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
         "MALAYALAM", "SINHALA")  # fmt: skip
# Characters that draw nothing though they are letters or marks (Unicode's default-ignorable
# fillers): a name made of them, or one hiding them, is as invisible as a zero-width space.
BLANKS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0")
MIN_EDIT_LETTERS = 5
MIN_PREFIX = 3
MAX_EDITS = 2


def _invisible(text: str) -> tuple[int, str] | None:
    """(1-based position, character) of the first character that may not be stored."""
    if text.isascii() and text.isprintable():
        return None  # space to tilde: every one visible (most notes and references)
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        before = text[index - 1] if index else ""
        after_indic = bool(before) and unicodedata.name(before, "").startswith(INDIC)
        if char in JOINERS and after_indic:
            continue
        if category in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp") or char in BLANKS:
            return index + 1, char
    return None


def describe_char(char: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how an error names a character nobody can see."""
    fallback = tr("a control character") if unicodedata.category(char) == "Cc" else tr("unnamed")
    return f"U+{ord(char):04X} ({unicodedata.name(char, fallback)})"


def _refuse_invisible(text: str, what: str) -> None:
    found = _invisible(text)
    if found:
        position, char = found
        raise InputError(
            tr(
                "{what} has an invisible or control character {describe_char} at position {position}; retype it without that character"
            ).format(what=tr(what), describe_char=describe_char(char), position=position)
        )


def clean_name(text: str | None, what: str = marked("customer name")) -> str:
    """A name to store: NFC, single spaces, visible characters, at least one letter or digit."""
    name = " ".join((text or "").split())
    name = unicodedata.normalize("NFC", name) if strict_rules() else name
    if not name:
        raise InputError(
            tr("{what} is empty; type a name like 'Priya Madam'").format(what=tr(what))
        )
    if len(name) > MAX_NAME:
        raise InputError(
            tr("{what} is longer than {max_name} characters; shorten it").format(
                what=tr(what), max_name=MAX_NAME
            )
        )
    if not strict_rules():  # an event recorded before these rules: as they were then
        if any(ord(char) < 32 for char in name):
            raise InputError(
                tr("{what} has control characters; type plain text").format(what=tr(what))
            )
        return name
    _refuse_invisible(name, what)
    if not any(unicodedata.category(char)[0] in "LN" for char in name):
        raise InputError(
            tr("{what} {name!r} has no letter or digit; type a real name").format(
                what=tr(what), name=name
            )
        )
    return name


def clean_text(text: str | None, what: str, limit: int) -> str | None:
    """A note, reference or reason to store: NFC, trimmed, visible, at most `limit` long."""
    if text is None:
        return None
    value = text.strip()
    if not strict_rules():  # an event recorded before these rules: as they were then
        if len(value) > limit:
            raise InputError(
                tr("{what} is longer than {limit} characters; shorten it").format(
                    what=tr(what), limit=limit
                )
            )
        return value or None
    value = unicodedata.normalize("NFC", value)
    if len(value) > limit:
        raise InputError(
            tr("{what} is longer than {limit} characters; shorten it").format(
                what=tr(what), limit=limit
            )
        )
    _refuse_invisible(value, what)
    return value or None


@lru_cache(maxsize=1)
def _plainest() -> dict[str, str]:
    """Each confusable character -> the plainest of the characters it can be taken for, directly
    or through others (I ~ l ~ 1): the lowest code point of its class, so ASCII wins. From
    Unicode's confusables table; loaded once, only when names are compared."""
    from confusable_homoglyphs.confusables import confusables_data

    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            parent[char] = parent.get(parent[char], parent[char])
            char = parent[char]
        return char

    for char, homoglyphs in confusables_data.items():
        for other in (h["c"] for h in homoglyphs if len(h["c"]) == 1):
            a, b = root(char), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {char: root(char) for char in parent}


def skeleton(name: str) -> str:
    """What `name` looks like on a screen: NFKC, case folded, every character replaced by the
    plainest one it is confusable with. Equal skeletons read the same (UTS #39)."""
    plainest = _plainest()
    mapped = "".join(plainest.get(char, char) for char in unicodedata.normalize("NFKC", name))
    # mapped before case folding (an "I" that looks like "l" is found), then again after it
    return "".join(plainest.get(char, char) for char in mapped.casefold() if char not in BLANKS)


def look_alike_key(name: str) -> str:
    """The skeleton without spaces and punctuation: "Sunita-Didi" and "sunita didi" agree."""
    return "".join(char for char in skeleton(name) if unicodedata.category(char)[0] in "LNM")


class LookAlikes:
    """Names already known (each with its customer id), and which of them a new name would be
    mistaken for."""

    def __init__(self) -> None:
        self._keys: dict[str, tuple[str, int]] = {}
        self._skeletons: dict[str, tuple[str, int]] = {}

    def add(self, name: str, customer_id: int) -> None:
        self._keys.setdefault(look_alike_key(name), (name, customer_id))
        self._skeletons.setdefault(skeleton(" ".join(name.split())), (name, customer_id))

    def same_look(self, name: str) -> tuple[str, int] | None:
        """A known name that reads the same as `name` on a screen, with its customer id."""
        return self._skeletons.get(skeleton(" ".join(name.split())))

    def find(self, name: str) -> tuple[str, int] | None:
        """A known name that `name` may be a mistyping of: the same look, one a prefix of the
        other (3+ letters), or at most 2 edits apart when both have 5+ letters; else None."""
        key = look_alike_key(name)
        if not key:
            return None
        if key in self._keys:
            return self._keys[key]
        for known_key, known in self._keys.items():
            shorter = min(len(key), len(known_key))
            if shorter >= MIN_PREFIX and (known_key.startswith(key) or key.startswith(known_key)):
                return known
        if len(key) < MIN_EDIT_LETTERS:
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        long_enough = [k for k in self._keys if len(k) >= MIN_EDIT_LETTERS]
        best = process.extractOne(
            key, long_enough, scorer=Levenshtein.distance, score_cutoff=MAX_EDITS
        )
        return self._keys[best[0]] if best else None
