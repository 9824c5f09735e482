"""The write lock waits at most a settable time, and says who holds it.

A writer holding the ledger (a Ctrl-Z'd import) used to make every other write wait forever,
silently. Now a write that finds the lock held keeps trying for at most KIRANA_LOCK_TIMEOUT /
--lock-timeout seconds (default 10), saying once on stderr who it is waiting for if the wait
lasts a moment (1 s, or half the timeout; tests/test_concurrency.py: two commands typed at
once still print nothing), then fails with one `Error:` line naming the holder's pid and
command line, having appended nothing. The holder writes its pid and command line into the
`.lock` file while it holds it.

Timing bounds here are deliberately loose (a timed-out write finishes in under 30 s, not "about
1 s"): the tests must not flake on a busy machine.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kirana.ledger import open_ledger
from kirana.store import log

HOLDER = textwrap.dedent(
    """
    import sys
    from kirana.ledger import open_ledger

    with open_ledger(sys.argv[1]) as ledger, ledger.write():
        print("holding", flush=True)
        sys.stdin.read()  # until the test closes our stdin
    print("released", flush=True)
    """
)
GENEROUS = 30  # seconds: far above any wait these tests ask for
_SCRIPT = Path(sys.executable).with_name("kirana")
KIRANA = str(_SCRIPT) if _SCRIPT.exists() else "kirana"  # the console script, as conftest runs it


def run_kirana(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [KIRANA, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=GENEROUS,
        check=False,
    )


def event_count(db: Path) -> int:
    with open_ledger(db) as ledger:
        return ledger.event_count()


@pytest.fixture
def ledger_with_priya(db_path) -> Path:
    assert run_kirana("customer", "add", "Priya").returncode == 0
    return db_path


@pytest.fixture
def holder(ledger_with_priya):
    """A separate Python process inside `Ledger.write()` on the test's ledger until released."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ledger_with_priya)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline() == "holding\n"

    def release() -> None:
        if process.stdin and not process.stdin.closed:
            process.stdin.close()
        assert process.wait(timeout=GENEROUS) == 0

    process.release = release
    try:
        yield process
    finally:
        if process.poll() is None:
            process.stdin.close()
            process.wait(timeout=GENEROUS)


def waited_for(pid: int, command: str) -> str:
    return f"Waiting for another kirana (pid {pid}, {command}) that is writing to the ledger…"


def held_by(pid: int, command: str) -> str:
    return (
        f"Error: another kirana (pid {pid}, {command}) holds the ledger; wait for it to finish, "
        f"or stop it (it may be suspended: fg or kill {pid})"
    )


def test_a_write_gives_up_after_the_timeout_naming_the_holder(holder, ledger_with_priya):
    before = event_count(ledger_with_priya)
    started = time.monotonic()
    result = run_kirana("pay", "Priya", "10", KIRANA_LOCK_TIMEOUT="1")
    assert time.monotonic() - started < GENEROUS
    command = f"python -c {ledger_with_priya}"
    assert result.returncode == 1
    *said, error = result.stderr.splitlines()
    assert error == held_by(holder.pid, command)
    assert said in ([], [waited_for(holder.pid, command)])  # said once, if it waited a moment
    assert result.stdout == ""
    holder.release()
    assert event_count(ledger_with_priya) == before  # nothing appended


