"""Reports, statements and backups print the head as `kirana verify --expect-head` takes it, so
a ledger later cut back to fewer entries (a restore from a shortened file) is found."""

from __future__ import annotations

import re


def test_a_printed_head_check_passes_now_and_fails_on_a_shorter_ledger(kirana, tmp_path):
    assert kirana("customer", "add", "Priya").exit_code == 0
    assert kirana("sale", "Priya", "--amount", "250", "--credit").exit_code == 0
    jsonl = tmp_path / "early.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", jsonl).exit_code == 0
    assert kirana("pay", "Priya", "100").exit_code == 0

    for printed in (
        kirana("report", "month", "2025-03", "--format", "md").stdout,
        kirana("statement", "Priya", "--format", "md").stdout,
    ):
        check = re.search(r"kirana verify --expect-head (\d+:[0-9a-f]{12})\b", printed)
        assert check, printed
        assert check.group(1).startswith("3:")
        assert kirana("verify", "--expect-head", check.group(1)).exit_code == 0
    backup = kirana("backup", tmp_path / "copy.db").stdout  # names the backup, not the ledger
    command = re.search(r"Check it later with: kirana (.+)$", backup, re.MULTILINE).group(1)
    assert command.split()[:2] == ["--db", str(tmp_path / "copy.db")]
    assert kirana(*command.split()).exit_code == 0

    shorter = tmp_path / "shorter.db"  # restored from the earlier export: entry 3 is gone
    assert kirana("--db", shorter, "import", jsonl).exit_code == 0
    result = kirana("--db", shorter, "verify", "--expect-head", check.group(1))
    assert result.exit_code == 1
    assert f"the expected head {check.group(1)} is no longer in the chain" in result.stdout
