"""Issue 4 acceptance 2 and 7: bad rows are reported as `line N: reason`, all or nothing;
--skip-invalid appends the good rows and writes rejects with reasons; --dry-run appends nothing."""

import csv
import importlib.util
from pathlib import Path

import pytest

from kirana.ledger import open_ledger

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
HEADER = "date,type,customer,amount,method,items,reference,note,key\n"
GOOD = "2024-08-12,sale,Priya,100,credit,,,,\n"


def event_count(path) -> int:
    with open_ledger(path) as ledger:
        return ledger.event_count()


def make_month():
    spec = importlib.util.spec_from_file_location("make_month", SAMPLE / "make_month.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# (file content as bytes, the line reported, a phrase of the reason)
BAD_FILES = [
    pytest.param(b"", 1, "the file is empty", id="empty file"),
    pytest.param(b"\n\n", 1, "the file is empty", id="blank lines only"),
    pytest.param(
        b"2024-08-12,sale,Priya,100,credit\n", 1, "no header row", id="header row missing"
    ),
    pytest.param(
        b"date,customer,amount\n2024-08-12,Priya,100\n",
        1,
        "missing column(s) type",
        id="missing type column",
    ),
    pytest.param(
        b"type,customer,amount\nsale,Priya,100\n", 1, "missing column(s) date", id="missing date"
    ),
    pytest.param(
        b"date,type,customer\n2024-08-12,sale,Priya\n",
        1,
        "missing column(s) amount (or items)",
        id="no amount or items column",
    ),
]
# (one bad data row placed on line 3 after a good row; a phrase of the reason)
BAD_ROWS = [
    ("2024-08-12,refund,Priya,100,cash,,,,", "type 'refund' is unknown"),
    ("2024-08-12,,Priya,100,cash,,,,", "type is empty"),
    ("31-02-2024,payment,Priya,100,upi,,,,", "not a real date"),
    ("2024-13-01,payment,Priya,100,upi,,,,", "not a real date"),
    ("someday,payment,Priya,100,upi,,,,", "not a date I understand"),
    (",payment,Priya,100,upi,,,,", "date is empty"),
    ("2024-08-12,payment,Priya,12.345,upi,,,,", "not a valid amount"),
    ("2024-08-12,payment,Priya,abc,upi,,,,", "not a valid amount"),
    ("2024-08-12,payment,Priya,-60,cash,,,,", "is negative"),
    ("2024-08-12,payment,Priya,0,cash,,,,", "more than zero"),
    ('2024-08-12,payment,Priya,"1,00,0",cash,,,,', "misplaced commas"),
    ("2024-08-12,sale,Amit,,cash,atta-2-250,,,", "is not NAME:QTY:PRICE"),
    ("2024-08-12,sale,Amit,,cash,atta:2,,,", "is not NAME:QTY:PRICE"),
    ("2024-08-12,sale,Amit,,cash,atta:two:250,,,", "not a number"),
    ("2024-08-12,sale,Amit,,cash,atta:0:250,,,", "more than zero"),
    ("2024-08-12,sale,Amit,,cash,atta:1:2.505,,,", "price of atta"),
    ("2024-08-12,sale,Amit,,cash,atta:1:250:7,,,", "not a GST slab"),
    ("2024-08-12,sale,Amit,,cash,atta:1:250:5:12,,,", "HSN '12' must be"),
    ("2024-08-12,sale,Amit,300,cash,cold drink:2:40,,,", "items add up to ₹80.00"),
    ("2024-08-12,sale,,200,credit,,,,", "a credit (udhaar) sale needs a customer"),
    ("2024-08-12,sale,Amit,200,,,,,", "a sale needs a method"),
    ("2024-08-12,sale,Amit,200,paytm,,,,", "sale method 'paytm' is unknown"),
    ("2024-08-12,sale,Amit,,cash,,,,", "amount is empty and there are no items"),
    ("2024-08-12,payment,,100,cash,,,,", "a payment needs a customer"),
    ("2024-08-12,payment,Priya,,cash,,,,", "a payment needs an amount"),
    ("2024-08-12,payment,Priya,100,credit,,,,", "payment method 'credit' is unknown"),
    ("2024-08-12,return,,100,khata,,,,", "a return to khata needs a customer"),
    ("2024-08-12,return,Priya,100,bank,,,,", "return settlement 'bank' is unknown"),
    ("2024-08-12,opening,Priya,0,,,,,", "opening dues of zero need no entry"),
    ("2024-08-12,opening,,100,,,,,", "opening dues need a customer"),
    ("2024-08-12,payment,Priya,100,cash,atta:1:100,,,", "a payment has no items"),
    (",void,,,,,9999,typed twice,", "there is no entry 9999"),
    (",void,,,,,abc,typed twice,", "needs the entry no. to void"),
    (",void,,,,,1,customer,", "cannot be voided"),
    ("2024-08-12,payment,Priya,100,cash,,," + "x" * 201 + ",", "longer than 200"),
    ("2024-08-12,payment,Priya,100,cash,,,,k1", "key 'k1' was imported before"),
]


@pytest.mark.parametrize(("content", "line", "reason"), BAD_FILES)
def test_bad_files_are_refused_naming_line_1(kirana, tmp_path, db_path, content, line, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = kirana("import", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: line {line}: ")
    assert reason in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert event_count(db_path) == 0


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS, ids=[r for _, r in BAD_ROWS])
def test_each_bad_row_is_reported_with_its_line_and_nothing_is_appended(
    kirana, tmp_path, db_path, row, reason
):
    first = GOOD if not row.endswith(",k1") else GOOD.replace(",,,,\n", ",,,,k1\n")
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + first + row + "\n", encoding="utf-8")
    result = kirana("import", path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("line 3: ") and reason in lines[0], lines
    assert lines[-1] == "Error: 1 bad row; nothing imported"
    assert "Traceback" not in result.stderr
    assert event_count(db_path) == 0


def test_non_utf8_bytes_are_reported_with_their_line(kirana, tmp_path, db_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        HEADER.encode() + GOOD.encode() + "2024-08-12,sale,Jos\xe9,100,cash,,,,\n".encode("latin-1")
    )
    result = kirana("import", path)
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0]
        == "line 3: not UTF-8 text; save the file as UTF-8 (CSV UTF-8)"
    )
    assert event_count(db_path) == 0


