"""Messages in the shopkeeper's language: gettext catalogs, English the default and the fallback.

A message people read (a label, a heading, a confirmation, a warning, an error) is written in
English in the code and wrapped in `tr("…")`; with the placeholders left in braces and filled
after translation: `tr("{name}: {amount}").format(name=…, amount=…)`. `tr` looks the message up
in the catalog of the language in force (`Settings.language`: `--lang`, else KIRANA_LANG, else
the shop's `shop set --lang`, else English); a message the catalog lacks stays English.
Commands, flags, JSON keys and data formats (JSON, the import/export CSV) never change.

The catalogs are kirana/locale/<lang>/LC_MESSAGES/kirana.po (edited by people) and kirana.mo
(compiled from it by Babel and committed, so a plain install or a clean clone has them);
docs/i18n.md says how to extract, translate and compile, and tests/test_i18n.py checks that
every marked message has a translation and that each .mo is compiled from its .po.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "kirana"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"


def parse_language(text: str, where: str) -> str:
    """A language typed on the command line (`--lang hi`); InputError if kirana has none."""
    from kirana.settings import LANGUAGES, language_code

    code = language_code(text)
    if code is None:
        from kirana.errors import InputError

        choices = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise InputError(f"{where} {text!r} is not a language kirana speaks; use one of {choices}")
    return code


def language() -> str:
    """The language in force (the settings', else English)."""
    from kirana import settings

    return settings.current().language or DEFAULT


@cache
def _catalog(code: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


def marked(message: str) -> str:
    """Mark a message for the catalog where it is defined, to be translated (`tr`) where it
    is shown (a table's column names kept in a constant)."""
    return message


def tr(message: str) -> str:
    """`message` in the language in force (English when the catalog has no translation)."""
    code = language()
    if code == DEFAULT:
        return message
    return _catalog(code).gettext(message)


def translator():
    """`tr` bound to the language in force now, for many messages in a row (a statement's
    lines): the language is looked up once, not for every message."""
    code = language()
    return str if code == DEFAULT else _catalog(code).gettext


def tr_in(context: str, message: str) -> str:
    """Like `tr`, for a message whose translation depends on where it is used (gettext's
    context): the statement's "Credit" column is money paid in, the method "Credit" udhaar."""
    code = language()
    if code == DEFAULT:
        return message
    return _catalog(code).pgettext(context, message)
