"""Old ledgers keep working: a ledger written by an earlier release opens, verifies and reports
the same with today's code (tests/fixtures/release-0.1/README.md says how it was made)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1"
COMMANDS = {
    "balance.json": ["balance", "--json"],
    "dues.json": ["dues", "--json"],
    "aging.json": ["dues", "--aging", "--json"],
    "statement-priya.json": ["statement", "Priya", "--format", "json"],
    "month-2025-03.json": ["report", "month", "2025-03", "--format", "json"],
    "gst-2025-03.json": ["report", "gst", "2025-03", "--format", "json"],
    "log.json": ["log", "--last", "200", "--json"],
    "balance-sunita-known-0306.json": [
        "balance",
        "सुनीता",
        "--as-known-at",
        "2025-03-06",
        "--json",
    ],
}


@pytest.fixture
def old_ledger(tmp_path, monkeypatch):
    copy = tmp_path / "old.db"
    shutil.copyfile(FIXTURE / "release-0.1.db", copy)
    monkeypatch.setenv("KIRANA_DB", str(copy))
    monkeypatch.setenv("KIRANA_NOW", "2025-04-02T12:00:00")
    return copy


def same_or_more(old, new, where="$"):
    """Everything the old release printed is printed the same; new keys may be added."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            assert key in new, f"{where}.{key} is gone"
            same_or_more(value, new[key], f"{where}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), where
        for number, (a, b) in enumerate(zip(old, new, strict=True)):
            same_or_more(a, b, f"{where}[{number}]")
    else:
        assert new == old, f"{where}: {old!r} became {new!r}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_old_ledger_reports_the_same(kirana, old_ledger, name):
    result = kirana(*COMMANDS[name])
    assert result.exit_code == 0, result.stderr
    same_or_more(json.loads((FIXTURE / name).read_text(encoding="utf-8")), result.json())


def test_an_old_ledger_verifies_with_the_same_head(kirana, old_ledger):
    result = kirana("verify")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (FIXTURE / "verify.txt").read_text(encoding="utf-8")


def test_an_old_ledger_exports_the_same_events(kirana, old_ledger, tmp_path):
    out = tmp_path / "export.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", out).exit_code == 0
    assert out.read_bytes() == (FIXTURE / "export.jsonl").read_bytes()


def test_an_old_export_imports_into_a_new_ledger(kirana, tmp_path, monkeypatch):
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "new.db"))
    monkeypatch.setenv("KIRANA_NOW", "2025-04-02T12:00:00")
    result = kirana("import", FIXTURE / "export.jsonl", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["appended"] == 110
    assert kirana("verify").stdout == (FIXTURE / "verify.txt").read_text(encoding="utf-8")


def test_an_old_export_with_what_old_rules_allowed_restores_exactly(kirana, tmp_path, monkeypatch):
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "restored.db"))
    monkeypatch.setenv("KIRANA_NOW", "2025-03-05T10:00:00")
    result = kirana("import", FIXTURE / "hostile-export.jsonl", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["appended"] == 12
    expected = json.loads((FIXTURE / "hostile-balance.json").read_text(encoding="utf-8"))
    got = kirana("balance", "--json").json()
    assert got["balances"] == expected["balances"] and got["head"] == expected["head"]
    verified = kirana("verify")  # the back-dated sale under the confirmation, as it was
    assert verified.exit_code == 1 and "PROBLEM: entry 8: Priya Madam confirmed" in verified.stdout
    assert kirana("pay", "Priya Madam", "10", "--upi", "--ref", "UTR555").exit_code == 1


# ---- release 0.2: schema-2 events, import keys outside the events, a merge -------------------
FIXTURE_02 = Path(__file__).parent / "fixtures" / "release-0.2"
COMMANDS_02 = {  # release 0.1's commands, with its as-known-at question asked of a merge
    **{name: args for name, args in COMMANDS.items() if not name.startswith("balance-sunita")},
    "balance-ravi-known-before-merge.json": [
        "balance",
        "Ravi Bhai",
        "--as-known-at",
        "2025-03-07T10:02:00",
        "--json",
    ],
}


@pytest.fixture
def ledger_02(tmp_path, monkeypatch):
    copy = tmp_path / "old.db"
    shutil.copyfile(FIXTURE_02 / "release-0.2.db", copy)
    monkeypatch.setenv("KIRANA_DB", str(copy))
    monkeypatch.setenv("KIRANA_NOW", "2025-04-02T12:00:00")
    return copy


@pytest.mark.parametrize("name", sorted(COMMANDS_02))
def test_a_release_02_ledger_reports_the_same(kirana, ledger_02, name):
    result = kirana(*COMMANDS_02[name])
    assert result.exit_code == 0, result.stderr
    same_or_more(json.loads((FIXTURE_02 / name).read_text(encoding="utf-8")), result.json())


def test_a_release_02_ledger_verifies_and_exports_the_same(kirana, ledger_02, tmp_path):
    result = kirana("verify")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (FIXTURE_02 / "verify.txt").read_text(encoding="utf-8")
    out = tmp_path / "export.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", out).exit_code == 0
    assert out.read_bytes() == (FIXTURE_02 / "export.jsonl").read_bytes()


def test_a_release_02_ledger_still_knows_the_rows_it_imported(kirana, ledger_02):
    result = kirana("import", FIXTURE_02 / "day.csv", "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["appended"], result.json()["duplicates"]) == (0, 5)
    assert kirana("verify").exit_code == 0
