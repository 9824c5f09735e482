"""`customer merge FROM INTO`: two customers who are one person. From the merge on, every view
counts FROM's entries as INTO's; as known before it, they are still two; FROM's name is a former
name of INTO; it survives export -> import, rebuild and verify."""

from __future__ import annotations

import pytest

HEADER = "date,type,customer,amount,method,items,reference,note,key\n"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def balances(kirana, *args) -> dict[str, int]:
    rows = ok(kirana("balance", *args, "--json")).json()["balances"]
    return {row["customer"]: row["balance_paise"] for row in rows}


@pytest.fixture
def twins(kirana, tmp_path, clock):
    clock("2025-03-01T10:00:00")
    ok(kirana("customer", "add", "Sunita Didi"))
    ok(kirana("sale", "Sunita", "--amount", "300", "--credit", "--on", "2025-03-01"))
    clock("2025-03-02T10:00:00")
    path = tmp_path / "day.csv"
    path.write_text(
        HEADER
        + "2025-03-02,opening,Sunita Didii,-500,,,,advance,\n"
        + "2025-03-02,payment,Sunita Didii,100,upi,,526712345678,,\n",
        "utf-8",
    )
    ok(kirana("import", path, "--new-customers"))
    clock("2025-03-03T10:00:00")
    ok(kirana("confirm", "Sunita Didii", "600", "--advance", "--on", "2025-03-02"))
    clock("2025-03-05T10:00:00")
    merged = ok(kirana("customer", "merge", "Sunita Didii", "Sunita Didi", "--reason", "typo"))
    assert "Merged Sunita Didii into Sunita Didi: typo" in merged.stdout
    assert "Sunita Didi's dues now nil, advance ₹300.00" in merged.stdout
    clock("2025-03-06T10:00:00")


def test_every_view_counts_the_merged_customer_as_one(kirana, twins):
    assert balances(kirana) == {"Sunita Didi": -30000}
    assert balances(kirana, "Sunita Didii") == {"Sunita Didi": -30000}  # a former name
    assert balances(kirana, "--as-of", "2025-03-02") == {"Sunita Didi": -30000}
    statement = ok(kirana("statement", "Sunita Didi", "--format", "json")).json()
    assert [line["seq"] for line in statement["lines"]] == [2, 4, 5, 6]
    assert statement["closing_paise"] == -30000
    evidence = ok(kirana("dispute", "Sunita Didi", "100", "--on", "2025-03-02", "--json")).json()
    assert evidence["verdict"] == "FOUND"
    aging = ok(kirana("dues", "--aging", "--json")).json()
    assert [row["customer"] for row in aging["customers"]] == ["Sunita Didi"]
    names = [r["customer"] for r in ok(kirana("customer", "list", "--json")).json()["customers"]]
    assert names == ["Sunita Didi"]
    ok(kirana("verify"))


def test_as_known_before_the_merge_they_are_two(kirana, twins):
    before = balances(kirana, "--as-known-at", "2025-03-04")
    assert before == {"Sunita Didi": 30000, "Sunita Didii": -60000}
    after = balances(kirana, "--as-known-at", "2025-03-05T12:00")
    assert after == {"Sunita Didi": -30000}


def test_a_merge_survives_rebuild_and_export_then_import(kirana, twins, tmp_path, monkeypatch):
    ok(kirana("rebuild"))
    ok(kirana("verify"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    ok(kirana("import", export))
    assert balances(kirana) == {"Sunita Didi": -30000}
    assert balances(kirana, "--as-known-at", "2025-03-04") == {
        "Sunita Didi": 30000,
        "Sunita Didii": -60000,
    }
    ok(kirana("verify"))


def test_entries_after_the_merge_and_voids_of_old_ones_count_for_the_one_who_stays(kirana, twins):
    ok(kirana("pay", "Sunita Didii", "50"))
    assert balances(kirana) == {"Sunita Didi": -35000}
    refused = kirana("void", "5", "--reason", "was cash")  # under her confirmation
    assert refused.exit_code == 1 and "Sunita Didii confirmed -₹600.00" in refused.stderr
    ok(kirana("void", "2", "--reason", "typed twice"))  # Sunita Didi's own credit sale
    assert balances(kirana) == {"Sunita Didi": -65000}
    ok(kirana("verify"))


def test_a_merge_needs_two_customers_and_a_reason(kirana, twins):
    ok(kirana("customer", "add", "Amit Bhai"))
    same = kirana("customer", "merge", "Sunita Didii", "Sunita Didi", "--reason", "again")
    assert same.exit_code == 1
    assert "'Sunita Didii' is already 'Sunita Didi' (a former name)" in same.stderr
    prefix = kirana("customer", "merge", "Sunita", "Amit Bhai", "--reason", "x")
    assert prefix.exit_code == 1 and "type the whole name" in prefix.stderr
    unknown = kirana("customer", "merge", "Nobody", "Sunita Didi", "--reason", "x")
    assert unknown.exit_code == 1 and "no customer named 'Nobody'" in unknown.stderr
    empty = kirana("customer", "merge", "Amit Bhai", "Sunita Didi", "--reason", " ")
    assert empty.exit_code == 1 and "say why they are one customer" in empty.stderr


def test_verify_sees_a_merge_that_the_read_models_lost(kirana, twins, db_path):
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM customer_merges")
    conn.commit()
    conn.close()
    result = kirana("verify")
    assert result.exit_code == 1
    assert "customer_merges read model differs from replay" in result.stdout


def test_verify_sees_a_merge_moved_in_time(kirana, twins, db_path):
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE customer_merges SET seq = 999")
    conn.commit()
    conn.close()
    assert "customer_merges read model differs" in kirana("verify").stdout
