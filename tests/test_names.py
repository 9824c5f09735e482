"""Names and free text: NFC, no invisible or control characters, a letter or digit, and no
customer that reads like another (commands, CSV rows and JSONL events alike)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana.errors import InputError
from kirana.events import Event, chain_hash
from kirana.names import LookAlikes, clean_name, skeleton

HEADER = "date,type,customer,amount,method,items,reference,note,key\n"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def refused(result, text: str):
    assert result.exit_code == 1, result.stdout
    assert text in result.stderr, result.stderr
    return result


def count(kirana) -> int:
    return kirana("info", "--json").json()["events"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Pri\u200bya", "U+200B (ZERO WIDTH SPACE) at position 4"),
        ("\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE) at position 1"),
        ("Priya\u202eamadaM", "U+202E (RIGHT-TO-LEFT OVERRIDE) at position 6"),
        ("Priya\x1b[31m", "U+001B (a control character) at position 6"),
        ("..", "has no letter or digit"),
    ],
)
def test_invisible_and_control_characters_are_refused_in_names(kirana, name, message):
    ok(kirana("customer", "add", "Amit Bhai"))
    before = count(kirana)
    result = refused(kirana("customer", "add", name), message)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert count(kirana) == before


def test_a_cyrillic_look_alike_of_a_customer_is_refused_naming_them(kirana, tmp_path):
    ok(kirana("customer", "add", "Priya Madam"))
    refused(
        kirana("customer", "add", "\u0420riya Madam"),
        "'\u0420riya Madam' looks the same as the customer 'Priya Madam' "
        "(U+0420 (CYRILLIC CAPITAL LETTER ER) at position 1)",
    )
    ok(kirana("customer", "add", "Amit Bhai"))
    refused(kirana("customer", "update", "Amit", "--name", "Priya M\u0430dam"), "Priya Madam")
    path = tmp_path / "day.csv"
    path.write_text(HEADER + "2025-03-01,sale,\u0420riya Madam,40,credit,,,,\n", "utf-8")
    refused(kirana("import", path), "line 2: customer '\u0420riya Madam' is not in the ledger")


def test_a_jsonl_customer_that_reads_like_another_is_refused(kirana, tmp_path, monkeypatch):
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("customer", "add", "Amit Bhai"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    first, second = (json.loads(line) for line in export.read_text("utf-8").splitlines())
    second["customer"] = "\u0420riya Madam"
    fields = {key: second[key] for key in Event.__slots__ if key != "hash"}
    second["hash"] = chain_hash(second["prev_hash"], Event(**fields).body())
    export.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", "utf-8")
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    refused(kirana("import", export), "line 2: '\u0420riya Madam' looks the same as")


def test_renaming_a_customer_to_another_case_of_their_own_name_is_fine(kirana):
    ok(kirana("customer", "add", "priya madam"))
    ok(kirana("customer", "update", "priya", "--name", "Priya Madam"))


def test_devanagari_names_and_their_joiners_are_kept(kirana):
    ok(kirana("customer", "add", "सुनीता दीदी"))
    ok(kirana("customer", "add", "क्\u200dष"))  # a half form: ZWJ after the virama
    names = [row["customer"] for row in kirana("customer", "list", "--json").json()["customers"]]
    assert "क्\u200dष" in names and "सुनीता दीदी" in names


def test_names_are_stored_in_nfc_and_found_either_way(kirana):
    decomposed = "Rame\u0301sh"
    ok(kirana("customer", "add", decomposed))
    names = [row["customer"] for row in kirana("customer", "list", "--json").json()["customers"]]
    assert names == ["Ram\u00e9sh"]
    ok(kirana("pay", "Ram\u00e9sh", "10"))
    ok(kirana("pay", decomposed, "10"))


def test_control_characters_in_notes_and_references_are_refused(kirana, tmp_path):
    ok(kirana("customer", "add", "Priya Madam"))
    before = count(kirana)
    refused(kirana("pay", "Priya", "10", "--ref", "UPI\x1b]0;x\x07"), "reference has an invisible")
    refused(kirana("pay", "Priya", "10", "--note", "ok\u202e"), "note has an invisible")
    path = tmp_path / "day.csv"
    path.write_text(HEADER + "2025-03-01,payment,Priya Madam,40,cash,,\x1b[2J,,\n", "utf-8")
    refused(kirana("import", path), "line 2: ")
    assert count(kirana) == before


def test_an_import_row_for_a_look_alike_is_a_bad_row_unless_new_customers(kirana, tmp_path):
    ok(kirana("customer", "add", "Sunita Didi"))
    path = tmp_path / "day.csv"
    path.write_text(
        HEADER
        + "2025-03-01,opening,Sunita Didii,500,,,,,\n"
        + "2025-03-01,sale,Sunita,40,credit,,,,\n"
        + "2025-03-01,sale,Meena Madam,40,credit,,,,\n"
        + "2025-03-01,sale,Meena Madem,40,credit,,,,\n",
        "utf-8",
    )
    result = refused(kirana("import", path), "did you mean 'Sunita Didi'?")
    lines = result.stderr.splitlines()
    assert lines[0].startswith("line 2: customer 'Sunita Didii' is not in the ledger")
    assert lines[1].startswith("line 3: customer 'Sunita' is not in the ledger")
    assert lines[2] == (
        "line 5: customer 'Meena Madem' is not in the ledger, but looks like 'Meena Madam'; "
        "did you mean 'Meena Madam'? Fix the name, or import with --new-customers to add them"
    )
    assert lines[-1] == "Error: 3 bad rows; nothing imported"
    dry = ok(kirana("import", path, "--dry-run", "--new-customers"))
    assert "Customers it would add (4): Sunita Didii, Sunita, Meena Madam, Meena Madem" in (
        dry.stdout
    )
    assert ok(kirana("import", path, "--new-customers", "--json")).json()["appended"] == 4


def test_clearly_different_names_are_not_look_alikes():
    known = LookAlikes()
    for number, name in enumerate(["Priya Madam", "Amit Bhai", "Gurpreet Aunty", "Om"]):
        known.add(name, number)
    assert known.find("Simran Aunty") is None
    assert known.find("Amitabh") is None  # 'amit' is a prefix of both, but neither of the other
    assert known.find("Omkar") is None  # too short a prefix to count
    assert known.find("Harpreet Aunty") == ("Gurpreet Aunty", 2)  # two edits apart


latin_twins = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441"}


@given(st.text(min_size=1, max_size=30))
def test_cleaning_a_name_is_idempotent_and_leaves_nothing_invisible(text):
    try:
        name = clean_name(text)
    except InputError:
        return
    assert name == unicodedata.normalize("NFC", name)
    assert clean_name(name) == name
    for index, char in enumerate(name):
        if unicodedata.category(char) in ("Cc", "Cf"):
            assert char in "\u200c\u200d" and index > 0


@given(st.text(alphabet="aeopcmdhy ", min_size=1, max_size=20))
def test_a_name_with_cyrillic_twins_for_its_latin_letters_has_the_same_skeleton(text):
    twin = "".join(latin_twins.get(char, char) for char in text)
    assert skeleton(twin) == skeleton(text)


def test_who_records_may_not_hide_control_characters(kirana, monkeypatch):
    result = kirana("--by", "ram\x1b[2J", "customer", "add", "Zed")
    assert result.exit_code == 1
    assert "--by (KIRANA_USER) has an invisible or control character U+001B" in result.stderr
    monkeypatch.setenv("KIRANA_USER", "ram\u202e")
    assert kirana("customer", "add", "Zed").exit_code == 1
    monkeypatch.setenv("KIRANA_USER", "  Ram Lal  ")
    ok(kirana("customer", "add", "Zed"))
    assert kirana("log", "--json").json()["events"][-1]["recorded_by"] == "Ram Lal"


def test_the_shop_name_is_clean_text_too(kirana):
    result = kirana("shop", "set", "--name", "Sharma\x1b[2J Store")
    assert result.exit_code == 1 and "shop name has an invisible or control character" in (
        result.stderr
    )
    ok(kirana("shop", "set", "--name", "शर्मा किराना"))


@pytest.mark.parametrize("hidden", ["Priya\u200d", "Priya\u3164", "\u3164", "Pri\u034fya"])
def test_fillers_and_latin_joiners_are_invisible_too(hidden):
    with pytest.raises(InputError, match="invisible or control character"):
        clean_name(hidden)


def test_a_capital_i_for_a_small_l_reads_the_same():
    assert skeleton("AniI") == skeleton("Anil")
