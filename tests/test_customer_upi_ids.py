"""`customer update --upi-id`: several UPI ids per customer, each belonging to one customer,
kept in the customer_upi_ids read model (checked by verify, rebuilt by rebuild, followed by
merges) and carried by customer_updated events (schema 3, optional `upi_ids`)."""

from __future__ import annotations

import json
import sqlite3

import pytest


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def two(kirana):
    ok(kirana("customer", "add", "Priya Madam", "--phone", "9876543210"))
    ok(kirana("customer", "add", "Amit Bhai"))


def _upi_ids(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return sorted(conn.execute("SELECT vpa, customer_id FROM customer_upi_ids"))
    finally:
        conn.close()


def test_several_upi_ids_are_added_lower_cased(kirana, two, db_path):
    ok(kirana("customer", "update", "Priya", "--upi-id", "Priya.S@OkAxis", "--upi-id", "98@ybl"))
    ok(kirana("customer", "update", "Priya", "--upi-id", "priya.home@oksbi"))
    listed = ok(kirana("customer", "list", "--json")).json()["customers"]
    assert [row["upi_ids"] for row in listed] == [
        [],
        ["98@ybl", "priya.s@okaxis", "priya.home@oksbi"],
    ]
    events = json.loads(ok(kirana("log", "--json")).stdout)["events"]
    updates = [e for e in events if e["type"] == "customer_updated"]
    assert updates[0]["data"] == {"upi_ids": ["priya.s@okaxis", "98@ybl"]}
    assert updates[0]["schema"] == 3
    assert _upi_ids(db_path) == [("98@ybl", 1), ("priya.home@oksbi", 1), ("priya.s@okaxis", 1)]


def test_a_upi_id_of_another_customer_is_refused(kirana, two):
    ok(kirana("customer", "update", "Priya", "--upi-id", "priya.s@okaxis"))
    result = kirana("customer", "update", "Amit", "--upi-id", "PRIYA.S@okaxis")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: UPI id priya.s@okaxis is already Priya Madam's; a UPI id belongs to one customer"
        " (if they are one person: kirana customer merge 'Amit Bhai' 'Priya Madam')\n"
    )
    again = kirana("customer", "update", "Priya", "--upi-id", "priya.s@okaxis")
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: Priya Madam already has UPI id priya.s@okaxis; nothing to change\n"
    )
    bad = kirana("customer", "update", "Amit", "--upi-id", "amit")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: UPI id 'amit' is not like name@bank")


def test_upi_ids_are_verified_rebuilt_and_follow_a_merge(kirana, two, db_path):
    ok(kirana("customer", "update", "Amit", "--upi-id", "amit@ybl"))
    ok(kirana("customer", "merge", "Amit Bhai", "Priya Madam", "--reason", "one person"))
    assert _upi_ids(db_path) == [("amit@ybl", 1)]
    ok(kirana("verify"))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE customer_upi_ids SET customer_id = 2")
    conn.commit()
    conn.close()
    broken = kirana("verify")
    assert broken.exit_code == 1
    assert "customer_upi_ids read model differs from replay" in broken.stdout + broken.stderr
    ok(kirana("rebuild"))
    ok(kirana("verify"))
    assert _upi_ids(db_path) == [("amit@ybl", 1)]


def test_a_jsonl_copy_keeps_upi_ids(kirana, two, tmp_path):
    ok(kirana("customer", "update", "Priya", "--upi-id", "priya.s@okaxis"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    copy = tmp_path / "copy.db"
    ok(kirana("--db", copy, "import", export))
    assert _upi_ids(copy) == [("priya.s@okaxis", 1)]
    ok(kirana("--db", copy, "verify"))


def test_a_jsonl_event_giving_a_upi_id_a_second_owner_is_refused(kirana, two, tmp_path):
    from kirana.events import Event, chain_hash

    ok(kirana("customer", "update", "Priya", "--upi-id", "priya.s@okaxis"))
    ok(kirana("customer", "update", "Amit", "--upi-id", "amit@ybl"))
    export = tmp_path / "khata.jsonl"
    ok(kirana("export", "--format", "jsonl", "--out", export))
    lines = export.read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    last["data"] = {"upi_ids": ["priya.s@okaxis"]}  # Amit's update now claims Priya's UPI id
    fields = {k: last[k] for k in Event.__slots__ if k != "hash"}
    last["hash"] = chain_hash(last["prev_hash"], Event(**fields).body())
    export.write_text("\n".join([*lines[:-1], json.dumps(last)]) + "\n", encoding="utf-8")
    result = kirana("--db", tmp_path / "copy.db", "import", export)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "line 4: UPI id priya.s@okaxis is already Priya Madam's; a UPI id belongs to one"
        " customer (if they are one person: kirana customer merge 'Amit Bhai' 'Priya Madam')"
    )
