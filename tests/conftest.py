"""Shared fixtures: a fresh ledger file per test, an injected clock, and two ways to run the CLI
(in-process through `kirana.cli.main.main`, and as a real `kirana` subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kirana.ledger import open_ledger


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """Every test gets its own ledger path, user and a fixed clock; nothing touches ~/."""
    monkeypatch.setenv("KIRANA_DB", str(tmp_path / "khata.db"))
    monkeypatch.setenv("KIRANA_USER", "tester")
    monkeypatch.setenv("KIRANA_NOW", "2025-03-10T18:00:00")
    monkeypatch.setenv("KIRANA_TZ", "Asia/Kolkata")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "khata.db"


@pytest.fixture
def ledger(db_path):
    with open_ledger(db_path) as opened:
        yield opened


@pytest.fixture
def clock(monkeypatch):
    """clock('2025-03-06T10:00') sets the moment the next entries are recorded at."""

    def set_now(moment: str) -> None:
        monkeypatch.setenv("KIRANA_NOW", moment)

    return set_now


@pytest.fixture
def kirana(capsys):
    """Run the CLI in-process: kirana('sale', 'Priya', ...) -> Result."""
    from kirana.cli.main import main

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def run_kirana_process(*args: str, env: dict | None = None, timeout: float = 120) -> Result:
    """Run the installed `kirana` console script as a real subprocess."""
    completed = subprocess.run(
        [_kirana_executable(), *[str(a) for a in args]],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def _kirana_executable() -> str:
    candidate = Path(sys.executable).with_name("kirana")
    return str(candidate) if candidate.exists() else "kirana"


@pytest.fixture
def kirana_process():
    return run_kirana_process


@pytest.fixture
def fixed_ids(monkeypatch):
    """Deterministic event ids (1, 2, 3, … as 32 hex digits), so hashes (and so golden files)
    are reproducible."""
    import itertools
    import uuid

    from kirana.store import codec

    counter = itertools.count(1)
    monkeypatch.setattr(
        codec,
        "new_event_ids",
        lambda count: [uuid.UUID(int=next(counter)).hex for _ in range(count)],
    )
