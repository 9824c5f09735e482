"""Books that close: `kirana close PERIOD` keeps every entry dated inside it out (sale, payment,
return, opening, void of an entry in it, confirmation, shop settings) through the commands, the
CSV import (fast and row-by-row paths) and the JSONL import (judged at its place in the chain);
`kirana reopen` lets them in again; reports say when their period was closed and what changed
after; `verify` finds an entry that got in while the period was closed."""

from __future__ import annotations

import json

import pytest
from test_jsonl_rules import chained

from kirana.events import SALE
from kirana.ledger import open_ledger
from kirana.rules import payloads
from kirana.store import Draft

CLOSED = (
    "Error: September 2025 is closed (filed on 3 Oct); record it with today's date, "
    "or `kirana reopen 2025-09 --reason …`\n"
)
HEADER = "date,type,customer,amount,method,items,reference,note,key\n"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def closed(kirana, clock):
    """Priya's September (a credit sale, entry 2), closed on 3 Oct."""
    clock("2025-09-10T10:00:00")
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("sale", "Priya", "--amount", "500", "--credit", "--on", "2025-09-10"))
    clock("2025-10-03T10:00:00")
    closing = ok(kirana("close", "2025-09"))
    assert closing.stdout.startswith("#3 Closed 2025-09 at entry 2 (hash ")
    return kirana


@pytest.mark.parametrize(
    "args",
    [
        ("sale", "Priya", "--amount", "75", "--credit", "--on", "2025-09-28"),
        ("sale", "--amount", "75", "--cash", "--on", "28-09-2025"),
        ("pay", "Priya", "75", "--on", "2025-09-28"),
        ("return", "Priya", "--amount", "75", "--on", "2025-09-28"),
        ("opening", "Priya", "75", "--on", "2025-09-28"),
        ("confirm", "Priya", "500", "--on", "2025-09-28"),
        ("shop", "set", "--name", "Sharma Store", "--from", "2025-09-28"),
    ],
)
def test_every_entry_dated_inside_a_closed_period_is_refused(closed, args):
    result = closed(*args)
    assert (result.exit_code, result.stderr) == (1, CLOSED)
    assert ok(closed("log", "--json")).json()["head"]["seq"] == 3  # nothing appended


def test_a_void_of_an_entry_inside_is_refused_and_reopen_lets_entries_in(closed, clock):
    result = closed("void", "2", "--reason", "typed twice")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: September 2025 is closed (filed on 3 Oct); voiding entry 2 (dated 10 Sep) "
        "would change it; record a correction dated today instead, or "
        "`kirana reopen 2025-09 --reason …`\n"
    )
    ok(closed("sale", "Priya", "--amount", "75", "--credit", "--on", "2025-10-01"))  # October
    assert closed("reopen", "2025-09").exit_code != 0  # --reason is required
    assert ok(closed("reopen", "2025-09", "--reason", "late bill")).stdout == (
        "#5 Reopened 2025-09: late bill\n"
    )
    ok(closed("sale", "Priya", "--amount", "75", "--credit", "--on", "2025-09-28"))
    assert "OK:" in ok(closed("verify")).stdout


def test_close_and_reopen_say_what_is_wrong(closed):
    again = closed("close", "2025-09")
    assert again.stderr == (
        "Error: September 2025 is already closed (at entry 2, filed on 3 Oct); nothing to do\n"
    )
    assert closed("close", "2025-10").stderr == (
        "Error: October 2025 has not ended yet (its last day is 2025-10-31); close it after that\n"
    )
    assert closed("reopen", "2025-08", "--reason", "x").stderr == (
        "Error: August 2025 is not closed; nothing to reopen\n"
    )
    ok(closed("close", "2025-Q3"))
    assert closed("sale", "--amount", "5", "--cash", "--on", "2025-08-01").stderr.startswith(
        "Error: Jul–Sep 2025 is closed (filed on 3 Oct); "
    )


def test_log_and_info_show_closed_periods(closed):
    log = ok(closed("log")).stdout
    assert "Closed 2025-09 at entry 2" in log
    assert "closed: 2025-09 (closed at entry 2, filed on 3 Oct 2025)" in log
    assert (
        "closed_periods: 2025-09 (closed at entry 2, filed on 3 Oct 2025)"
        in ok(closed("info")).stdout
    )
    assert ok(closed("info", "--json")).json()["closed_periods"] == [
        {"period": "2025-09", "closed_seq": 3, "closed_at_entry": 2, "closed_on": "2025-10-03"}
    ]


