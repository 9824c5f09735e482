"""CSV strictness: nothing in a CSV file is dropped silently.

- A row with more non-empty cells than the header has columns is a bad row (an unquoted comma
  would otherwise shift every cell after it: `Amit Bhai,1,250` recorded ₹1.00), with the same
  line number with and without worker processes. Empty cells beyond the header are allowed
  (spreadsheets add them).
- A kirana column named twice is an error naming both columns; a header name close to a kirana
  column the header lacks (`custmer`) is an error with a did-you-mean; other names are ignored.
- `kirana export --format csv` still imports.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kirana import queries
from kirana.io import csv_chunks
from kirana.io.csv_import import import_csv
from kirana.ledger import open_ledger

HEADER = "date,type,customer,amount,method,items,reference,note,key"
WIDE = (
    "line {line}: {cells} cells but the header has {width} columns; quote a cell that holds a comma"
)


def write(tmp_path: Path, lines: list[str], name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def event_count(db: Path) -> int:
    with open_ledger(db) as ledger:
        return ledger.event_count()


def test_a_row_with_more_cells_than_the_header_is_a_bad_row(kirana, tmp_path, db_path):
    path = write(
        tmp_path,
        [
            "date,type,customer,amount",
            "2025-02-01,payment,Asha,100",
            "2025-02-01,opening,Amit Bhai,1,250",  # meant ₹1,250; read as ₹1.00 before
            '2025-02-01,opening,"Amit Bhai","1,250"',  # quoted: fine
        ],
    )
    result = kirana("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        WIDE.format(line=3, cells=5, width=4) + "\nError: 1 bad row; nothing imported\n"
    )
    assert event_count(db_path) == 0


def test_empty_cells_beyond_the_header_are_allowed_but_not_a_filled_one(kirana, tmp_path):
    path = write(
        tmp_path,
        [
            "date,type,customer,amount,",  # an empty header name: an unnamed, ignored column
            "2025-02-01,opening,Asha,100,,,",
            "2025-02-01,opening,Ravi,100,, ,  ",  # blank cells count as empty
            "2025-02-01,opening,Amit,1,,250,",  # the 7th cell has text: 6 cells are used
            "2025-02-01,opening,Sita,100",  # a short row: the missing cells are empty
        ],
    )
    result = kirana("import", path, "--skip-invalid", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == WIDE.format(line=4, cells=6, width=5) + "\n"
    assert (result.json()["appended"], result.json()["rejected"]) == (3, 1)
    rejects = (tmp_path / "in.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[1].startswith("2025-02-01,opening,Amit,1,,250,,")


def bad_file(tmp_path: Path, rows: int) -> tuple[Path, list[int]]:
    """A file of good rows, some spanning two lines (a quoted line break in an ignored
    `remarks` column), and rows of 11 cells under its 10 columns at known lines."""
    lines, bad_lines, line = [HEADER + ",remarks"], [], 2
    for n in range(rows):
        if n % 23 == 4:
            lines.append(f'01-02-2025,payment,Asha {n % 7},"1,00{n % 10}",cash,,,,,"two\nlines"')
            line += 2  # a good row over two lines
            continue
        if n % 31 == 9:  # ₹1,250 unquoted, and every cell after it shifted
            lines.append(
                f"01-02-2025,payment,Asha {n % 7},1,{n % 1000:03d},cash,,UPI {n},paid,k{n},r"
            )
            bad_lines.append(line)
        else:
            lines.append(f'01-02-2025,sale,"Asha {n % 7}",{n + 1},credit,,,"say ""hi""",,')
        line += 1
    return write(tmp_path, lines, "bad.csv"), bad_lines


def test_too_wide_rows_have_the_same_line_numbers_with_workers(tmp_path, monkeypatch):
    path, bad_lines = bad_file(tmp_path, 400)

    def problems(workers: int) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        with (
            open_ledger(tmp_path / f"w{workers}.db") as ledger,
            pytest.raises(Exception, match="bad rows; nothing imported"),
        ):
            import_csv(
                ledger,
                path,
                workers=workers,
                new_customers=True,
                on_problem=lambda line, why: found.append((line, why)),
            )
        return found

    alone = problems(0)
    assert alone == [(line, WIDE.format(line=line, cells=11, width=10)[len(f"line {line}: ") :])
                     for line in bad_lines]  # fmt: skip
    monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 300)
    assert problems(2) == alone
    assert event_count(tmp_path / "w2.db") == 0


