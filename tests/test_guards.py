"""Guards at entry: bounds on amounts, lines, totals and dates; item names; returns against a
sale item by item; a customer whose name holds ':' or '@'. Each through the commands and the
importers, one Error line, nothing appended."""

from __future__ import annotations

import pytest

HEADER = "date,type,customer,amount,method,items,reference,note,key\n"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def events(kirana) -> int:
    return kirana("info", "--json").json()["events"]


def refused(kirana, args, text):
    before = events(kirana)
    result = kirana(*args)
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert text in result.stderr, result.stderr
    assert events(kirana) == before
    return result


@pytest.fixture
def priya(kirana):
    ok(kirana("customer", "add", "Priya Madam"))


def test_a_five_thousand_digit_amount_is_one_clear_error(kirana, priya):
    refused(kirana, ["pay", "Priya", "9" * 5000], "is more than ₹1,00,00,00,000.00")


def test_a_line_or_a_total_over_100_crore_is_refused(kirana, priya):
    refused(
        kirana,
        ["sale", "Priya", "gold:1000@99,99,99,999", "--credit"],
        "is more than ₹1,00,00,00,000.00; check the quantity and price",
    )
    lines = [f"gold{n}:1@99,00,00,000" for n in range(2)]
    refused(kirana, ["sale", "Priya", *lines, "--credit"], "the total ₹1,98,00,00,000.00 is more")


def test_a_920_line_sale_worth_lakhs_of_crores_is_refused_in_an_import(kirana, tmp_path, priya):
    items = ";".join(f"item{n}:1000:999999999" for n in range(920))
    path = tmp_path / "big.csv"
    path.write_text(HEADER + f"2025-03-01,sale,Priya Madam,,credit,{items},,,\n", "utf-8")
    result = kirana("import", path)
    assert result.exit_code == 1
    assert result.stderr.startswith("line 2: item0: 1000 × ₹99,99,99,999.00 is more than")


@pytest.mark.parametrize("when", ["0001-01-01", "31-12-1949"])
def test_dates_before_1950_are_refused(kirana, priya, tmp_path, when):
    refused(kirana, ["pay", "Priya", "10", "--on", when], "business dates run from 1950 to today")
    path = tmp_path / "old.csv"
    path.write_text(HEADER + f"{when},payment,Priya Madam,10,cash,,,,\n", "utf-8")
    result = kirana("import", path)
    assert result.exit_code == 1 and "business dates run from 1950" in result.stderr


@pytest.mark.parametrize("name", ["oil;ghee", "a@b"])
def test_item_names_may_not_hold_item_syntax(kirana, tmp_path, priya, name):
    refused(kirana, ["item", "set", name, "--price", "10", "--gst", "5"], "must be plain text")


def test_an_inline_item_name_with_a_semicolon_is_refused(kirana, priya):
    refused(kirana, ["sale", "Priya", "oil;ghee@50", "--credit"], "must be plain text")


def test_returns_against_a_sale_cannot_bring_back_more_of_an_item_than_it_sold(kirana, priya):
    ok(kirana("sale", "Priya", "atta:2@50", "soap:1@300", "--credit", "--on", "2025-03-01"))
    ok(kirana("return", "Priya", "atta:1", "--against", "2"))
    refused(kirana, ["return", "Priya", "atta:2", "--against", "2"], "sale 2 sold 2 of atta")
    ok(kirana("return", "Priya", "atta:1", "--against", "2"))
    refused(kirana, ["return", "Priya", "atta:1", "--against", "2"], "1 more is too many")
    ok(kirana("return", "Priya", "soap", "--against", "2"))


