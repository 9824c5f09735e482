"""One rule, one place: the commands, the CSV import and the JSONL import obey the same rule
functions and give the same warnings."""

from __future__ import annotations

import json

import pytest

from kirana.rules import ledger_checks, payloads, references

HEADER = "date,type,customer,amount,method,items,reference,note,key\n"
OVER = "Priya Madam's dues ₹700.00 are over their credit limit of ₹500.00"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def priya_with_limit(kirana):
    ok(kirana("customer", "add", "Priya Madam", "--limit", "500"))


def test_sale_warns_over_the_limit(kirana, priya_with_limit):
    ok(kirana("sale", "Priya", "--amount", "400", "--credit", "--on", "2025-03-01"))
    result = ok(kirana("sale", "Priya", "--amount", "300", "--credit", "--on", "2025-03-02"))
    assert result.stderr == f"Warning: {OVER}\n"


def test_csv_import_warns_over_the_limit_as_sale_does(kirana, tmp_path, priya_with_limit):
    path = tmp_path / "day.csv"
    path.write_text(
        HEADER
        + "2025-03-01,sale,Priya Madam,400,credit,,,,\n"
        + "2025-03-02,sale,Priya Madam,300,credit,,,,\n",
        encoding="utf-8",
    )
    result = ok(kirana("import", path, "--dry-run"))
    assert result.stderr == f"Warning: {OVER}\n"
    result = ok(kirana("import", path, "--json"))
    assert result.json()["warnings"] == [OVER]
    assert result.stderr == f"Warning: {OVER}\n"


def test_csv_import_warns_once_per_customer_with_the_latest_dues(
    kirana, tmp_path, priya_with_limit
):
    path = tmp_path / "day.csv"
    path.write_text(
        HEADER
        + "2025-03-01,sale,Priya Madam,600,credit,,,,\n"
        + "2025-03-02,payment,Priya Madam,50,cash,,,,\n"
        + "2025-03-02,sale,Priya Madam,150,credit,,,,\n"
        + "2025-03-02,sale,Priya Madam,150,cash,,,,\n",
        encoding="utf-8",
    )
    result = ok(kirana("import", path, "--json"))
    assert result.json()["warnings"] == [OVER]


def test_csv_import_under_the_limit_does_not_warn(kirana, tmp_path, priya_with_limit):
    path = tmp_path / "day.csv"
    path.write_text(HEADER + "2025-03-01,sale,Priya Madam,400,credit,,,,\n", encoding="utf-8")
    result = ok(kirana("import", path, "--json"))
    assert result.json()["warnings"] == []
    assert result.stderr == ""


def test_jsonl_import_warns_over_the_limit(kirana, tmp_path, priya_with_limit, monkeypatch):
    ok(kirana("sale", "Priya", "--amount", "700", "--credit", "--on", "2025-03-01"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    result = ok(kirana("import", export, "--json"))
    assert result.json()["warnings"] == [OVER]


def _counting(monkeypatch, module, name: str) -> list:
    calls: list = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_the_three_write_paths_build_a_sale_with_the_same_rule(kirana, tmp_path, monkeypatch):
    """`sale`, a CSV row and a JSONL event all go through payloads.sale_data."""
    calls = _counting(monkeypatch, payloads, "sale_data")
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("sale", "Priya", "--amount", "10", "--cash"))
    assert calls == ["sale_data"]
    path = tmp_path / "day.csv"
    path.write_text(HEADER + "2025-03-01,sale,Priya Madam,20,cash,,,,\n", encoding="utf-8")
    ok(kirana("import", path))
    assert calls == ["sale_data"] * 2
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    ok(kirana("import", export))
    assert calls == ["sale_data"] * 4  # the JSONL import checks both sales by their builder


def test_the_three_write_paths_check_returns_with_the_same_rule(kirana, tmp_path, monkeypatch):
    calls = _counting(monkeypatch, ledger_checks, "check_return_against")
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("sale", "Priya", "--amount", "100", "--credit", "--on", "2025-03-01"))
    ok(kirana("return", "Priya", "--amount", "30", "--against", "2"))
    assert calls == ["check_return_against"]
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    ok(kirana("import", export))
    assert calls == ["check_return_against"] * 2


def test_an_arriving_payload_with_an_unknown_field_is_refused(kirana, tmp_path):
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("pay", "Priya", "10", "--on", "2025-03-01"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    from kirana.events import Event, chain_hash

    lines = export.read_text(encoding="utf-8").splitlines()
    payment = json.loads(lines[1])
    payment["data"]["discount_paise"] = 500
    fields = {k: payment[k] for k in Event.__slots__ if k not in ("hash",)}
    payment["hash"] = chain_hash(payment["prev_hash"], Event(**fields).body())
    export.write_text(lines[0] + "\n" + json.dumps(payment) + "\n", encoding="utf-8")
    result = kirana("--db", tmp_path / "copy.db", "import", export)
    assert result.exit_code == 1
    assert "line 2: a payment's data is not what kirana records (check discount_paise)" in (
        result.stderr
    )


def test_sale_words_are_resolved_by_the_core(ledger):
    """`sale Priya atta:1` vs a walk-in `sale atta:1`: decided in kirana.rules.words."""
    from kirana import recording
    from kirana.rules import words

    recording.add_customer(ledger, "Priya Madam")
    recording.set_item(ledger, "atta", price_paise=25000, gst="5", effective_from="2025-01-01")
    from datetime import date

    day = date(2025, 3, 1)
    assert words.split_customer_and_items(ledger, "priya", ["atta:1"], day) == (
        "priya",
        ["atta:1"],
    )
    assert words.split_customer_and_items(ledger, "atta", ["milk@60"], day) == (
        None,
        ["atta", "milk@60"],
    )
    assert words.split_customer_and_items(ledger, "atta:2", [], day) == (None, ["atta:2"])


def test_the_write_paths_build_a_payment_with_the_same_rule(kirana, tmp_path, monkeypatch):
    """`pay`, a CSV row and a bank statement's credit all go through payloads.payment_data and
    are checked against confirmations and references by the same ledger checks."""
    from statements import A, write

    built = _counting(monkeypatch, payloads, "payment_data")
    confirmed = _counting(monkeypatch, ledger_checks.ConfirmedDues, "check")
    referenced = _counting(monkeypatch, references.References, "check")
    ok(kirana("customer", "add", "Priya Sharma"))
    ok(kirana("customer", "update", "Priya", "--upi-id", "priya.s@okaxis"))
    ok(kirana("pay", "Priya", "10", "--on", "2025-02-01"))
    assert built == ["payment_data"]
    path = tmp_path / "day.csv"
    path.write_text(HEADER + "2025-02-02,payment,Priya Sharma,20,cash,,,,\n", encoding="utf-8")
    ok(kirana("import", path))
    assert built == ["payment_data"] * 2
    confirmed.clear(), referenced.clear()
    ok(kirana("import", write(tmp_path / "hdfc.csv", "hdfc", A), "--format", "bank"))
    assert built == ["payment_data"] * 3  # Priya's credit; the others are not hers
    assert (confirmed, referenced) == (["check"], ["check"])
