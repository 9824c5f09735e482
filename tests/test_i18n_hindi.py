"""Hindi everywhere a shopkeeper reads (issue 17): import summaries, catalog and shop
confirmations, rule errors, Click's usage errors, amounts in Hindi words; the language reaches
an import's worker processes; a report's CSV and JSON stay English.

Regenerate the golden render after an intended change with:
    UPDATE_GOLDEN=1 python -m pytest -q tests/test_i18n_hindi.py -k golden
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana import hindi_words
from kirana.money import MAX_PAISE

GOLDEN = Path(__file__).parent / "golden"
SALES = """date,type,customer,amount,method,items,reference,note,key
01-03-2025,sale,Priya Madam,250,credit,,,,
02-03-2025,payment,Priya Madam,100,upi,,UTR123,,
03-03-2025,sale,Ramesh,99,cash,,,,
"""
BAD_ROWS = """date,type,customer,amount,method,items,reference,note,key
01-03-2025,sale,Priya Madam,abc,credit,,,,
31-02-2025,payment,Priya Madam,100,upi,,,,
"""


@pytest.fixture
def hindi_shop(kirana, fixed_ids, clock, monkeypatch, tmp_path):
    monkeypatch.setenv("KIRANA_LANG", "hi")
    monkeypatch.setenv("COLUMNS", "80")  # an 80-column terminal
    monkeypatch.chdir(tmp_path)
    clock("2025-03-10T18:00:00")
    (tmp_path / "sales.csv").write_text(SALES, encoding="utf-8")
    (tmp_path / "bad.csv").write_text(BAD_ROWS, encoding="utf-8")
    assert kirana("customer", "add", "Priya Madam", "--limit", "1000").exit_code == 0
    return kirana


def test_golden_hindi_messages(hindi_shop):
    """Import summaries, confirmations, rule errors and usage errors, as a Hindi shopkeeper
    sees them on an 80-column terminal."""
    parts = []
    for args in (
        ("item", "set", "atta", "--price", "250", "--gst", "5", "--hsn", "1101", "--unit", "kg"),
        ("shop", "set", "--name", "Sharma Store"),
        ("import", "sales.csv", "--dry-run"),
        ("import", "sales.csv", "--new-customers"),
        ("import", "sales.csv"),
        ("import", "bad.csv"),
        ("customer", "update", "Ramesh", "--name", "Ramesh Kumar"),
        ("customer", "add", "Ramu"),
        ("customer", "merge", "Ramu", "Ramesh Kumar", "--reason", "same man"),
        ("sale", "Priya", "atta:2", "--credit"),
        ("return", "Priya", "atta:5", "--against", "11"),
        ("void", "1", "--reason", "typed twice"),
        ("close", "2025-02"),
        ("sale", "Priya", "--amount", "10", "--cash", "--on", "2025-02-10"),
        ("verify",),
        ("sale", "--bogus"),
        ("pay",),
        ("pay", "Priya", "10", "20"),
        ("salee",),
        ("remind", "--over", "x"),
        ("sale", "Priya", "--amount"),
    ):
        result = hindi_shop(*args)
        parts.append(f"$ kirana {' '.join(args)}\n{result.stdout}{result.stderr}")
    text = "\n".join(parts)
    path = GOLDEN / "hindi_messages.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    for line in text.splitlines():  # every line is kirana's own: prefixes and flags stay
        if line.startswith(("Error", "Warning", "OK")):
            assert re.match(r"(Error|Warning|OK): \S", line), line


# ---- Click's usage errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "hindi"),
    [
        (("sale", "--bogus"), "Error: ऐसा कोई विकल्प नहीं: --bogus (देखें kirana sale --help)"),
        (("sale", "--crdit"), "Error: ऐसा कोई विकल्प नहीं: --crdit (शायद: --card, --credit)"),
        (("pay",), "Error: तर्क 'customer' नहीं दिया। (देखें kirana pay --help)"),
        (("pay", "Priya", "1", "2", "3"), "Error: अनचाहे अतिरिक्त तर्क मिले (2 3)"),
        (("salee",), "Error: 'salee' नाम का कोई आदेश नहीं है। (देखें kirana --help)"),
        (("remind", "--over", "x"), "Error: '--over' का मान गलत है: 'x' सही पूर्ण संख्या नहीं है।"),
        (("sale", "Priya", "--amount"), "Error: विकल्प '--amount' के साथ एक मान चाहिए।"),
        (("sale", "Priya", "--cash=1"), "Error: विकल्प '--cash' के साथ कोई मान नहीं दिया जाता।"),
    ],
)
def test_click_usage_errors_are_translated(kirana, monkeypatch, args, hindi):
    monkeypatch.setenv("KIRANA_LANG", "hi")
    result = kirana(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith(hindi), result.stderr
    monkeypatch.setenv("KIRANA_LANG", "en")  # English is Click's own text, unchanged
    assert not re.search(r"[\u0900-\u097f]", kirana(*args).stderr)


def test_every_usage_error_template_is_one_click_still_writes():
    """A Click upgrade that rewords a message would leave it English: each template (but the
    type reasons, which depend on the option) must match what Click writes today."""
    from kirana.cli.usage_errors import translated

    written = [
        "No such option: --x",
        "No such option: --crdit (Possible options: --credit)",
        "No such command 'x'.",
        "No such command 'salee'. Did you mean 'sale'?",
        "Missing argument 'customer'.",
        "Option '--amount' requires an argument.",
        "Option '--cash' does not take a value.",
        "Got unexpected extra argument(s) (2 3)",
        "Invalid value for '--over': 'x' is not a valid int.",
    ]
    from kirana import i18n, settings

    with settings.using(settings.Settings(language="hi")):
        for message in written:
            assert translated(message) != message, message
            assert i18n.language() == "hi"


# ---- amounts in Hindi words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paise", "words"),
    [
        (0, "शून्य रुपये मात्र"),
        (75, "पचहत्तर पैसे मात्र"),
        (99900, "नौ सौ निन्यानवे रुपये मात्र"),
        (10000000, "एक लाख रुपये मात्र"),
        (12500000, "एक लाख पच्चीस हज़ार रुपये मात्र"),
        (12500050, "एक लाख पच्चीस हज़ार रुपये और पचास पैसे मात्र"),
        (99999900, "नौ लाख निन्यानवे हज़ार नौ सौ निन्यानवे रुपये मात्र"),
        (1000000000, "एक करोड़ रुपये मात्र"),
        (1234567800, "एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर रुपये मात्र"),
        (10000000000, "दस करोड़ रुपये मात्र"),
        (MAX_PAISE, "एक सौ करोड़ रुपये मात्र"),  # the largest amount kirana takes
        (-5000, "ऋण पचास रुपये मात्र"),
    ],
)
def test_amounts_in_hindi_words_lakh_and_crore(paise, words):
    assert hindi_words.rupees_in_words(paise) == words


VALUES = {word: number for number, word in enumerate(hindi_words.UNITS)}
SIZES = {word: size for size, word in hindi_words.GROUPS}


def number_of(words: list[str]) -> int:
    """Read Hindi number words back (the test's own reader): groups largest first, each
    counted by the words before it, and never two groups of one size."""
    total, count, last = 0, None, None
    for word in words:
        if word in VALUES:
            assert count is None, words  # two number words in a row
            count = VALUES[word]
        else:
            size = SIZES[word]
            assert count is not None and count > 0, words
            if size == 10_000_000:  # crores are counted by a whole number below them
                total, count = (total + count) * size, None
            else:
                assert last is None or size < last, words
                assert count < 100 and (size != 100 or count < 10), words
                total, count = total + count * size, None
            last = size
    return total + (count or 0)


def crore_split(words: list[str]) -> int:
    if "करोड़" not in words:
        return number_of(words)
    at = words.index("करोड़")
    return number_of(words[:at]) * 10_000_000 + number_of(words[at + 1 :])


@given(st.integers(min_value=0, max_value=MAX_PAISE // 100))
def test_hindi_number_words_read_back_to_the_number(number):
    words = hindi_words.number_in_words(number).split()
    assert crore_split(words) == number
    assert (number == 0) == (words == ["शून्य"])


@given(st.integers(min_value=-MAX_PAISE, max_value=MAX_PAISE))
def test_hindi_amount_words_read_back_to_the_paise(paise):
    text = hindi_words.rupees_in_words(paise)
    assert text.endswith(" मात्र")
    body = text.removeprefix("ऋण ").removesuffix(" मात्र").split()
    rupees = paise_part = 0
    if "रुपये" in body:
        at = body.index("रुपये")
        rupees = crore_split(body[:at])
        body = body[at + 1 :]
        if body:
            assert body[0] == "और"
            body = body[1:]
    if body:
        assert body[-1] == "पैसे"
        paise_part = crore_split(body[:-1])
        assert 0 < paise_part < 100
    assert (-1 if text.startswith("ऋण ") else 1) * (rupees * 100 + paise_part) == paise


def test_a_statement_under_hindi_gives_its_dues_in_hindi_words(kirana, monkeypatch, clock):
    clock("2025-03-10T18:00:00")
    kirana("customer", "add", "Ramesh")
    kirana("opening", "Ramesh", "1,25,000", "--on", "2025-02-01")
    assert "Rupees One Lakh Twenty-Five Thousand Only" in kirana("statement", "Ramesh").stdout
    monkeypatch.setenv("KIRANA_LANG", "hi")
    shown = kirana("statement", "Ramesh", "-f", "md").stdout
    assert "बकाया शब्दों में:** एक लाख पच्चीस हज़ार रुपये मात्र" in shown


# ---- what stays English ------------------------------------------------------------------------


def test_a_reports_csv_and_json_stay_english_under_hindi(kirana, monkeypatch, clock):
    clock("2025-03-10T18:00:00")
    kirana("customer", "add", "Priya Madam")
    kirana("sale", "Priya", "--amount", "250", "--credit", "--on", "2025-03-02")
    commands = [
        ("statement", "Priya", "-f", "csv"),
        ("report", "month", "2025-03", "-f", "csv"),
        ("report", "gst", "2025-03", "-f", "json"),
        ("verify", "--json"),
    ]
    english = [kirana(*args).stdout for args in commands]
    monkeypatch.setenv("KIRANA_LANG", "hi")
    assert [kirana(*args).stdout for args in commands] == english
    assert english[0].startswith("Date,Entry,Description,Debit,Credit,Balance\n")
    assert "मासिक रिपोर्ट 2025-03" in kirana("report", "month", "2025-03").stdout


# ---- the import's worker processes -----------------------------------------------------------


def test_the_language_reaches_the_imports_worker_processes(tmp_path, monkeypatch):
    from kirana import settings
    from kirana.io import csv_chunks
    from kirana.io.csv_import import import_csv
    from kirana.ledger import open_ledger

    lines = ["date,type,customer,amount,method,items,reference,note,key"]
    lines += [f"01-02-2025,sale,Asha,{n + 1},cash,,,," for n in range(200)]
    lines += ["01-02-2025,sale,Asha,abc,cash,,,,"]  # in the last chunk: a worker reads it
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 500)
    found: list[str] = []
    chosen = settings.Settings(db=tmp_path / "w.db", language="hi", now="2025-03-01T10:00:00")
    with (
        settings.using(chosen),
        open_ledger(tmp_path / "w.db", create=True) as ledger,
        pytest.raises(Exception, match="खराब पंक्ति"),
    ):
        import_csv(
            ledger, path, workers=2, new_customers=True, on_problem=lambda _, why: found.append(why)
        )
    assert found == ["रकम 'abc' सही रकम नहीं है; रकम रुपयों में लिखिए, जैसे 250, 250.50 या 1,25,000"]
