"""Hindi: labels, headings, confirmations and errors from gettext catalogs (`KIRANA_LANG=hi`,
`--lang hi`, `shop set --lang hi`), English the default and the fallback; JSON and flags never
change; amounts in words Indian style.

Regenerate the golden render after an intended change with:
    UPDATE_GOLDEN=1 python -m pytest -q tests/test_i18n.py -k golden
"""

from __future__ import annotations

import gettext
import os
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kirana.money import rupees_in_words

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "kirana" / "locale"
GOLDEN = Path(__file__).parent / "golden"
KEYWORDS = {"tr": None, "marked": None, "tr_in": ((1, "c"), 2), "tr_n": (1, 2), "Message": None}


def marked_messages() -> set[tuple[str | None, str]]:
    """(context, message) of every message the code marks for translation."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT / "kirana", keywords=KEYWORDS, comment_tags=()
    ):
        found.add((context, message))
    return found


def hindi_catalog():
    with open(LOCALE / "hi" / "LC_MESSAGES" / "kirana.po", "rb") as handle:
        return read_po(handle)


# ---- the catalogs ------------------------------------------------------------------------------


def _translated(message) -> bool:
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.id) and all(forms) and not message.fuzzy


def test_every_marked_message_has_a_hindi_translation():
    catalog = hindi_catalog()
    translated = {(m.context, m.id) for m in catalog if _translated(m)}
    missing = sorted(marked_messages() - translated, key=str)
    assert missing == []
    assert len(translated) >= 600  # 149 before every message was marked


def test_no_translation_is_left_over_from_a_message_the_code_no_longer_has():
    stale = {(m.context, m.id) for m in hindi_catalog() if m.id} - marked_messages()
    assert stale == set()


def test_every_translation_keeps_the_placeholders_of_its_message():
    field = re.compile(r"\{(\w*(?:![rsa])?(?::[^{}]*)?)\}")
    for message in hindi_catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:  # a plural's every form keeps the plural message's placeholders
            assert sorted(field.findall(form)) == sorted(field.findall(ids[-1])), message.id


def test_the_committed_mo_is_compiled_from_the_po():
    """A clean clone or a plain install reads kirana.mo: it must say what kirana.po says."""
    with open(LOCALE / "hi" / "LC_MESSAGES" / "kirana.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in hindi_catalog():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            assert compiled.ngettext(singular, plural, 1) == message.string[0]
            assert compiled.ngettext(singular, plural, 2) == message.string[1]
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string


# ---- amounts in words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paise", "words"),
    [
        (12500000, "Rupees One Lakh Twenty-Five Thousand Only"),
        (12500050, "Rupees One Lakh Twenty-Five Thousand and Fifty Paise Only"),
        (10000000, "Rupees One Lakh Only"),
        (1000000000, "Rupees One Crore Only"),
        (
            1234567800,
            (
                "Rupees One Crore Twenty-Three Lakh Forty-Five Thousand Six Hundred and "
                "Seventy-Eight Only"
            ),
        ),
        (10000000000, "Rupees Ten Crore Only"),
        (100000000000, "Rupees One Hundred Crore Only"),  # the largest amount kirana takes
        (99900, "Rupees Nine Hundred and Ninety-Nine Only"),
        (75, "Seventy-Five Paise Only"),
    ],
)
def test_amounts_in_words_are_indian_style(paise, words):
    assert rupees_in_words(paise) == words


# ---- the language in force --------------------------------------------------------------------


@pytest.fixture
def shop(kirana, fixed_ids, clock):
    clock("2025-03-01T10:00:00")
    for args in (
        ("customer", "add", "Priya Madam", "--limit", "1000"),
        ("customer", "add", "Ramesh"),
        ("opening", "Ramesh", "1,25,000", "--on", "2025-02-01"),
    ):
        assert kirana(*args).exit_code == 0
    clock("2025-03-10T18:00:00")
    return kirana


def test_golden_hindi_counter(shop, monkeypatch):
    """Sale confirmation, balance, dues, statement and errors, as a Hindi shopkeeper sees them."""
    monkeypatch.setenv("KIRANA_LANG", "hi")
    parts = []
    for args in (
        ("sale", "Priya", "atta:5@250", "--credit"),
        ("pay", "Priya", "300", "--upi", "--ref", "526712"),
        ("balance", "Priya"),
        ("balance", "Priya", "--as-of", "2025-03-01"),
        ("dues",),
        ("statement", "Ramesh"),
        ("statement", "Priya", "--format", "md"),
        ("balance", "Prya"),
        ("pay", "Priya", "12,34.5"),
        ("sale", "Priya", "--amount", "10"),
    ):
        result = shop(*args)
        parts.append(f"$ kirana {' '.join(args)}\n{result.stdout}{result.stderr}")
    text = "\n".join(parts)
    path = GOLDEN / "hindi_counter.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_json_and_flags_do_not_change_with_the_language(shop, monkeypatch):
    shop("sale", "Priya", "atta:1@250", "--credit")
    english = [
        shop(*a).stdout for a in (("balance", "--json"), ("statement", "Priya", "-f", "json"))
    ]
    monkeypatch.setenv("KIRANA_LANG", "hi")
    hindi = [shop(*a).stdout for a in (("balance", "--json"), ("statement", "Priya", "-f", "json"))]
    assert hindi == english
    assert re.search(r'"description": "Credit sale INV/[\d/-]+: atta 1"', hindi[1])


def test_english_is_the_default_and_the_fallback(shop, monkeypatch):
    assert shop("balance", "Nobody").stderr.startswith("Error: no customer named 'Nobody'")
    monkeypatch.setenv("KIRANA_LANG", "fr")  # no French catalog: English
    assert shop("balance", "Nobody").stderr.startswith("Error: no customer named 'Nobody'")
    monkeypatch.setenv("KIRANA_LANG", "hi_IN.UTF-8")  # a locale's spelling of Hindi
    assert shop("balance", "Nobody").stderr.startswith("Error: 'Nobody' नाम का कोई ग्राहक नहीं है")


def test_lang_flag_then_environment_then_the_shops_language(shop, monkeypatch):
    hindi_title = "बकाया"
    assert hindi_title not in shop("dues").stdout
    assert hindi_title in shop("--lang", "hi", "dues").stdout
    result = shop("shop", "set", "--lang", "HI")
    assert result.exit_code == 0 and "language=hi" in result.stdout
    assert hindi_title in shop("dues").stdout  # the shop's language
    monkeypatch.setenv("KIRANA_LANG", "en")
    assert hindi_title not in shop("dues").stdout  # the environment over the shop's
    assert hindi_title in shop("--lang", "hi", "dues").stdout  # the flag over both


def test_an_unknown_language_is_one_error_line(shop):
    result = shop("--lang", "xx", "dues")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --lang 'xx' is not a language kirana speaks; use one of en (English), "
        "hi (हिन्दी (Hindi))\n"
    )
    bad = shop("shop", "set", "--lang", "klingon")
    assert bad.stderr.startswith("Error: shop language 'klingon' is not a language kirana speaks")


def test_the_catalogs_ship_with_the_package():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"]["kirana"]
    assert "locale/*/LC_MESSAGES/*.mo" in data
    assert (LOCALE / "hi" / "LC_MESSAGES" / "kirana.mo").stat().st_size > 1000


def test_a_reminder_is_written_in_the_shops_language(shop, clock):
    clock("2025-05-10T10:00:00")
    english = shop("remind", "--json").json()["reminders"][0]["message"]
    assert english.startswith("Namaste Ramesh ji! A gentle reminder from your kirana store")
    hindi = shop("--lang", "hi", "remind", "--json").json()["reminders"][0]
    assert hindi["message"].startswith("नमस्ते Ramesh जी! आपकी किराना दुकान की ओर से")
    assert hindi["customer"] == "Ramesh" and hindi["dues_paise"] == 12500000  # data unchanged