def test_an_over_return_arriving_in_jsonl_is_refused(kirana, tmp_path, monkeypatch, priya):
    """Two returns of one atta each against a sale of one: the second breaks the rule."""
    import json

    from kirana.events import Event, chain_hash

    ok(kirana("sale", "Priya", "atta:1@50", "--credit", "--on", "2025-03-01"))
    ok(kirana("return", "Priya", "atta:1", "--against", "2"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    lines = [json.loads(line) for line in export.read_text("utf-8").splitlines()]
    extra = dict(lines[-1], seq=4, id="0" * 31 + "f", prev_hash=lines[-1]["hash"])
    fields = {key: extra[key] for key in Event.__slots__ if key != "hash"}
    extra["hash"] = chain_hash(extra["prev_hash"], Event(**fields).body())
    export.write_text("".join(json.dumps(e) + "\n" for e in [*lines, extra]), "utf-8")
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    result = kirana("import", export)
    assert result.exit_code == 1 and "line 4: " in result.stderr
    assert "is too much" in result.stderr or "too many" in result.stderr


def test_a_customer_whose_name_holds_a_colon_or_at_sign_is_that_customer(kirana):
    ok(kirana("customer", "add", "Shop:2 Ramesh"))
    ok(kirana("customer", "add", "ravi@home"))
    result = ok(kirana("sale", "Shop:2 Ramesh", "atta@50", "--credit"))
    assert "Shop:2 Ramesh's dues now ₹50.00" in result.stdout
    result = ok(kirana("sale", "ravi@home", "--amount", "20", "--credit"))
    assert "ravi@home's dues now ₹20.00" in result.stdout
    walk_in = ok(kirana("sale", "milk@60", "--cash"))
    assert "Cash sale" in walk_in.stdout


def test_an_import_row_under_a_confirmation_is_a_bad_row(kirana, tmp_path, priya):
    ok(kirana("sale", "Priya", "--amount", "500", "--credit", "--on", "2025-03-01"))
    ok(kirana("confirm", "Priya", "500", "--on", "2025-03-05"))
    path = tmp_path / "late.csv"
    path.write_text(
        HEADER
        + "2025-03-04,payment,Priya Madam,100,cash,,,,\n"
        + "2025-03-06,payment,Priya Madam,100,cash,,,,\n"
        + ",void,,,,,2,typed wrong,\n",
        "utf-8",
    )
    result = kirana("import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        (
            "line 2: Priya Madam confirmed ₹500.00 on 5 Mar 2025; this row dated 4 Mar 2025 would "
            "change it. Record it with today's date, or void the confirmation first "
            "(kirana void 3 --reason …)"
        ),
        (
            "line 4: Priya Madam confirmed ₹500.00 on 5 Mar 2025; voiding entry 2 dated 1 Mar 2025 "
            "would change it. Record it with today's date, or void the confirmation first "
            "(kirana void 3 --reason …)"
        ),
        "Error: 2 bad rows; nothing imported",
    ]
    ok(kirana("void", "3", "--reason", "she disputes it now"))
    assert ok(kirana("import", path, "--json")).json()["appended"] == 3
    assert ok(kirana("verify"))


def test_a_jsonl_entry_under_a_confirmation_is_refused(kirana, tmp_path, monkeypatch, priya):
    import json

    from kirana.events import Event, chain_hash

    ok(kirana("sale", "Priya", "--amount", "500", "--credit", "--on", "2025-03-01"))
    ok(kirana("confirm", "Priya", "500", "--on", "2025-03-05"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    lines = [json.loads(line) for line in export.read_text("utf-8").splitlines()]
    late = dict(lines[1], seq=4, id="0" * 31 + "e", occurred_at="2025-03-02")
    late |= {"prev_hash": lines[-1]["hash"], "recorded_at": "2025-03-09T10:00:00.000000Z"}
    fields = {key: late[key] for key in Event.__slots__ if key != "hash"}
    late["hash"] = chain_hash(late["prev_hash"], Event(**fields).body())
    export.write_text("".join(json.dumps(e) + "\n" for e in [*lines, late]), "utf-8")
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    result = kirana("import", export)
    assert result.exit_code == 1
    assert "line 4: Priya Madam confirmed ₹500.00 on 5 Mar 2025; this entry dated 2 Mar" in (
        result.stderr
    )
