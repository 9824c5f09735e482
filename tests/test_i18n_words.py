"""The last English words under Hindi (issue 17): a month report's weekdays and months, the
age of the oldest dues, the reason a date does not exist (kirana's words, not Python's), the
shell's unclosed-quote error. English stays as it was, but for the date reasons."""

from __future__ import annotations

import pytest

from kirana import dates
from kirana.cli import shell
from kirana.errors import InputError
from kirana.i18n import in_language


@pytest.fixture
def shop(kirana, clock):
    clock("2025-03-10T18:00:00")
    assert kirana("customer", "add", "Priya Madam").exit_code == 0
    assert (
        kirana("sale", "Priya", "--amount", "250", "--credit", "--on", "01-03-2025").exit_code == 0
    )
    return kirana


@pytest.mark.parametrize(("lang", "day"), [("hi", "शनि 01 मार्च"), ("en", "Sat 01 Mar")])
def test_month_report_days_follow_the_language(shop, monkeypatch, lang, day):
    monkeypatch.setenv("KIRANA_LANG", lang)
    out = shop("report", "month", "2025-03").stdout
    assert day in out
    assert "Sat" not in out if lang == "hi" else "शनि" not in out


def test_month_report_csv_keeps_english_days(shop, monkeypatch):
    monkeypatch.setenv("KIRANA_LANG", "hi")
    assert "Sat 01 Mar" in shop("report", "month", "2025-03", "-f", "csv").stdout


@pytest.mark.parametrize(
    ("lang", "age"), [("hi", "2025-03-01 (9 दिन)"), ("en", "2025-03-01 (9 d)")]
)
def test_dues_by_age_days_follow_the_language(shop, monkeypatch, lang, age):
    monkeypatch.setenv("KIRANA_LANG", lang)
    assert age in shop("dues", "--aging").stdout


def test_an_impossible_date_gives_kiranas_own_reason_in_hindi(shop, monkeypatch):
    monkeypatch.setenv("KIRANA_LANG", "hi")
    result = shop("pay", "Priya", "10", "--cash", "--on", "31-02-2025")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: --on '31-02-2025' असली तारीख या समय नहीं है (फ़रवरी 2025 में 28 दिन होते हैं);"
    )
    assert "out of range" not in result.stderr


@pytest.mark.parametrize(
    ("when", "english", "hindi"),
    [
        ((2024, 2, 30), "February 2024 has 29 days", "फ़रवरी 2024 में 29 दिन होते हैं"),
        (
            (2025, 13, 1),
            "there is no month 13; months are 1 to 12",
            "13 कोई महीना नहीं; महीने 1 से 12 तक होते हैं",
        ),
        ((0, 1, 1), "there is no year 0", "0 कोई साल नहीं"),
        (
            (2025, 1, 1, 24),
            "there is no hour 24; hours are 0 to 23",
            "24 कोई घंटा नहीं; घंटे 0 से 23 तक होते हैं",
        ),
        ((2025, 1, 1, 10, 60), "minutes and seconds are 0 to 59", "मिनट और सेकंड 0 से 59 तक होते हैं"),
    ],
)
def test_impossible_reasons(when, english, hindi):
    with in_language("en"):
        assert dates.impossible(*when) == english
    with in_language("hi"):
        assert dates.impossible(*when) == hindi
    assert dates.impossible(2024, 2, 29, 23, 59, 59) is None


def test_statement_date_reasons_are_kiranas_own():
    with in_language("hi"), pytest.raises(InputError) as raised:
        dates.parse_statement_date("05 Xyz 2025")
    assert "'Xyz' कोई महीना नहीं है" in str(raised.value)
    with pytest.raises(InputError) as raised:
        dates.parse_statement_date("05/03/2025 25:00")
    assert "(there is no hour 25; hours are 0 to 23)" in str(raised.value)


@pytest.mark.parametrize(
    ("line", "english", "hindi"),
    [
        (
            'sale "Priya',
            "no closing quotation in the line; close the quote",
            "पंक्ति में उद्धरण चिह्न बंद नहीं हुआ; उद्धरण चिह्न बंद कीजिए",
        ),
        (
            "sale Priya \\",
            "no escaped character in the line; close the quote",
            "पंक्ति के अंत में \\ के बाद कोई अक्षर नहीं; उद्धरण चिह्न बंद कीजिए",
        ),
    ],
)
def test_shell_quote_errors_follow_the_language(line, english, hindi):
    for lang, message in (("en", english), ("hi", hindi)):
        with in_language(lang), pytest.raises(InputError) as raised:
            shell.words(line)
        assert str(raised.value) == message