def test_kirana_import_with_two_workers_reports_the_same_lines(tmp_path):
    path, bad_lines = bad_file(tmp_path, 30_000)  # over 1 MB: several chunks of 256 KB
    assert path.stat().st_size > 4 * csv_chunks.CHUNK_BYTES

    def run(workers: str, db: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kirana", "--db", str(tmp_path / db), "import", str(path),
             "--workers", workers, "--new-customers"],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip

    alone, parallel = run("0", "alone.db"), run("2", "parallel.db")
    expected = [WIDE.format(line=line, cells=11, width=10) for line in bad_lines]
    expected.append(f"Error: {len(bad_lines)} bad rows; nothing imported")
    assert alone.stderr.splitlines() == expected
    assert (parallel.returncode, parallel.stderr) == (1, alone.stderr)
    assert event_count(tmp_path / "parallel.db") == 0


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "date,type,customer,amount,method,items,amount",
            "the header has 'amount' twice (columns 4 and 7); keep one",
        ),
        (
            "Date, Type ,Customer,AMOUNT, customer ",
            "the header has 'customer' twice (columns 3 and 5); keep one",
        ),
    ],
)
def test_a_column_named_twice_is_an_error(kirana, tmp_path, db_path, header, message):
    path = write(tmp_path, [header, "2025-02-01,opening,Asha,100,Ravi,,200"])
    result = kirana("import", path)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert event_count(db_path) == 0


@pytest.mark.parametrize(
    ("header", "written", "meant"),
    [
        ("date,type,custmer,amount,method", "custmer", "customer"),
        ("date,type,Customer Name,amount,method", "Customer Name", "customer"),
        ("date,type,customer,amount,method,refrence", "refrence", "reference"),
        ("date,type,customer,amount,method, Notes ", "Notes", "note"),
        ("date,type,customer,amount,metod", "metod", "method"),
        ("dat,type,customer,amount", "dat", "date"),
    ],
)
def test_a_misspelt_column_is_an_error(kirana, tmp_path, db_path, header, written, meant):
    path = write(tmp_path, [header, "2025-02-01,sale,Amit,100,credit,x"])
    result = kirana("import", path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: column {written!r} is not a kirana column; did you mean {meant!r}?\n"
    )
    assert event_count(db_path) == 0


def test_well_named_extra_columns_are_ignored_but_a_misspelt_one_is_not(kirana, tmp_path, db_path):
    extra = "date,type,customer,amount,method,gst_invoice_no,shop,customer_phone,store,payment"
    path = write(tmp_path, [extra, "2025-02-01,sale,Amit,100,credit,GI-1,Sharma,98100,1,x"])
    result = kirana("import", path, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.json()["new_customers"] == ["Amit"]
    with open_ledger(db_path) as ledger:
        assert queries.all_balances(ledger.conn) == [("Amit", 100_00)]  # his, on credit
    misspelt = write(tmp_path, [extra.replace(",customer,", ",custmer,")], "misspelt.csv")
    result = kirana("import", misspelt)
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "column 'custmer' is not a kirana column; did you mean 'customer'?\n"
    )


def test_the_csv_export_still_imports(kirana, tmp_path):
    for command in (
        ["customer", "add", "Priya Madam"],
        ["customer", "add", "Sunita Didi"],
        ["sale", "Priya Madam", "atta:1@250", "dal:2@120.50", "--credit", "--note", 'a, b "c"'],
        ["pay", "Priya Madam", "300", "--upi", "--ref", "UPI 42, second"],
        ["sale", "--cash", "-a", "100", "--note", "walk-in, paid"],
        ["opening", "Sunita Didi", "75", "--advance", "--on", "2025-01-01"],
    ):
        result = kirana(*command)
        assert result.exit_code == 0, result.stderr
    exported = tmp_path / "out.csv"
    assert kirana("export", "--format", "csv", "--out", exported).exit_code == 0
    other = tmp_path / "other.db"
    result = kirana("--db", other, "import", exported, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    with open_ledger(tmp_path / "khata.db") as mine, open_ledger(other) as theirs:
        assert dict(queries.all_balances(theirs.conn)) == dict(queries.all_balances(mine.conn))
