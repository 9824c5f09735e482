"""Start-up of the counter commands (issue 14): `kirana sale`, `pay` and `balance NAME` load
only what they use (no OpenSSL, orjson, decimal or Rich), Typer never compiles a command's
annotations, and the entry point pauses the cyclic collector only while the CLI loads.
No timings here: what is checked is what a process loads and does (BENCHMARKS.md has the
figures)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana import events
from kirana.cli import lazy, main

ROOT = Path(__file__).resolve().parent.parent

# loaded by none of the counter commands (each is a shared library or a large module to load)
NEVER = {"hashlib", "_hashlib", "orjson", "decimal", "_decimal", "kirana.jsonfast", "rich"}


def _loaded(tmp_path: Path, *args: str) -> tuple[set[str], str]:
    """(every module `python -X importtime -m kirana ARGS` imported, its stdout)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kirana", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # `python -m` looks in the working folder first: not a checkout
        env=os.environ,
    )
    assert done.returncode == 0, done.stderr
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return names, done.stdout


@pytest.fixture
def shop(kirana):
    assert kirana("customer", "add", "Priya").exit_code == 0
    assert kirana("sale", "Priya", "--amount", "120", "--credit").exit_code == 0


@pytest.mark.parametrize(
    ("args", "said", "other_commands"),
    [
        (("sale", "--amount", "10", "--cash"), "Cash sale", "kirana.cli.views"),
        (("sale", "Priya", "--amount", "10", "--credit"), "dues now ₹130.00", "kirana.cli.views"),
        (("pay", "Priya", "1"), "dues now ₹119.00", "kirana.cli.views"),
        (("balance", "Priya"), "Priya: ₹120.00", "kirana.cli.entries"),
    ],
)
def test_a_counter_command_loads_no_heavy_module(shop, tmp_path, args, said, other_commands):
    loaded, out = _loaded(tmp_path, *args)
    assert said in out
    assert "kirana.events" in loaded  # the list is real: kirana's own modules are in it
    assert loaded & NEVER == set()
    assert other_commands not in loaded


def test_a_sale_of_items_still_counts_quantities_exactly(shop, tmp_path):
    """decimal is loaded where quantities are counted, and only there."""
    loaded, out = _loaded(tmp_path, "sale", "Priya", "atta:1.5@250.01", "--credit")
    assert "₹375.02" in out  # 1.5 × 250.01 = 375.015, half up
    assert "decimal" in loaded


def test_the_first_events_of_a_process_hash_as_openssl_does():
    """A fresh process hashes its first events with Python's own SHA-256 module and the rest
    with hashlib's: the chain is the same either way."""
    code = (
        "import hashlib\n"
        "from kirana import events\n"
        "for n in range(3 * events._FIRST_EVENTS):\n"
        "    text = 'ध' * n + str(n)\n"
        "    want = hashlib.sha256(('0' * 64 + text).encode('utf-8')).hexdigest()\n"
        "    assert events.hash_text('0' * 64, text) == want, n\n"
        "assert events._sha256 is hashlib.sha256\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


@given(st.binary(max_size=600))
def test_the_small_sha256_module_gives_openssls_digest(data):
    assert events._small_sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("module", ["entries", "views"])
def test_command_annotations_are_objects_not_text(module):
    """Text annotations (`from __future__ import annotations`) are compiled by Typer each time
    it reads them: several times for every command it builds."""
    functions = [info.callback for info in lazy.registered_by(module).registered_commands]
    functions.append(main.global_options)
    for function in functions:
        texts = [name for name, hint in function.__annotations__.items() if isinstance(hint, str)]
        assert texts == [], function.__name__


def test_the_entry_point_runs_the_command_with_the_collector_on(db_path):
    """kirana.cli.start.run pauses the collector while the CLI loads, not while it works."""
    code = (
        "import gc, sys\n"
        "import kirana.cli.main as cli\n"
        "seen = []\n"
        "real = cli.main\n"
        "def main(argv=None):\n"
        "    seen.append(gc.isenabled())\n"
        "    return real(argv)\n"
        "cli.main = main\n"
        "from kirana.cli import start\n"
        f"sys.argv = ['kirana', '--db', {str(db_path)!r}, 'customer', 'add', 'Priya']\n"
        "try:\n"
        "    start.run()\n"
        "except SystemExit as done:\n"
        "    print(done.code, seen, gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=False
    )
    assert done.stdout.splitlines()[-1] == "0 [True] True True", done.stderr
    assert "Added customer Priya" in done.stdout


def test_the_console_script_and_python_m_start_through_start_run():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["kirana"] == "kirana.cli.start:run"
    for name in ("kirana/__main__.py", "kirana/cli/__main__.py"):
        assert "from kirana.cli.start import run" in (ROOT / name).read_text(encoding="utf-8")