def test_nul_bytes_are_reported_with_their_line(kirana, tmp_path, db_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(HEADER.encode() + GOOD.encode() + b"2024-08-12,sale,A\x00B,100,cash,,,,\n")
    result = kirana("import", path)
    assert result.exit_code == 1
    assert result.stderr.startswith("line 3: the row has control characters")
    assert event_count(db_path) == 0


def test_every_bad_row_is_reported_not_just_the_first(kirana, db_path):
    result = kirana("import", SAMPLE / "broken.csv")
    assert result.exit_code == 1
    reported = [line.split(":")[0] for line in result.stderr.splitlines()[:-1]]
    assert reported == [f"line {n}" for n in range(3, 11)]
    assert result.stderr.splitlines()[-1] == "Error: 8 bad rows; nothing imported"
    assert event_count(db_path) == 0


@pytest.fixture
def big_file_with_two_bad_rows(tmp_path):
    """A generated file of 4,100 rows with bad rows on lines 7 and 4,000."""
    path = tmp_path / "big.csv"
    make_month().write(path, events=4100, seed=11, month="2024-10")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = "2024-10-01 10:00,sale,,250,credit,,,,\n"
    lines[3999] = "2024-10-31 11:00,payment,Priya Madam,12.345,upi,,,,\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path, len(lines) - 1


def test_bad_rows_on_lines_7_and_4000_append_nothing_and_are_both_reported(
    kirana, db_path, big_file_with_two_bad_rows
):
    path, _rows = big_file_with_two_bad_rows
    result = kirana("import", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 7: a credit (udhaar) sale needs a customer: name who owes it",
        (
            "line 4000: amount '12.345' is not a valid amount; "
            "type the amount in rupees like 250, 250.50 or 1,25,000"
        ),
        "Error: 2 bad rows; nothing imported",
    ]
    assert event_count(db_path) == 0


def test_skip_invalid_appends_the_good_rows_and_writes_rejects_with_reasons(
    kirana, db_path, tmp_path, big_file_with_two_bad_rows
):
    path, rows = big_file_with_two_bad_rows
    rejects = tmp_path / "rejects.csv"
    result = kirana("import", path, "--skip-invalid", "--rejects", rejects, "--json")
    assert result.exit_code == 0
    summary = result.json()
    assert (summary["appended"], summary["rejected"], summary["duplicates"]) == (rows - 2, 2, 0)
    with rejects.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == [*HEADER.strip().split(","), "reason"]
    assert written[1][:4] == ["2024-10-01 10:00", "sale", "", "250"]
    assert written[1][-1] == "a credit (udhaar) sale needs a customer: name who owes it"
    assert written[2][3] == "12.345" and "not a valid amount" in written[2][-1]
    assert len(written) == 3
    assert kirana("verify").exit_code == 0
    again = kirana("import", path, "--skip-invalid", "--rejects", rejects, "--json").json()
    assert (again["appended"], again["duplicates"], again["rejected"]) == (0, rows - 2, 2)


def test_skip_invalid_default_rejects_file_sits_next_to_the_input(kirana, tmp_path):
    path = tmp_path / "day.csv"
    path.write_text(HEADER + GOOD + "2024-08-12,refund,Priya,100,cash,,,,\n", encoding="utf-8")
    result = kirana("import", path, "--skip-invalid")
    assert result.exit_code == 0
    assert "1 entry, 0 duplicates skipped, 1 rejected" in result.stdout
    assert "line 3: type 'refund' is unknown" in result.stderr
    assert (tmp_path / "day.rejects.csv").exists()


def test_dry_run_appends_nothing_and_says_what_would_happen(
    kirana, db_path, tmp_path, big_file_with_two_bad_rows
):
    path, rows = big_file_with_two_bad_rows
    rejects = tmp_path / "rejects.csv"
    result = kirana("import", path, "--dry-run", "--skip-invalid", "--rejects", rejects)
    assert result.exit_code == 0
    assert f"Dry run: would append {rows - 2} entries, 0 duplicates skipped, 2 rejected" in (
        result.stdout
    )
    assert "Nothing was written (dry run)." in result.stdout
    assert event_count(db_path) == 0 and not rejects.exists()
    strict = kirana("import", path, "--dry-run")
    assert strict.exit_code == 1 and "line 7:" in strict.stderr and "line 4000:" in strict.stderr
    assert event_count(db_path) == 0


def test_a_void_of_an_entry_number_beyond_any_is_a_bad_row_naming_its_line(kirana, tmp_path):
    path = tmp_path / "void.csv"
    path.write_text(
        "date,type,customer,amount,method,items,reference,note,key\n"
        ",void,,,,,99999999999999999999999,typed wrong,\n",
        encoding="utf-8",
    )
    result = kirana("import", path)
    assert result.exit_code == 1
    assert result.stderr.startswith("line 2: there is no entry 99999999999999999999999;")
    command = kirana("void", "99999999999999999999999", "--reason", "typed wrong")
    assert command.exit_code == 1
    assert command.stderr.startswith("Error: there is no entry 99999999999999999999999;")
    assert kirana("customer", "add", "Priya").exit_code == 0
    against = kirana("return", "Priya", "--amount", "1", "--against", "99999999999999999999999")
    assert against.exit_code == 1
    assert "Error: entry 99999999999999999999999 is not a sale" in against.stderr
