"""`kirana statement` is a report like month and GST: one layout rendered as table, csv, json,
md, html or xlsx, the format following --out's suffix (--format overrides), the JSON shape
unchanged, and no import cycles among the report and CLI modules."""

from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path

import pytest

HEADER = ["Date", "Entry", "Description", "Debit", "Credit", "Balance"]
ROWS = [
    ["", "", "Opening dues", "", "", "0.00"],
    ["2025-03-01", "2", "Credit sale INV/2024-25/0001: atta 1", "250.00", "", "250.00"],
    ["2025-03-02", "3", "Payment (Cash) ref <UPI&1>", "", "100.00", "150.00"],
    ["2025-03-03", "4", "Payment (Cash) [VOIDED by #5]", "", "50.00", "150.00"],
    ["2025-03-10 18:00", "5", "Void of #4: entered twice", "", "", "150.00"],
    ["", "", "Closing dues", "", "", "150.00"],
]
TOP_KEYS = ["customer", "from", "to", "head"]
TOP_KEYS += ["opening_paise", "opening", "closing_paise", "closing", "upi_link", "lines"]
LINE_KEYS = ["seq", "occurred_at", "description", "debit_paise", "debit", "credit_paise"]
LINE_KEYS += ["credit", "balance_paise", "balance", "amount_paise", "amount", "note", "voided_by"]


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def khata(kirana, clock):
    """Priya's page: a credit sale, two payments (one voided), and the void itself."""
    clock("2025-03-10T18:00:00")
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("sale", "Priya", "atta:1@250", "--credit", "--on", "2025-03-01"))
    ok(kirana("pay", "Priya", "100", "--on", "2025-03-02", "--ref", "<UPI&1>"))
    ok(kirana("pay", "Priya", "50", "--on", "2025-03-03"))
    ok(kirana("void", "4", "--reason", "entered twice"))
    return kirana


def head_of(kirana) -> dict:
    return ok(kirana("log", "--json", "--last", "1")).json()["head"]


def wrote(result, out: Path, fmt: str, head: dict) -> None:
    ok(result)
    assert (
        result.stdout
        == f"Wrote {out} ({fmt}; ledger head: entry {head['seq']} {head['hash'][:12]})\n"
    )


def test_out_csv_writes_csv_rows(khata, tmp_path):
    out = tmp_path / "priya.csv"
    wrote(khata("statement", "Priya", "--out", out), out, "csv", head_of(khata))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows == [HEADER, *ROWS]


