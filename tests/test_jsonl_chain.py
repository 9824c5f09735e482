"""A JSONL file is one unbroken piece of one hash chain: a line deleted, lines moved, or another
ledger's events are refused naming the line; a file cut short is caught by verify's
--expect-head."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture
def export(kirana, tmp_path):
    assert kirana("import", SAMPLE / "sharma_store.csv").exit_code == 0
    path = tmp_path / "khata.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", path).exit_code == 0
    return path


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_deleted_line_is_refused_naming_the_line_after_it(kirana, export, tmp_path):
    lines = export.read_text(encoding="utf-8").splitlines()
    del lines[5]  # sed -i 6d
    result = kirana("--db", tmp_path / "copy.db", "import", write(export, lines))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "line 6: entry 7 does not follow the line before it (a line was removed, added or "
        "moved); import the export as it was written"
    )
    assert (
        not (tmp_path / "copy.db").exists()
        or kirana("--db", tmp_path / "copy.db", "info", "--json").json()["events"] == 0
    )


def test_moved_lines_are_refused(kirana, export, tmp_path):
    lines = export.read_text(encoding="utf-8").splitlines()
    lines[3], lines[4] = lines[4], lines[3]
    result = kirana("--db", tmp_path / "copy.db", "import", write(export, lines))
    assert result.exit_code == 1
    assert result.stderr.startswith("line 4: entry 5 does not follow the line before it")


def test_another_ledgers_export_does_not_continue_this_one(kirana, export, tmp_path):
    other = tmp_path / "other.db"
    assert kirana("--db", other, "customer", "add", "Zed").exit_code == 0
    result = kirana("--db", other, "import", export)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "line 1: entry 1 does not continue this ledger, which needs entry 2 next; a JSONL file "
        "imports into an empty ledger from entry 1, or continues the ledger it was exported "
        "from"
    )


def test_a_later_export_of_the_same_ledger_brings_just_its_tail(kirana, export, tmp_path):
    copy = tmp_path / "copy.db"
    assert kirana("--db", copy, "import", export).exit_code == 0
    assert kirana("pay", "Priya", "20").exit_code == 0
    later = tmp_path / "later.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", later).exit_code == 0
    result = kirana("--db", copy, "import", later, "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["appended"], result.json()["duplicates"]) == (
        1,
        len(export.read_text(encoding="utf-8").splitlines()),
    )


def test_a_file_cut_short_imports_but_fails_the_expected_head(kirana, export, tmp_path):
    head = kirana("info", "--json").json()["head"]
    lines = export.read_text(encoding="utf-8").splitlines()
    copy = tmp_path / "copy.db"
    assert kirana("--db", copy, "import", write(export, lines[:-2])).exit_code == 0
    result = kirana("--db", copy, "verify", "--expect-head", f"{head['seq']}:{head['hash'][:12]}")
    assert result.exit_code == 1
    same = kirana("verify", "--expect-head", f"{head['seq']}:{head['hash'][:12]}")
    assert same.exit_code == 0
