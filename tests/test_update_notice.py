"""A long khata brought up to this version of kirana says so once on stderr (a step that fills a
read model reads the whole log: about 14 s at a million events), and a short one says nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kirana.store import log

FIXTURE = Path(__file__).parent / "fixtures" / "release-0.1" / "release-0.1.db"
NOTICE = "Updating the ledger for this kirana (once; a long khata takes a minute)…"


def _old_copy(tmp_path, monkeypatch) -> Path:
    copy = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, copy)
    monkeypatch.setenv("KIRANA_DB", str(copy))
    monkeypatch.setenv("KIRANA_NOW", "2025-04-02T12:00:00")
    return copy


def test_a_long_log_is_announced_once_before_it_is_brought_up_to_date(
    tmp_path, monkeypatch, kirana
):
    _old_copy(tmp_path, monkeypatch)
    monkeypatch.setattr(log, "UPDATE_NOTICE_FROM", 1)  # the fixture's log counts as long
    first = kirana("balance", "--json")
    assert first.exit_code == 0
    assert first.stderr.splitlines() == [NOTICE]
    json.loads(first.stdout)  # stdout stays the command's own output
    again = kirana("balance", "--json")
    assert again.exit_code == 0 and again.stderr == ""  # brought up to date: nothing to say


def test_a_short_log_is_brought_up_to_date_without_a_word(tmp_path, monkeypatch, kirana):
    _old_copy(tmp_path, monkeypatch)
    done = kirana("balance", "--json")
    assert done.exit_code == 0 and done.stderr == ""


def test_the_notice_is_said_in_hindi(tmp_path, monkeypatch, kirana):
    _old_copy(tmp_path, monkeypatch)
    monkeypatch.setattr(log, "UPDATE_NOTICE_FROM", 1)
    done = kirana("--lang", "hi", "balance", "--json")
    assert done.exit_code == 0
    (line,) = done.stderr.splitlines()
    assert line != NOTICE and "kirana" in line
