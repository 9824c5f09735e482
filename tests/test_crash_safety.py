"""Issue 4 acceptance 3: an import is one transaction. A large import in a real `kirana`
subprocess, SIGKILLed at random points (10 runs, with and without worker processes), leaves
either none or all of its events, and `verify` passes every time."""

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kirana.cli.main import INTERRUPTED
from kirana.ledger import open_ledger
from kirana.verify import verify

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
RUNS = 10
ROWS = 10_000

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")


def kirana_executable() -> str:
    candidate = Path(sys.executable).with_name("kirana")
    return str(candidate) if candidate.exists() else "kirana"


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("make_month", SAMPLE / "make_month.py")
    make_month = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_month)
    path = tmp_path_factory.mktemp("crash") / "big.csv"
    make_month.write(path, events=ROWS, customers=200, seed=99, month="2024-11")
    return path


def start_import(db: Path, csv_path: Path, workers: int = 0) -> subprocess.Popen:
    env = {**os.environ, "KIRANA_DB": str(db)}
    return subprocess.Popen(
        [
            kirana_executable(),
            "import",
            str(csv_path),
            "--new-customers",
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_imports_leave_none_or_all_of_their_events(big_csv, tmp_path):
    reference = tmp_path / "reference.db"
    started = time.monotonic()
    assert start_import(reference, big_csv).wait(timeout=120) == 0
    duration = time.monotonic() - started
    with open_ledger(reference) as ledger:
        everything = ledger.event_count()
    assert everything > ROWS  # rows plus the customers created on first use

    final_size = reference.stat().st_size
    rng = random.Random(20240812)
    outcomes, mid_write = [], 0
    for run in range(RUNS):
        db = tmp_path / f"killed-{run}.db"
        wal = Path(str(db) + "-wal")
        process = start_import(db, big_csv, workers=run % 3)  # in-process, 1 or 2 workers
        if run % 2 == 0:  # a random point of the write: once the WAL holds that many bytes
            threshold = rng.uniform(0.05, 0.8) * final_size
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if wal.exists() and wal.stat().st_size >= threshold:
                    break
                time.sleep(0.005)
        else:  # a random moment, start-up included
            time.sleep(rng.uniform(0.05, 1.0) * duration)
        if process.poll() is None and wal.exists() and wal.stat().st_size > 0:
            mid_write += 1
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        with open_ledger(db) as ledger:
            count = ledger.event_count()
            result = verify(ledger)
        assert count in (0, everything), f"run {run}: {count} of {everything} events survived"
        assert result.ok, result.problems
        outcomes.append(count)
    # the kills really landed while the import was writing its transaction
    assert mid_write >= RUNS // 2, (mid_write, outcomes)


LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@LINUX_PROC
def test_a_killed_import_leaves_no_worker_processes_behind(big_csv, tmp_path):
    process = start_import(tmp_path / "orphans.db", big_csv, workers=2)
    with cleaned_up(process) as workers:
        workers += wait_for_workers(process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)], "workers outlived their killed import"


def wait_for_workers(process: subprocess.Popen) -> list[int]:
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = children_of(process.pid)
        time.sleep(0.01)
    assert len(workers) == 2, "the import did not start two workers"
    return workers


@contextmanager
def cleaned_up(process: subprocess.Popen) -> Iterator[list[int]]:
    """Yields a list for the worker pids; whatever happens, none of them outlives the test."""
    workers: list[int] = []
    try:
        yield workers
    finally:
        for pid in [process.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=30)


def children_of(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running or sleeping (a zombie waiting to be reaped has already ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@LINUX_PROC
def test_ctrl_c_stops_an_import_with_one_line_and_records_nothing(big_csv, tmp_path):
    """Ctrl-C reaches the whole foreground process group: the import and its workers."""
    db = tmp_path / "interrupted.db"
    env = {**os.environ, "KIRANA_DB": str(db)}
    process = subprocess.Popen(
        [kirana_executable(), "import", str(big_csv), "--new-customers", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    with cleaned_up(process) as workers:
        workers += wait_for_workers(process)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130
        assert stderr == f"Error: {INTERRUPTED}\n"
        with open_ledger(db) as ledger:
            assert ledger.event_count() == 0
        time.sleep(1)
        assert not [pid for pid in workers if alive(pid)]


CTRL_C_WHILE_WORKERS_START = """
import concurrent.futures.process as pool_module, multiprocessing, os, signal
from kirana.io.workers import ordered_map
start = pool_module._ExecutorManagerThread.start
def start_after_ctrl_c(thread):
    os.kill(os.getpid(), signal.SIGINT)  # the workers are forked, the pool's thread not started
    start(thread)
pool_module._ExecutorManagerThread.start = start_after_ctrl_c
try:
    list(ordered_map(abs, range(10), processes=2, initializer=print))
except KeyboardInterrupt:
    print("interrupted; workers left:", len(multiprocessing.active_children()))
"""


def test_ctrl_c_while_the_workers_start_neither_hangs_nor_leaves_them(tmp_path):
    """The narrowest moment: Ctrl-C after the workers are forked, before the pool's thread
    runs (held until the pool is ready, then the workers are stopped)."""
    import concurrent.futures.process as pool_module

    if not hasattr(pool_module, "_ExecutorManagerThread"):
        pytest.skip("this Python's ProcessPoolExecutor has no _ExecutorManagerThread")
    finished = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_WORKERS_START],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.stdout.strip().endswith("interrupted; workers left: 0"), finished.stderr
    assert "Traceback" not in finished.stderr
