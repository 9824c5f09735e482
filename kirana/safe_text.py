"""Stored text made safe to show: `visible(text)` for every terminal line, table and document.

Customer names, notes, references, reasons, item names, the shop name and `recorded_by` are
typed by people or arrive in import files. Some characters in them act instead of showing: an
ESC starts a terminal escape sequence (clear the screen, set the window title, colour the rest
of the output), BEL rings, a newline or CR breaks a one-line result, and bidi controls reorder
the text around them or hide it (`Trojan Source`). `visible` replaces each such character with
a stand-in that shows it, and leaves every other character exactly as it is:

| characters | shown as | e.g. |
|---|---|---|
| C0 controls U+0000–U+001F | the Unicode control picture U+2400–U+241F | ESC → `␛`, BEL → `␇`, newline → `␊`, tab → `␉` |
| DEL U+007F | `␡` (U+2421) | |
| C1 controls U+0080–U+009F | `<U+XXXX>` | CSI U+009B → `<U+009B>` |
| format characters (Unicode category Cf): bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, LRM/RLM, the zero-width space, BOM, soft hyphen, tag characters | `<U+XXXX>` | U+202E → `<U+202E>` |
| line/paragraph separators U+2028/U+2029, lone surrogates | `<U+XXXX>` | |

ZWNJ and ZWJ (U+200C, U+200D) are format characters too, but they are kept: Devanagari
conjuncts and emoji sequences need them, and they can neither move nor hide other text. Ordinary
Unicode (Devanagari, ₹, emoji, accented letters) passes untouched.

The stand-ins are for people: a name typed as a literal `␛` or `<U+202E>` shows the same. JSON
output, CSV and xlsx keep the stored text exactly (they are data; see docs/commands.md).
"""

from __future__ import annotations

import unicodedata

KEPT = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: Devanagari and emoji need them
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
DEL_PICTURE = "\u2421"


def shown_as(char: str) -> str:
    """The stand-in for one character (the character itself if it is safe to show)."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return DEL_PICTURE
    if char in KEPT or unicodedata.category(char) not in HIDDEN_CATEGORIES:
        return char
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with control, bidi and other hidden characters replaced by visible stand-ins."""
    if text.isprintable():  # the common case: nothing Cc/Cf/Cs/Zl/Zp (nor Zs but space) here
        return text
    return "".join(shown_as(char) for char in text)


def is_hidden(char: str) -> bool:
    """Would `visible` replace this character?"""
    return shown_as(char) != char