def test_the_write_goes_through_when_the_holder_finishes_in_time(holder, ledger_with_priya):
    before = event_count(ledger_with_priya)
    writer = subprocess.Popen(
        [KIRANA, "pay", "Priya", "10"],
        env={**os.environ, "KIRANA_LOCK_TIMEOUT": "120"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([writer.stderr], [], [], GENEROUS)
        assert ready, "the waiting writer said nothing"
        first = writer.stderr.readline()
        holder.release()  # while the writer waits
        out, err = writer.communicate(timeout=GENEROUS)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert first == waited_for(holder.pid, f"python -c {ledger_with_priya}") + "\n"
    assert writer.returncode == 0, err
    assert "Waiting" not in err  # said once
    assert "Payment" in out
    assert event_count(ledger_with_priya) == before + 1


def test_a_suspended_kirana_import_is_named_and_nothing_is_appended(ledger_with_priya, tmp_path):
    rows = ["date,type,customer,amount,method,items,reference,note,key"]
    rows += [f"2025-02-01,payment,Priya,{n % 900 + 1},cash,,,,k{n}" for n in range(100_000)]
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = event_count(ledger_with_priya)
    lock_file = Path(str(ledger_with_priya) + ".lock")
    importer = subprocess.Popen(
        [KIRANA, "import", "big.csv", "--workers", "0"],
        cwd=tmp_path,  # so that its command line is `kirana import big.csv …`
        env={**os.environ, "PYTHONPATH": _absolute(os.environ.get("PYTHONPATH", ""))},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # the import writes its pid into the lock file once it holds the lock: then stop it
        deadline = time.monotonic() + 60
        while not lock_file.read_text().startswith(f"{importer.pid}\n"):
            assert importer.poll() is None, "the import ended before it could be suspended"
            assert time.monotonic() < deadline, "the import never named itself in the lock file"
            time.sleep(0.005)
        os.kill(importer.pid, signal.SIGSTOP)  # as Ctrl-Z does
        assert _is_locked(lock_file), "the import finished its transaction before the stop"

        started = time.monotonic()
        result = run_kirana("pay", "Priya", "10", KIRANA_LOCK_TIMEOUT="1")
        assert time.monotonic() - started < GENEROUS
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1] == held_by(
            importer.pid, "kirana import big.csv --workers 0"
        )
    finally:
        importer.kill()  # a stopped process dies of SIGKILL too: its transaction is lost
        importer.wait(timeout=GENEROUS)
    assert event_count(ledger_with_priya) == before
    assert run_kirana("pay", "Priya", "10").returncode == 0  # the lock went with it


def _absolute(search_path: str) -> str:
    """PYTHONPATH=. still means this checkout when the process runs in another folder."""
    return os.pathsep.join(os.path.abspath(part) for part in search_path.split(os.pathsep) if part)


def _is_locked(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def test_the_lock_file_names_its_holder_and_an_empty_one_is_tolerated(
    holder, ledger_with_priya, kirana
):
    lock_file = Path(str(ledger_with_priya) + ".lock")
    assert lock_file.stat().st_mode & 0o777 == 0o600
    assert lock_file.read_text() == f"{holder.pid}\npython -c {ledger_with_priya}\n"
    lock_file.write_text("")  # as a holder that has not written yet (or an older kirana)
    result = kirana("--lock-timeout", "0", "pay", "Priya", "10")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: another kirana holds the ledger; wait for it to finish, or stop it "
        "(it may be suspended: fg, or find it with ps)\n"
    )
    holder.release()
    assert lock_file.exists() and lock_file.read_text() == ""  # emptied on release, kept


@pytest.mark.parametrize(
    ("content", "pid", "command"),
    [
        ("", None, ""),
        ("\n", None, ""),
        ("garbage\nkirana pay\n", None, ""),
        ("\x00\x00\x00", None, ""),
        ("4242", 4242, ""),  # cut short
        ("4242\nkirana imp", 4242, ""),  # cut short: the command is not trusted
        ("4242\nkirana import big.csv\n", 4242, "kirana import big.csv"),
        ("٤٢\nkirana\n", None, ""),  # not ASCII digits
    ],
)
def test_a_partial_or_odd_lock_file_is_read_as_far_as_it_goes(tmp_path, content, pid, command):
    path = tmp_path / "x.lock"
    path.write_text(content, encoding="utf-8")
    fd = os.open(path, os.O_RDONLY)
    try:
        assert log._holder(fd) == log.LockHolder(pid, command)
    finally:
        os.close(fd)


def test_another_program_holding_sqlite_s_lock_does_not_add_a_minute(ledger_with_priya):
    """Under the lock file no kirana holds SQLite's write lock, so only another program can
    (a sqlite3 shell in a transaction): BEGIN IMMEDIATE then waits what is left of the
    timeout, not SQLite's 60 s busy timeout."""
    other = sqlite3.connect(ledger_with_priya, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = run_kirana("pay", "Priya", "10", KIRANA_LOCK_TIMEOUT="1")
        assert time.monotonic() - started < GENEROUS
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.returncode == 1
    assert result.stderr == (
        "Error: another program is writing to the ledger file; wait for it to finish, or close "
        "it (e.g. a sqlite3 shell with an open transaction)\n"
    )


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("env", "abc", "KIRANA_LOCK_TIMEOUT 'abc' is not a number of seconds; use e.g. 10, or 0"),
        ("env", "-1", "KIRANA_LOCK_TIMEOUT '-1' is not a number of seconds; use e.g. 10, or 0"),
        ("option", "nan", "--lock-timeout 'nan' is not a number of seconds; use e.g. 10, or 0"),
    ],
)
def test_a_bad_lock_timeout_is_one_error_line(
    kirana, monkeypatch, ledger_with_priya, where, value, message
):
    if where == "env":
        monkeypatch.setenv("KIRANA_LOCK_TIMEOUT", value)
        result = kirana("pay", "Priya", "10")
    else:
        result = kirana("--lock-timeout", value, "pay", "Priya", "10")
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert result.stdout == ""
