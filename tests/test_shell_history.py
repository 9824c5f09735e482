"""The shell's history file keeps the newest commands only (5,000), cut back the safe way."""

from __future__ import annotations

import stat

from kirana.cli.shell_input import HISTORY_KEEP, HistoryFile
from tests.test_shell import end, spawn


def lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_the_history_file_is_cut_back_to_its_newest_commands(tmp_path):
    path = tmp_path / "shell-history"
    path.write_text("".join(f"balance {n}\n" for n in range(25)), encoding="utf-8")
    path.chmod(0o644)
    history = HistoryFile(path, keep=20)
    loaded = list(history.load_history_strings())
    assert loaded == [f"balance {n}" for n in range(24, 4, -1)]  # newest first
    assert lines(path) == [f"balance {n}" for n in range(5, 25)]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # rewritten owner-only
    for n in range(25, 26):  # 21 lines: under the tenth past 20 that cuts it back
        history.store_string(f"balance {n}")
    assert len(lines(path)) == 21
    history.store_string("balance 26")  # 22: cut back to the newest 20
    assert lines(path) == [f"balance {n}" for n in range(7, 27)]
    assert history.broken is None
    assert not [p for p in tmp_path.iterdir() if p.name != "shell-history"]  # no temp left


def test_a_history_file_under_the_limit_is_left_as_it_is(tmp_path):
    path = tmp_path / "shell-history"
    path.write_text("dues\n\nbalance Priya\n", encoding="utf-8")
    before = path.stat().st_ino
    assert list(HistoryFile(path, keep=3).load_history_strings()) == ["balance Priya", "dues"]
    assert path.stat().st_ino == before
    assert HISTORY_KEEP == 5000


def test_a_history_file_behind_a_symlink_is_not_rewritten(tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("".join(f"dues {n}\n" for n in range(30)), encoding="utf-8")
    link = tmp_path / "shell-history"
    link.symlink_to(target)
    history = HistoryFile(link, keep=10)
    history.load_history_strings()
    assert history.broken is not None
    assert len(lines(target)) == 30


def test_the_shell_cuts_a_long_history_as_it_starts(tmp_path):
    """End to end: a real `kirana shell` on a pseudo-terminal keeps the newest 5,000."""
    path = tmp_path / "counter-history"
    path.write_text("".join(f"balance {n}\n" for n in range(5003)), encoding="utf-8")
    child = spawn({"KIRANA_HISTORY": str(path)})
    child.send("dues\r")
    child.expect("Error: no ledger at")  # an error line: the shell goes on, the line is kept
    child.expect("kirana>")
    assert end(child) == 0
    kept = lines(path)
    assert len(kept) == 5001
    assert kept[0] == "balance 3"
    assert kept[-1] == "dues"
