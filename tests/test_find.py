"""`kirana find TEXT`: entries by reference (UTR), note, invoice number, customer or amount."""

from __future__ import annotations

import pytest

from kirana.find_index import payload_texts


def _texts_matching(payload, needle, _path):
    return [path for path, text in payload_texts(payload) if needle in text.casefold()]


@pytest.fixture
def shop(kirana):
    for args in (
        ("customer", "add", "Priya Madam"),
        ("customer", "add", "Ramesh"),
        ("sale", "Priya", "--amount", "500", "--credit", "--note", "Bottle leaking, replace"),
        ("pay", "Priya", "500", "--upi", "--ref", "526712345678"),
        ("pay", "Ramesh", "120", "--upi", "--ref", "998877"),
        ("customer", "update", "Priya", "--name", "Priya Sharma"),
        ("pay", "Priya", "33"),
        ("void", "7", "--reason", "typed twice"),
    ):
        assert kirana(*args).exit_code == 0, kirana(*args).stderr
    return kirana


def seqs(result) -> list[int]:
    return [row["seq"] for row in result.json()["matches"]]


def test_part_of_a_utr_finds_the_payment(shop):
    result = shop("find", "5267", "--json")
    assert result.exit_code == 0
    (row,) = result.json()["matches"]
    assert (
        row["seq"] == 4 and row["reference"] == "526712345678" and row["matched"] == ["reference"]
    )
    assert row["amount_paise"] == 50000 and row["amount"] == "500.00"


def test_words_of_a_note_are_found_in_any_case(shop):
    (row,) = shop("find", "bottle LEAK", "--json").json()["matches"]
    assert (row["seq"], row["matched"], row["note"]) == (3, ["note"], "Bottle leaking, replace")


def test_a_customer_is_found_under_every_name_they_have_had(shop):
    # entries recorded as Priya Madam and as Priya Sharma, found by either name; newest first
    assert seqs(shop("find", "sharma", "--json")) == [8, 7, 6, 4, 3, 1]
    assert seqs(shop("find", "madam", "--json")) == [8, 7, 6, 4, 3, 1]


def test_an_amount_finds_entries_of_exactly_that_amount(shop):
    result = shop("find", "₹500.00", "--json").json()
    assert result["amount_paise"] == 50000
    assert [(r["seq"], r["matched"]) for r in result["matches"]] == [
        (4, ["amount"]),
        (3, ["amount"]),
    ]
    assert seqs(shop("find", "120", "--json")) == [5]


def test_a_method_word_is_not_text_anyone_typed(shop):
    assert seqs(shop("find", "upi", "--json")) == []


def test_a_voided_entry_is_found_and_marked(shop):
    (row,) = shop("find", "33", "--json").json()["matches"]
    assert (row["seq"], row["voided_by"]) == (7, 8)
    table = shop("find", "33").stdout
    assert "Payment (Cash) VOIDED by #8" in table


def test_the_newest_matches_up_to_the_limit(shop):
    result = shop("find", "priya", "--limit", "2", "--json").json()
    assert seqs_of(result) == [8, 7] and result["more"] is True
    assert "the newest 2 shown (--limit for more)" in shop("find", "priya", "-n", "2").stdout


def seqs_of(payload: dict) -> list[int]:
    return [row["seq"] for row in payload["matches"]]


def test_an_invoice_number_finds_its_sale(shop):
    (row,) = shop("find", "inv/2024-25/0001", "--json").json()["matches"]
    assert (row["seq"], row["type"], row["matched"]) == (3, "sale", ["voucher"])
    assert row["voucher"] == "INV/2024-25/0001"


def test_nothing_found_and_bad_input(shop):
    assert shop("find", "zzz").stdout == "Nothing found for 'zzz'.\n"
    empty = shop("find", "  ")
    assert empty.exit_code == 1
    assert empty.stderr == ("Error: say what to find, e.g. kirana find 4512AB or kirana find 500\n")
    assert shop("find", "x", "--limit", "0").stderr == "Error: --limit must be 1 or more\n"


def test_any_text_field_of_a_payload_is_searched_an_invoice_number_included():
    payload = {
        "amount_paise": 100,
        "method": "upi",
        "invoice_no": "INV/2025-26/0042",
        "items": [{"name": "Atta", "unit": "kg"}],
    }
    assert list(_texts_matching(payload, "0042", "")) == ["invoice_no"]
    assert list(_texts_matching(payload, "atta", "")) == ["items.name"]
    assert list(_texts_matching(payload, "kg", "")) == []


def test_where_it_was_found_is_said_in_hindi_and_json_keeps_the_path(shop, monkeypatch):
    monkeypatch.setenv("KIRANA_LANG", "hi")
    screen = shop("find", "5267").stdout
    assert "संदर्भ" in screen.splitlines()[-2] and "reference" not in screen
    assert shop("find", "5267", "--json").json()["matches"][0]["matched"] == ["reference"]
