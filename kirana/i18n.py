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

A message that is also data (a report's warnings, which its JSON carries) is a `Message`: it
is English wherever it is used as a string (JSON, CSV, a comparison in a test), and `shown()`
gives it in the language in force where people read it (a table, a page, a warning line).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Self

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
        raise InputError(
            tr("{where} {text!r} is not a language kirana speaks; use one of {choices}").format(
                where=where, text=text, choices=choices
            )
        )
    return code


def language() -> str:
    """The language in force (the settings', else English)."""
    from kirana import settings

    return settings.current().language or DEFAULT


@contextmanager
def in_language(code: str) -> Iterator[None]:
    """Run a block in language `code` whatever the settings say (a report's CSV: English)."""
    from dataclasses import replace

    from kirana import settings

    with settings.using(replace(settings.current(), language=code)):
        yield


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
    if code == DEFAULT or not message:  # gettext("") is the catalog's header
        return message
    return _catalog(code).gettext(message)


class Message(str):
    """English text built from a marked template and its fields (`Message("{n} rows", n=3)`),
    that remembers both so that `shown(message)` can give it in the language in force. A field
    may itself be a Message; `Message.joined` strings several together."""

    template: str
    fields: dict
    translate: bool

    def __new__(cls, template: str, /, **fields: object) -> Self:
        message = super().__new__(cls, template.format(**fields))
        message.template, message.fields, message.translate = template, fields, True
        return message

    @classmethod
    def joined(cls, separator: str, parts) -> Message:
        """`separator.join(parts)`, each part shown in the language in force in its turn."""
        fields = {f"part{index}": part for index, part in enumerate(parts)}
        message = cls(separator.join("{" + name + "}" for name in fields), **fields)
        message.translate = False
        return message

    def __reduce__(self):  # a worker process hands warnings back to the importer
        return (_rebuilt, (self.template, self.fields, self.translate))


def _rebuilt(template: str, fields: dict, translate: bool) -> Message:
    message = Message(template, **fields)
    message.translate = translate
    return message


def shown(text: str) -> str:
    """`text` as people read it: a Message in the language in force, any other text as is."""
    if not isinstance(text, Message):
        return text
    fields = {name: shown(value) for name, value in text.fields.items()}
    return (tr(text.template) if text.translate else text.template).format(**fields)


def tr_n(singular: str, plural: str, count: int) -> str:
    """`singular` or `plural` as `count` asks, in the language in force (gettext's ngettext:
    each language says which form a number takes; Hindi: one form for 0 and 1)."""
    code = language()
    if code == DEFAULT:
        return singular if count == 1 else plural
    return _catalog(code).ngettext(singular, plural, count)


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