def test_out_xlsx_has_the_lines_with_numeric_money(khata, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "priya.xlsx"
    wrote(khata("statement", "Priya", "-o", out), out, "xlsx", head_of(khata))
    sheet = openpyxl.load_workbook(out)["Report"]
    cells = [list(row) for row in sheet.iter_rows()]
    values = [[c.value for c in row] for row in cells]
    assert values[0][0] == "Khata statement: Priya Madam"
    top = values.index(HEADER + [None] * (len(values[0]) - len(HEADER)))
    body = [row[:6] for row in values[top + 1 : top + 1 + len(ROWS)]]
    assert [row[2] for row in body] == [row[2] for row in ROWS]
    assert [row[1] for row in body] == ["", 2, 3, 4, 5, ""]  # entry numbers are numbers
    for row in body:  # money cells are numbers in rupees, blanks stay blank
        for cell in row[3:]:
            assert cell in ("", None) or isinstance(cell, int | float)
    assert [row[5] for row in body] == [0, 250, 150, 150, 150, 150]
    assert (body[1][3], body[2][4], body[3][4]) == (250, 100, 50)
    voided = cells[top + 4]
    assert voided[2].value.endswith("[VOIDED by #5]") and voided[4].font.strike
    assert not cells[top + 3][4].font.strike  # a live payment is not struck through
    assert any(row[0] == "Ledger head" and str(head_of(khata)["hash"]) in row[1] for row in values)


def test_xlsx_needs_a_file_like_report(khata):
    for args in (("statement", "Priya"), ("report", "month", "2025-03")):
        result = khata(*args, "--format", "xlsx")
        assert result.exit_code == 1
        assert result.stderr == "Error: --format xlsx writes a file; add --out FILE.xlsx\n"


def test_json_shape_is_unchanged_and_out_json_follows_the_suffix(khata, tmp_path):
    body = ok(khata("statement", "Priya", "--format", "json")).json()
    assert list(body) == TOP_KEYS
    assert (body["customer"], body["from"], body["to"]) == ("Priya Madam", None, None)
    assert body["head"] == head_of(khata)
    assert (body["opening_paise"], body["opening"]) == (0, "0.00")
    assert (body["closing_paise"], body["closing"]) == (15000, "150.00")
    assert all(list(line) == LINE_KEYS for line in body["lines"])
    assert body["lines"][2] == {
        "seq": 4,
        "occurred_at": "2025-03-03",
        "description": "Payment (Cash)",
        "debit_paise": 0,
        "debit": "0.00",
        "credit_paise": 5000,
        "credit": "50.00",
        "balance_paise": 15000,
        "balance": "150.00",
        "amount_paise": 5000,
        "amount": "50.00",
        "note": None,
        "voided_by": 5,
    }
    out = tmp_path / "priya.json"
    wrote(khata("statement", "Priya", "--out", out), out, "json", body["head"])
    assert json.loads(out.read_text(encoding="utf-8")) == body


def test_out_md_writes_markdown(khata, tmp_path):
    out = tmp_path / "priya.md"
    wrote(
        khata("statement", "Priya", "--from", "2025-03-02", "--out", out), out, "md", head_of(khata)
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Khata statement: Priya Madam\n")
    assert "- **Period:** 2025-03-02 to today" in text
    assert "| Date | Entry | Description | Debit | Credit | Balance |" in text
    assert "|  |  | Opening dues |  |  | ₹250.00 |" in text
    assert (
        "| 2025-03-02 | 3 | Payment (Cash) ref &lt;UPI&amp;1&gt; |  | ₹100.00 | ₹150.00 |" in text
    )
    # brackets are escaped in Markdown (no link can form); they render as [VOIDED by #5]
    assert "| 2025-03-03 | 4 | Payment (Cash) \\[VOIDED by #5\\] |  | ₹50.00 | ₹150.00 |" in text
    assert "Closing dues** |  |  | **₹150.00** |" in text
    assert "Opening dues: ₹250.00; closing dues: ₹150.00." in text
    assert "┃" not in text and "Credit sale" not in text  # not a box table; the period holds


def test_out_html_follows_the_suffix(khata, tmp_path):
    out = tmp_path / "priya.HTML"
    wrote(khata("statement", "Priya", "--out", out), out, "html", head_of(khata))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<tr class="void">' in text


def test_format_overrides_the_suffix(khata, tmp_path):
    out = tmp_path / "priya.csv"
    wrote(khata("statement", "Priya", "-f", "md", "--out", out), out, "md", head_of(khata))
    assert out.read_text(encoding="utf-8").startswith("# Khata statement: Priya Madam\n")
    txt = tmp_path / "priya.txt"
    wrote(khata("statement", "Priya", "--out", txt), txt, "table", head_of(khata))
    assert "Closing dues" in txt.read_text(encoding="utf-8")


def test_table_on_screen_keeps_what_it_showed(khata):
    text = ok(khata("statement", "Priya")).stdout
    head = head_of(khata)
    for word in [*HEADER, "Opening dues", "Closing dues", "[VOIDED by #5]", "₹250.00"]:
        assert word in text
    assert "Payment (Cash) ref <UPI&1>" in text and "2025-03-10 18:00" in text
    assert f"entry {head['seq']} {head['hash'][:12]}" in text


def _imports(root: Path) -> dict[str, set[str]]:
    """Every kirana module and the kirana modules it imports, at top level or in functions."""
    files = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    graph[name] |= {full if full in files else node.module} & files.keys()
    return graph


def test_report_and_cli_modules_are_in_no_import_cycle():
    import kirana

    graph = _imports(Path(kirana.__file__).parent)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), list(graph[start])
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo += graph[name]
        return False

    ours = [m for m in graph if m.startswith(("kirana.reports", "kirana.cli"))]
    assert [m for m in ours if reaches(m, m)] == []
    assert "kirana.cli.statement_render" not in graph  # one way to render a statement
