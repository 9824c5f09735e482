"""Issue 2 acceptance 7: every bad input gets exit 1, one `Error:` line, no traceback, and
nothing appended."""

import pytest

from kirana.ledger import open_ledger

BAD = [
    # (args, a phrase the error must contain)
    (["pay", "Prya", "100"], "did you mean 'Priya Madam'"),
    (["pay", "Nobody", "100"], "no customer named 'Nobody'"),
    (["pay", "P", "100"], "matches several customers"),
    (["pay", "Priya", "0"], "more than zero"),
    (["pay", "Priya", "-5"], "No such option"),
    (["pay", "Priya", "--", "-5"], "negative"),
    (["pay", "Priya", "10.999"], "not a valid amount"),
    (["pay", "Priya", "ten"], "not a valid amount"),
    (["pay", "Priya", "1,00,0"], "misplaced commas"),
    (["pay", "Priya", "nan"], "not a valid amount"),
    (["pay", "Priya", "100", "--on", "2025-02-30"], "not a real date"),
    (["pay", "Priya", "100", "--on", "31-04-2025"], "not a real date"),
    (["pay", "Priya", "100", "--on", "someday"], "not a date I understand"),
    (["pay", "Priya", "100", "--on", "2025-03-11"], "is in the future"),
    (["pay", "Priya", "100", "--on", "March 2025"], "has no day of the month"),
    (["pay", "Priya", "100", "--upi", "--cash"], "choose one method"),
    (["sale", "--amount", "100", "--credit"], "needs a customer"),
    (["sale", "Priya", "--amount", "100"], "say how it was paid"),
    (["sale", "Priya", "atta:2@250", "--amount", "400", "--cash"], "add up to ₹500.00"),
    (["sale", "Priya", "unobtainium:1", "--cash"], "not in the catalog"),
    (["sale", "Priya", "atta:0@250", "--cash"], "more than zero"),
    (["sale", "Priya", "atta:two@250", "--cash"], "not a number"),
    (["sale", "Priya", "--cash"], "give items"),
    (["sale", "Priya", "atta:1@0", "--cash"], "more than zero"),
    (["void", "999", "--reason", "oops"], "there is no entry 999"),
    (["void", "5", "--reason", "again"], "is itself a void"),
    (["void", "4", "--reason", "twice"], "already voided"),
    (["void", "1", "--reason", "no"], "cannot be voided"),
    (["void", "3", "--reason", "  "], "say why"),
    (["void", "abc", "--reason", "x"], "Invalid value for 'seq'"),
    (["confirm", "Ghost", "100"], "no customer named 'Ghost'"),
    (["confirm", "Priya Madam", "999"], "not ₹999.00"),
    (["return", "Priya", "--amount", "10", "--to", "bank"], "settlement 'bank' is unknown"),
    (["return", "--amount", "10"], "needs a customer"),
    (["return", "--amount", "10", "--against", "1"], "not a sale"),
    (["opening", "Priya", "0", "--on", "2025-01-01"], "more than zero"),
    (["customer", "add", "priya madam"], "already exists"),
    (["customer", "add", "  "], "name is empty"),
    (["customer", "add", "Ravi", "--phone", "12ab"], "not a phone number"),
    (["item", "set", "atta", "--price", "10", "--gst", "7"], "not a GST slab"),
    (["item", "set", "atta", "--price", "10", "--gst", "5", "--hsn", "12"], "HSN"),
    (["shop", "set", "--scheme", "magic"], "scheme 'magic' is unknown"),
    (["shop", "set", "--gstin", "XYZ"], "GSTIN"),
    (["balance", "Priya", "--as-of", "2025-02-29"], "not a real date"),
    (["statement", "Priya", "--from", "2025-03-05", "--to", "2025-03-01"], "--from is after --to"),
    (["statement", "Priya", "--format", "pdf"], "--format 'pdf'"),
    (["log", "--last", "0"], "--last must be 1 or more"),
    (["log", "--last", "99999999999999999999"], "too large"),
    (["sale", "--cash", "pan:0.001@0.01"], "the total is ₹0.00"),
    (["pay", "Priya", "99999999999999999999"], "more than ₹1,00,00,00,000.00"),
    (["sale", "--cash", "rice:1000000@1"], "quantity '1000000' is more than"),
    (["statement", "Priya", "--format", "html", "--out", "/no/such/dir/s.html"], "could not use"),
    (["frobnicate"], "No such command"),
]


@pytest.fixture
def shop(kirana):
    kirana("customer", "add", "Priya Madam")  # 1
    kirana("customer", "add", "Pooja")  # 2
    kirana("sale", "Priya", "--amount", "100", "--credit")  # 3
    kirana("pay", "Priya", "10")  # 4
    kirana("void", "4", "--reason", "test")  # 5
    return kirana


def event_count(db_path):
    with open_ledger(db_path) as ledger:
        return ledger.event_count()


@pytest.mark.parametrize(("args", "phrase"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_clear_error(shop, db_path, args, phrase):
    before = event_count(db_path)
    result = shop(*args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert phrase in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert event_count(db_path) == before


def test_reading_a_missing_ledger_is_a_clear_error(kirana, tmp_path):
    result = kirana("--db", str(tmp_path / "nope.db"), "balance")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no ledger at")
    assert not (tmp_path / "nope.db").exists()


def test_a_non_ledger_file_is_a_clear_error(kirana, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = kirana("--db", str(junk), "balance")
    assert result.exit_code == 1 and "not a usable kirana ledger" in result.stderr


def test_debug_shows_a_traceback(shop):
    result = shop("--debug", "pay", "Nobody", "1")
    assert result.exit_code == 1 and "Traceback" in result.stderr


def test_another_programs_database_is_left_alone(kirana, tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    result = kirana("--db", str(other), "balance")
    assert result.exit_code == 1 and "not a kirana ledger" in result.stderr
    check = sqlite3.connect(other)
    assert check.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # untouched
    check.execute("CREATE TABLE _migrations (name TEXT, applied_at TEXT)")
    check.commit()
    result = kirana("--db", str(other), "info")
    assert result.exit_code == 1 and "not a kirana ledger" in result.stderr


def test_a_ledger_refuses_another_timezone(kirana, monkeypatch):
    kirana("customer", "add", "Priya")
    monkeypatch.setenv("KIRANA_TZ", "UTC")
    result = kirana("sale", "Priya", "--amount", "1", "--credit")
    assert result.exit_code == 1 and "set KIRANA_TZ=Asia/Kolkata" in result.stderr


def test_importing_a_missing_file_creates_no_ledger(kirana, tmp_path):
    ledger_file = tmp_path / "fresh.db"
    result = kirana("--db", str(ledger_file), "import", str(tmp_path / "missing.csv"))
    assert result.exit_code == 1 and "no file" in result.stderr
    assert not ledger_file.exists()
