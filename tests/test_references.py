"""A transfer's reference (UPI UTR, card slip, cheque, bank reference) is counted once: a second
live sale or payment with the same method and reference is refused (or recorded on purpose with
--duplicate-ref), through the commands, the CSV import and the JSONL import."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kirana.events import SCHEMA_VERSION, Event, chain_hash

HEADER = "date,type,customer,amount,method,items,reference,note,key\n"
UTR = "421356789012"
FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def events(kirana) -> int:
    return kirana("info", "--json").json()["events"]


@pytest.fixture
def paid(kirana):
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("customer", "add", "Amit Bhai"))
    ok(kirana("pay", "Priya", "500", "--upi", "--ref", UTR, "--on", "2025-03-03"))


def test_a_reference_already_used_is_refused_naming_the_entry(kirana, paid):
    before = events(kirana)
    result = kirana("pay", "Amit", "500", "--upi", "--ref", UTR)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: UPI reference '{UTR}' is already on entry 3 (Payment (UPI) ref {UTR} ₹500.00 "
        "from Priya Madam on 3 Mar 2025); if this entry is another transfer with the same "
        "reference, record it with --duplicate-ref\n"
    )
    assert events(kirana) == before
    sale = kirana("sale", "Amit", "--amount", "20", "--upi", "--ref", UTR)
    assert sale.exit_code == 1 and "already on entry 3" in sale.stderr


def test_duplicate_ref_records_it_on_purpose_and_says_so_in_the_event(kirana, paid):
    result = ok(kirana("pay", "Amit", "500", "--upi", "--ref", UTR, "--duplicate-ref", "--json"))
    assert result.json()["data"]["duplicate_ref"] is True
    assert result.json()["schema"] == SCHEMA_VERSION
    bad = kirana("pay", "Amit", "5", "--duplicate-ref")
    assert bad.exit_code == 1 and "--duplicate-ref is for a UPI, card" in bad.stderr


def test_other_methods_cash_and_voided_entries_do_not_count(kirana, paid):
    ok(kirana("pay", "Amit", "50", "--cash", "--ref", UTR))
    ok(kirana("pay", "Amit", "50", "--card", "--ref", UTR))
    ok(kirana("void", "3", "--reason", "typed against the wrong customer"))
    ok(kirana("pay", "Amit", "500", "--upi", "--ref", UTR))
    assert ok(kirana("verify"))


def test_csv_rows_with_a_known_or_repeated_reference_are_bad_rows(kirana, tmp_path, paid):
    path = tmp_path / "day.csv"
    path.write_text(
        HEADER
        + f"2025-03-05,payment,Amit Bhai,100,upi,,{UTR},,\n"
        + "2025-03-05,payment,Amit Bhai,100,upi,,526712345678,,\n"
        + "2025-03-06,payment,Amit Bhai,100,upi,,526712345678,,\n",
        "utf-8",
    )
    result = kirana("import", path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"line 2: UPI reference '{UTR}' is already on entry 3")
    assert lines[1].startswith("line 4: UPI reference '526712345678' is already on line 3 of")
    assert "if this row is another transfer" in lines[1]
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(HEADER + "2025-03-05,payment,Amit Bhai,100,upi,,526712345678,,\n", "utf-8")
    ok(kirana("import", fixed))
    again = ok(kirana("import", fixed, "--json")).json()
    assert (again["appended"], again["duplicates"]) == (0, 1)  # its own key: a duplicate


def test_jsonl_round_trip_keeps_a_duplicate_ref_and_refuses_an_unflagged_one(
    kirana, tmp_path, monkeypatch, paid
):
    ok(kirana("pay", "Amit", "500", "--upi", "--ref", UTR, "--duplicate-ref"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "copy.db"))
    assert ok(kirana("import", export, "--json")).json()["appended"] == 4
    lines = [json.loads(line) for line in export.read_text("utf-8").splitlines()]
    del lines[-1]["data"]["duplicate_ref"]
    fields = {key: lines[-1][key] for key in Event.__slots__ if key != "hash"}
    lines[-1]["hash"] = chain_hash(lines[-1]["prev_hash"], Event(**fields).body())
    export.write_text("".join(json.dumps(e) + "\n" for e in lines), "utf-8")
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "third.db"))
    result = kirana("import", export)
    assert result.exit_code == 1 and "line 4: UPI reference" in result.stderr


def test_an_old_ledger_learns_its_references_when_it_is_opened(kirana, tmp_path, monkeypatch):
    copy = tmp_path / "old.db"
    shutil.copyfile(FIXTURE / "release-0.1.db", copy)
    monkeypatch.setenv("KIRANA_DB", str(copy))
    monkeypatch.setenv("KIRANA_NOW", "2025-04-02T12:00:00")
    result = kirana("pay", "Amit", "300", "--upi", "--ref", UTR)
    assert result.exit_code == 1 and "already on entry 101" in result.stderr
    assert ok(kirana("verify"))


def test_verify_compares_the_references_with_the_replay(kirana, db_path, paid):
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM entry_references")
    conn.commit()
    conn.close()
    result = kirana("verify")
    assert result.exit_code == 1
    assert "entry_references read model differs from replay" in result.stdout


def test_a_reference_voided_earlier_in_the_file_is_free_again(kirana, tmp_path, paid):
    path = tmp_path / "fix.csv"
    path.write_text(
        HEADER
        + "2025-03-05,payment,Amit Bhai,100,upi,,UTR777,,\n"
        + ",void,,,,,4,wrong amount,\n"
        + "2025-03-05,payment,Amit Bhai,150,upi,,UTR777,,\n",
        "utf-8",
    )
    result = ok(kirana("import", path, "--json"))
    assert result.json()["appended"] == 3


def test_a_row_refused_for_its_reference_adds_no_customer(kirana, tmp_path, paid):
    path = tmp_path / "new.csv"
    path.write_text(HEADER + f"2025-03-05,payment,Zoya Khan,100,upi,,{UTR},,\n", "utf-8")
    result = kirana("import", path, "--skip-invalid", "--json")
    assert result.exit_code == 0 and result.json()["rejected"] == 1
    names = [c["customer"] for c in kirana("customer", "list", "--json").json()["customers"]]
    assert "Zoya Khan" not in names
