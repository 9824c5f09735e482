"""Invoice series and customers' GSTINs: every sale an invoice number, every return a credit
note number, per financial year, consecutive in entry order, assigned inside the event by
every write path (commands, both paths of the CSV import) and checked by the JSONL import."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kirana import invoices
from kirana.events import canonical_json

GSTIN = "27AAPFU0939F1ZV"
HEADER = "date,type,customer,amount,method,items,reference,note,key\n"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture(autouse=True)
def _september(monkeypatch):
    monkeypatch.setenv("KIRANA_NOW", "2025-09-30T18:00:00")


def numbers(kirana) -> list[tuple[int, str, str | None]]:
    events = [json.loads(line) for line in ok(kirana("export")).stdout.splitlines()]
    return [
        (e["seq"], e["type"], e["data"].get("voucher"))
        for e in events
        if e["type"] in ("sale", "return")
    ]


# ---- customers' GSTINs ---------------------------------------------------------------------
def test_a_customer_carries_a_checked_gstin(kirana):
    result = ok(kirana("customer", "add", "Mehta Traders", "--gstin", GSTIN.lower(), "--json"))
    assert result.json()["data"] == {"gstin": GSTIN}
    ok(kirana("customer", "add", "Ravi"))
    result = ok(kirana("customer", "update", "Ravi", "--gstin", GSTIN, "--json"))
    assert result.json()["data"] == {"gstin": GSTIN}


def test_a_mistyped_customer_gstin_is_refused_by_the_one_check(kirana):
    result = kirana("customer", "add", "Mehta Traders", "--gstin", "27AAPFU0939F1ZX")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: GSTIN '27AAPFU0939F1ZX' fails its check character")
    result = kirana("customer", "add", "Mehta Traders", "--gstin", "27AAPFU")
    assert result.stderr == ("Error: GSTIN '27AAPFU' is not 15 characters like 27AAPFU0939F1ZV\n")
    assert ok(kirana("info", "--json")).json()["events"] == 0


# ---- the series ----------------------------------------------------------------------------
def test_sales_and_returns_are_numbered_per_financial_year_in_entry_order(kirana):
    ok(kirana("customer", "add", "Priya"))
    first = ok(kirana("sale", "Priya", "--amount", "100", "--credit", "--on", "2025-03-31"))
    assert first.stdout.startswith("#2 Credit sale INV/2024-25/0001 ₹100.00")
    ok(kirana("sale", "--amount", "50", "--cash", "--on", "2025-04-01"))
    ok(kirana("sale", "--amount", "60", "--cash", "--on", "2025-03-30"))  # back-dated: 2024-25
    ok(kirana("return", "Priya", "--amount", "10", "--on", "2025-04-02"))
    ok(kirana("void", "3", "--reason", "typed twice"))
    ok(kirana("sale", "--amount", "70", "--upi", "--on", "2025-04-03"))
    assert numbers(kirana) == [
        (2, "sale", "INV/2024-25/0001"),
        (3, "sale", "INV/2025-26/0001"),
        (4, "sale", "INV/2024-25/0002"),
        (5, "return", "CN/2025-26/0001"),
        (8 - 1, "sale", "INV/2025-26/0002"),  # the voided #3 keeps its number: cancelled
    ]
    ok(kirana("verify"))


def test_the_csv_import_numbers_rows_in_file_order_on_both_paths(kirana, tmp_path):
    ok(kirana("sale", "--amount", "5", "--cash", "--on", "2025-09-01"))
    path = tmp_path / "day.csv"
    path.write_text(
        HEADER
        + "2025-09-02,sale,Priya,100,credit,,,,\n"
        + "2025-09-02,sale,,20,cash,,,,\n"
        + "2025-09-02,void,,,,,1,typed wrong,\n"  # the one-at-a-time path
        + "2025-09-03,return,Priya,10,khata,,,,\n"
        + "2025-09-03,sale,,30,upi,,,,\n",
        encoding="utf-8",
    )
    ok(kirana("import", path))
    assert [number for _seq, _kind, number in numbers(kirana)] == [
        "INV/2025-26/0001",
        "INV/2025-26/0002",
        "INV/2025-26/0003",
        "CN/2025-26/0001",
        "INV/2025-26/0004",
    ]
    ok(kirana("verify"))
    ok(kirana("sale", "--amount", "5", "--cash", "--on", "2025-09-04"))
    assert numbers(kirana)[-1][2] == "INV/2025-26/0005"


def test_a_jsonl_copy_keeps_the_numbers_and_a_wrong_number_is_refused(
    kirana, tmp_path, monkeypatch
):
    ok(kirana("sale", "--amount", "5", "--cash", "--on", "2025-09-01"))
    ok(kirana("sale", "--amount", "6", "--cash", "--on", "2025-09-01"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    ok(kirana("import", export))
    assert [n for *_, n in numbers(kirana)] == ["INV/2025-26/0001", "INV/2025-26/0002"]

    from kirana.events import Event, chain_hash

    lines = [json.loads(line) for line in export.read_text("utf-8").splitlines()]
    second = lines[1]
    second["data"]["voucher"] = "INV/2025-26/0007"
    fields = {key: second[key] for key in Event.__slots__ if key != "hash"}
    second["hash"] = chain_hash(second["prev_hash"], Event(**fields).body())
    export.write_text("".join(json.dumps(e) + "\n" for e in lines), "utf-8")
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "other.db"))
    result = kirana("import", export)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "line 2: invoice number INV/2025-26/0007 is not the next of its series (INV/2025-26/0002)"
    )


def test_verify_compares_the_series_with_the_replay_and_rebuild_restores_it(kirana, db_path):
    ok(kirana("sale", "--amount", "5", "--cash", "--on", "2025-09-01"))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE invoice_series SET next_number = 9")
    conn.commit()
    conn.close()
    result = kirana("verify")
    assert result.exit_code == 1
    assert "PROBLEM: invoice_series read model differs from replay;" in result.stdout
    ok(kirana("rebuild"))
    ok(kirana("verify"))
    ok(kirana("sale", "--amount", "5", "--cash", "--on", "2025-09-01"))
    assert numbers(kirana)[-1][2] == "INV/2025-26/0002"


# ---- the numbers themselves ------------------------------------------------------------------
@given(st.sampled_from(["INV", "CN"]), st.integers(2000, 2098), st.integers(1, 10**8 - 1))
def test_numbers_fit_16_characters_and_read_back(prefix, year, number):
    text = invoices.format_number(prefix, year, number)
    assert len(text) <= 16
    assert invoices.parse_number(text) == (invoices.series_name(prefix, year), number)
    assert invoices.series_of(text) == invoices.parse_number(text)


LINE = st.fixed_dictionaries(
    {
        "name": st.text(min_size=1, max_size=8),
        "qty": st.sampled_from(["1", "0.5", "2"]),
        "unit": st.sampled_from(["kg", "pcs", ""]),
        "hsn": st.sampled_from(["", "1101"]),
        "gst_rate": st.sampled_from(["0", "5"]),
        "unit_price_paise": st.integers(1, 10**6),
        "total_paise": st.integers(1, 10**6),
    }
)
PAYLOAD = st.fixed_dictionaries(
    {"amount_paise": st.integers(1, 10**9), "method": st.sampled_from(["cash", "credit"])},
    optional={
        "items": st.lists(LINE, min_size=1, max_size=3),
        "reference": st.text(max_size=10),
        "note": st.text(max_size=10),
        "duplicate_ref": st.just(True),
        "settlement": st.sampled_from(["khata", "cash"]),
        "against": st.integers(1, 99),
        "import_key": st.text(max_size=10),
        "import_content": st.text(max_size=10),
    },
)


@settings(max_examples=200)
@given(PAYLOAD, st.integers(1, 99999))
def test_the_import_adds_the_number_to_planned_json_as_canonical_json_would(data, number):
    voucher = invoices.format_number("INV", 2025, number)
    spliced = invoices.with_voucher(canonical_json(data), voucher)
    assert spliced == canonical_json({**data, "voucher": voucher})


def test_statements_and_the_csv_export_show_the_numbers(kirana, tmp_path):
    ok(kirana("customer", "add", "Priya"))
    ok(kirana("sale", "Priya", "--amount", "100", "--credit", "--on", "2025-09-01"))
    ok(kirana("return", "Priya", "--amount", "10", "--on", "2025-09-02"))
    statement = ok(kirana("statement", "Priya", "--format", "csv")).stdout
    assert "Credit sale INV/2025-26/0001" in statement
    assert "Return to khata CN/2025-26/0001" in statement
    out = tmp_path / "khata.csv"
    ok(kirana("export", "--format", "csv", "--out", out))
    rows = out.read_text("utf-8").splitlines()
    assert rows[0].endswith(",key,invoice")
    assert rows[1].endswith(",INV/2025-26/0001") and rows[2].endswith(",CN/2025-26/0001")
    result = ok(kirana("--db", tmp_path / "copy.db", "import", out, "--json"))
    assert result.json()["appended"] == 2  # the column is ignored; the copy numbers afresh


def test_past_9999_a_series_drops_the_century_to_stay_within_16_characters(kirana, db_path):
    ok(kirana("sale", "--amount", "5", "--cash", "--on", "2025-09-01"))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE invoice_series SET next_number = 9999")  # a busy year, in a test
    conn.commit()
    conn.close()
    ok(kirana("sale", "--amount", "5", "--cash", "--on", "2025-09-02"))
    ok(kirana("sale", "--amount", "5", "--cash", "--on", "2025-09-03"))
    assert [n for *_, n in numbers(kirana)][1:] == ["INV/2025-26/9999", "INV/25-26/10000"]
    ok(kirana("verify"))