def test_csv_rows_into_a_closed_period_are_bad_rows(closed, tmp_path):
    path = tmp_path / "late.csv"
    path.write_text(
        HEADER
        + "2025-09-28,sale,Priya Madam,75,credit,,,,\n"
        + "2025-09-28,payment,Priya Madam,75,cash,,,,\n"
        + "2025-09-28,return,Priya Madam,10,khata,,,,\n"
        + "2025-09-28,opening,Priya Madam,10,,,,,\n"
        + ",void,,,,,2,,\n"
        + "2025-09-29,sale,Asha,80,credit,,,,0123456789abcdef0123456789abcdef\n"  # one by one
        + "2025-10-02,sale,Priya Madam,75,credit,,,,\n",
        encoding="utf-8",
    )
    result = closed("import", path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    closed_text = CLOSED.removeprefix("Error: ").rstrip("\n")
    for line in (2, 3, 4, 5, 7):
        assert f"line {line}: {closed_text}" in lines
    assert any(line.startswith("line 6: September 2025 is closed") for line in lines)
    assert ok(closed("log", "--json")).json()["head"]["seq"] == 3  # all or nothing
    skipped = ok(closed("import", path, "--skip-invalid", "--json")).json()
    assert (skipped["appended"], skipped["rejected"], skipped["new_customers"]) == (1, 6, [])


def jsonl_story(close_first: bool) -> str:
    paid = payloads.payment_data(7500, has_customer=True, method="cash")  # no invoice number
    close = {"period": "2025-09", "head_seq": 2, "head_hash": "ab" * 32}
    specs = [
        ("customer_added", "Priya Madam", {}, {"occurred_at": "2025-09-01"}),
        ("payment", "Priya Madam", paid, {"occurred_at": "2025-09-10"}),
        ("period_closed", None, close, {"occurred_at": "2025-10-03T10:00:00+05:30",
                                        "recorded_at": "2025-10-03T04:30:00.000000Z"}),
        ("payment", "Priya Madam", paid, {"occurred_at": "2025-09-28",
                                       "recorded_at": "2025-10-04T04:30:00.000000Z"}),
    ]  # fmt: skip
    if not close_first:
        specs[2], specs[3] = specs[3], specs[2]
        specs[2][3]["recorded_at"] = "2025-10-02T04:30:00.000000Z"
    return chained(*specs)


def test_jsonl_events_are_judged_by_the_periods_closed_at_their_place_in_the_chain(
    kirana, clock, tmp_path
):
    clock("2025-10-05T10:00:00")
    late = tmp_path / "late.jsonl"
    late.write_text(jsonl_story(close_first=True), encoding="utf-8")
    result = kirana("import", late, "--format", "jsonl")
    assert result.exit_code == 1
    assert "line 4: September 2025 is closed (filed on 3 Oct)" in result.stderr
    before = tmp_path / "before.jsonl"
    before.write_text(jsonl_story(close_first=False), encoding="utf-8")
    ok(kirana("--db", tmp_path / "other.db", "import", before, "--format", "jsonl"))
    assert "OK:" in ok(kirana("--db", tmp_path / "other.db", "verify")).stdout


def test_reports_say_when_their_period_was_closed_and_what_changed_after(closed, clock):
    report = ok(closed("report", "month", "2025-09", "--format", "json")).json()
    (close,) = report["closes"]
    assert (close["period"], close["closed_at_entry"], close["changed_after"]) == ("2025-09", 2, [])
    clock("2025-10-04T10:00:00")
    ok(closed("reopen", "2025-09", "--reason", "late bill"))
    ok(closed("sale", "Priya", "--amount", "75", "--credit", "--on", "2025-09-28"))
    text = closed("report", "gst", "2025-Q3")
    assert "Closed: 2025-09 at entry 2 (hash " in text.stdout
    assert "reopened at entry 4: late bill" in text.stdout
    changed = (
        "Changed after the close: entry 5 dated 28 Sep 2025: Credit sale INV/2025-26/0002 ₹75.00"
    )
    assert changed in text.stdout
    as_closed = "--as-known-at '2025-10-03 10:00:00'"  # the report as it was when closed
    assert as_closed in text.stdout + text.stderr


def test_verify_finds_an_entry_that_got_in_while_the_period_was_closed(closed, db_path):
    with open_ledger(db_path) as ledger, ledger.write():  # a writer that skipped the rules
        data = payloads.sale_data("credit", has_customer=True, amount_paise=7500)
        ledger.append(Draft(SALE, "2025-09-28", "Priya Madam", data))
    result = closed("verify")
    assert result.exit_code != 0
    assert (
        "entry 4 changes 2025-09-28, inside 2025-09, which was closed at entry 2 (entry 3) "
        "when it was recorded" in result.stdout + result.stderr
    )


def test_a_close_is_an_event_of_the_log(closed):
    event = ok(closed("log", "--json")).json()["events"][-1]
    assert event["type"] == "period_closed" and event["schema"] == 3
    assert set(event["data"]) == {"period", "head_seq", "head_hash"}
    assert json.dumps(event["data"]["head_seq"]) == "2"


def test_the_closed_period_rule_lives_in_one_place():
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "kirana"
    saying = [p.name for p in package.rglob("*.py") if "is closed (filed on" in p.read_text()]
    assert saying == ["closed_periods.py"]
    callers = ("recording.py", "io/csv_rules.py", "io/csv_import.py", "arrivals.py",
               "io/bank_import.py")  # fmt: skip
    for caller in callers:
        assert "closed_periods." in (package / caller).read_text(), caller


def test_a_bank_credit_inside_a_closed_period_is_a_bad_row(closed, kirana_process, tmp_path):
    closed("customer", "update", "Priya", "--upi-id", "priya.s@okaxis")
    statement = tmp_path / "hdfc.csv"
    statement.write_text(
        "Date,Narration,Chq./Ref.No.,Value Dt,Withdrawal Amt.,Deposit Amt.,Closing Balance\n"
        "28/09/25,UPI-PRIYA S-priya.s@okaxis-UTIB0000553-526812345671-UPI,,28/09/25,,75.00,\n"
        "02/10/25,UPI-PRIYA S-priya.s@okaxis-UTIB0000553-527512345672-UPI,,02/10/25,,25.00,\n",
        encoding="utf-8",
    )
    result = kirana_process("import", statement, "--format", "bank")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 2: " + CLOSED.removeprefix("Error: ").strip(),
        "Error: 1 bad row; nothing imported",
    ]
