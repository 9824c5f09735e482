"""No output path can lose or fake the ledger (kirana/io/safe_file.py).

Every file kirana writes (export, report/statement --out, import --rejects and --review,
backup) refuses the ledger, its -wal/-shm/-journal/.lock and the command's own input, however spelled (`./`,
`a/../`, a symlink, a hard link); it is written to a temp file beside the target (never through
a planted symlink), fsynced and renamed, owner-only; a failure leaves the target as it was and
no temp file. A backup killed mid-way leaves nothing at FILE; verify refuses a half-written
file without rolling it back.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PACKAGE = Path(__file__).resolve().parent.parent / "kirana"
SAMPLE = PACKAGE.parent / "sample_data"
HEADER = "date,type,customer,amount,method,items,reference,note,key\n"
BAD_CSV = HEADER + "2024-08-21,sale,Priya Madam,10,credit,,,,\n2024-08-21,refund,Priya,1,cash,,,,\n"
BAD_JSONL = '{"not": "an event"}\n'
BANK = (  # one credit from a payer the khata does not know: it goes to the review file
    "Date,Narration,Chq./Ref.No.,Value Dt,Withdrawal Amt.,Deposit Amt.,Closing Balance\n"
    "01/03/25,UPI-RAVI VERMA-ravi.v@oksbi-SBIN0003456-506034567893-UPI,,01/03/25,,300.00,\n"
)

COMMANDS = {
    "export jsonl": ("export", "--out"),
    "export csv": ("export", "--format", "csv", "--out"),
    "export ledger": ("export", "--format", "ledger", "--out"),
    "export beancount": ("export", "--format", "beancount", "--out"),
    "statement md": ("statement", "Priya", "--format", "md", "--out"),
    "statement html": ("statement", "Priya", "--format", "html", "--out"),
    "report month md": ("report", "month", "2024-08", "--format", "md", "--out"),
    "report month xlsx": ("report", "month", "2024-08", "--format", "xlsx", "--out"),
    "report gst csv": ("report", "gst", "2024-08", "--format", "csv", "--out"),
    "import csv --rejects": ("import", "{bad.csv}", "--skip-invalid", "--rejects"),
    "import jsonl --rejects": ("import", "{bad.jsonl}", "--skip-invalid", "--rejects"),
    "import bank --review": ("import", "{bank.csv}", "--format", "bank", "--review"),
    "backup": ("backup",),
}


KIRANA = str(Path(sys.executable).with_name("kirana"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


@pytest.fixture
def shop(kirana, db_path, tmp_path):
    """The Sharma store ledger, a CSV and a JSONL file each with a bad row."""
    assert kirana("import", SAMPLE / "sharma_store.csv").exit_code == 0
    (tmp_path / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text(BAD_JSONL, encoding="utf-8")
    (tmp_path / "bank.csv").write_text(BANK, encoding="utf-8")
    return db_path


def command(name: str, target, tmp_path: Path) -> list:
    words = [tmp_path / w[1:-1] if w.startswith("{") else w for w in COMMANDS[name]]
    return [*words, target]


def assert_ledger_unchanged(kirana, db_path: Path, before: str) -> None:
    assert digest(db_path) == before
    check = kirana("verify")
    assert check.exit_code == 0 and check.stdout.startswith("OK: 8 entries"), check.stderr


# ---- the ledger, however spelled ----------------------------------------------------------
def spell(name: str, tmp_path: Path, db_path: Path) -> Path:
    """The ledger (or a companion of it) spelled another way."""
    if name == "symlink":
        (tmp_path / "link.db").symlink_to(db_path)
        return tmp_path / "link.db"
    if name == "hard link":
        os.link(db_path, tmp_path / "hard.db")
        return tmp_path / "hard.db"
    if name == "../":
        (tmp_path / "sub").mkdir()
        return tmp_path / "sub" / ".." / db_path.name
    if name == "folder symlink":
        (tmp_path / "again").symlink_to(tmp_path, target_is_directory=True)
        return tmp_path / "again" / db_path.name
    return Path(f"{db_path}{name}") if name else db_path


@pytest.mark.parametrize("spelling", ["", "symlink", "hard link", "../"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_output_naming_the_ledger_is_refused(kirana, shop, tmp_path, name, spelling):
    target = spell(spelling, tmp_path, shop)
    before = digest(shop)
    result = kirana(*command(name, target, tmp_path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert f" {target} is the ledger itself; choose another file\n" in result.stderr
    assert_ledger_unchanged(kirana, shop, before)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("companion", ["-wal", "-shm", "-journal", ".lock", "folder symlink"])
def test_an_output_naming_a_companion_of_the_ledger_is_refused(kirana, shop, tmp_path, companion):
    target = spell(companion, tmp_path, shop)
    existed = os.path.lexists(target)
    before = digest(shop)
    for name in ("export csv", "report month md", "import csv --rejects"):
        result = kirana(*command(name, target, tmp_path))
        assert result.exit_code == 1
        assert " is the ledger" in result.stderr and result.stderr.count("\n") == 1
        assert os.path.lexists(target) == existed  # nothing made there
    assert_ledger_unchanged(kirana, shop, before)


def test_a_relative_spelling_from_the_ledgers_folder_is_refused(
    kirana, shop, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    before = digest(shop)
    for spelling in ("khata.db", "./khata.db", "x/../khata.db", "./././khata.db-wal"):
        result = kirana("export", "--format", "csv", "--out", spelling)
        assert result.exit_code == 1 and "is the ledger" in result.stderr
    assert_ledger_unchanged(kirana, shop, before)


def test_a_ledger_opened_through_a_symlink_protects_the_real_file(kirana, shop, tmp_path):
    link = tmp_path / "shop-link.db"
    link.symlink_to(shop)
    before = digest(shop)
    for target in (shop, Path(f"{shop}-wal"), link, Path(f"{link}-shm")):
        result = kirana("--db", link, "export", "--format", "csv", "--out", target)
        assert result.exit_code == 1 and " is the ledger" in result.stderr, target
    assert_ledger_unchanged(kirana, shop, before)


SPELLINGS = ["", "./", "sub/../", "sub/./../", "again/", "sub/up/", "again/sub/../", "./again/"]
NAMES = ["khata.db", "link.db", "hard.db", "chain.db", "khata.db-wal", "khata.db-shm"]
NAMES += ["khata.db-journal", "khata.db.lock", "again/khata.db-wal"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    prefix=st.lists(st.sampled_from(SPELLINGS), max_size=3),
    name=st.sampled_from(NAMES),
    absolute=st.booleans(),
    which=st.sampled_from(["export csv", "report month md", "import csv --rejects", "backup"]),
)
def test_no_spelling_of_the_ledger_can_be_written(
    kirana, shop, tmp_path, monkeypatch, prefix, name, absolute, which
):
    """Random relative spellings of the ledger's path (`./`, `a/../`, symlinks to it and to
    its folder, hard links): no --out, --rejects or backup FILE can name it. Case is not folded
    (Linux file names are case-sensitive): KHATA.DB is another file, see the next test."""
    monkeypatch.chdir(tmp_path)
    if not (tmp_path / "sub").exists():
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "up").symlink_to("..", target_is_directory=True)
        (tmp_path / "again").symlink_to(tmp_path, target_is_directory=True)
        (tmp_path / "link.db").symlink_to("khata.db")
        (tmp_path / "chain.db").symlink_to("again/link.db")
        os.link(shop, tmp_path / "hard.db")
    before = digest(shop)
    spelled = "".join(prefix) + name
    target = tmp_path / spelled if absolute else Path(spelled)
    result = kirana(*command(which, target, tmp_path))
    assert result.exit_code == 1, (spelled, result.stdout)
    assert " is the ledger" in result.stderr and result.stderr.count("\n") == 1
    assert digest(shop) == before
    assert leftovers(tmp_path) == []


def test_case_is_not_folded_on_a_case_sensitive_file_system(kirana, shop, tmp_path):
    other = tmp_path / "KHATA.DB"
    if other.exists():  # a case-insensitive file system: KHATA.DB is the ledger there
        result = kirana("export", "--out", other)
        assert result.exit_code == 1 and "is the ledger itself" in result.stderr
        return
    before = digest(shop)
    result = kirana("export", "--out", other)
    assert result.exit_code == 0, result.stderr
    assert other.read_text(encoding="utf-8").count("\n") == 8
    assert_ledger_unchanged(kirana, shop, before)


# ---- the command's own input --------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["same", "./", "symlink", "hard link"])
@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_rejects_naming_the_input_is_refused_and_the_input_kept(
    kirana, shop, tmp_path, monkeypatch, spelling, kind
):
    monkeypatch.chdir(tmp_path)
    big = tmp_path / f"big.{kind}"
    if kind == "csv":
        rows = [f"2024-08-2{day % 9},sale,Priya Madam,{day},credit,,,,\n" for day in range(3000)]
        rows.insert(1, "2024-08-21,refund,Priya,1,cash,,,,\n")
        big.write_text(HEADER + "".join(rows), encoding="utf-8")
    else:
        assert kirana("export", "--out", tmp_path / "all.jsonl").exit_code == 0
        lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8")
        big.write_text(BAD_JSONL + lines * 300, encoding="utf-8")
    rejects = {
        "same": big,
        "./": Path(f"./{big.name}"),
        "symlink": tmp_path / "r.link",
        "hard link": tmp_path / "r.hard",
    }[spelling]
    if spelling == "symlink":
        rejects.symlink_to(big)
    elif spelling == "hard link":
        os.link(big, rejects)
    before, ledger_before = digest(big), digest(shop)
    result = kirana("import", big, "--skip-invalid", "--rejects", rejects)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: --rejects {rejects} is the input file {big}; choose another file\n"
    )
    assert digest(big) == before
    assert_ledger_unchanged(kirana, shop, ledger_before)


# ---- symlinks: never followed, never planted -----------------------------------------------
def test_an_out_that_is_a_symlink_is_refused_and_its_target_untouched(kirana, shop, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    for target in (link, dangling):
        for name in ("export csv", "statement md", "import csv --rejects", "backup"):
            result = kirana(*command(name, target, tmp_path))
            assert result.exit_code == 1
            assert result.stderr.endswith(f" {target} is a symbolic link; give the real path\n")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "nowhere.csv").exists()
    assert link.is_symlink() and dangling.is_symlink()


def test_a_folder_or_a_device_is_not_an_output(kirana, shop, tmp_path):
    (tmp_path / "folder").mkdir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, what in (
        (tmp_path / "folder", "is a folder; give a file name inside it"),
        (fifo, "is not a regular file (a device or pipe); give a file's path"),
    ):
        result = kirana("export", "--out", target)
        assert result.stderr == f"Error: --out {target} {what}\n"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # (not /dev/null: as root, old code replaced it)


def test_a_planted_partial_symlink_cannot_redirect_export(kirana, shop, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / "out.jsonl.partial").symlink_to(victim)
    (tmp_path / "out.csv.partial").symlink_to(shop)
    before = digest(shop)
    assert kirana("export", "--out", tmp_path / "out.jsonl").exit_code == 0
    assert kirana("export", "--format", "csv", "--out", tmp_path / "out.csv").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    for out in (tmp_path / "out.jsonl", tmp_path / "out.csv"):
        assert not out.is_symlink() and out.is_file()
        assert stat.S_IMODE(os.lstat(out).st_mode) == 0o600
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 8
    assert_ledger_unchanged(kirana, shop, before)


def test_a_symlink_planted_at_the_temp_name_is_never_followed(kirana, shop, tmp_path, monkeypatch):
    from kirana.io import safe_file

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    planted = ".kirana-0123456789abcdef.partial"
    (tmp_path / planted).symlink_to(victim)
    names = iter([planted, planted])
    real = safe_file._temp_name
    monkeypatch.setattr(safe_file, "_temp_name", lambda: next(names, None) or real())
    result = kirana("export", "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / planted).is_symlink()  # not followed, and not swept either
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 8


def test_a_killed_runs_temp_file_is_swept_but_a_live_ones_is_kept(kirana, shop, tmp_path):
    import fcntl

    stale = tmp_path / ".kirana-00000000000000aa.partial"
    live = tmp_path / ".kirana-00000000000000bb.partial"
    theirs = [tmp_path / "notes.partial", tmp_path / ".kirana-mine.partial"]
    for path in (stale, live, *theirs):
        path.write_text("half written", encoding="utf-8")
    held = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a kirana still writing it holds it
        assert kirana("export", "--out", tmp_path / "out.jsonl").exit_code == 0
        assert not stale.exists() and live.exists() and all(p.exists() for p in theirs)
    finally:
        os.close(held)
    assert kirana("export", "--out", tmp_path / "out.jsonl").exit_code == 0
    assert not live.exists() and all(p.exists() for p in theirs)


# ---- owner-only ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_output_is_owner_only(kirana, shop, tmp_path, name):
    old_umask = os.umask(0o022)
    try:
        target = tmp_path / f"out-{name.replace(' ', '-')}"
        if name != "backup":
            target.write_text("an older file, readable by all", encoding="utf-8")
            target.chmod(0o644)
        result = kirana(*command(name, target, tmp_path))
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert "readable by all" not in target.read_bytes().decode("utf-8", "replace")
    assert leftovers(tmp_path) == []


# ---- failures leave the target as it was -------------------------------------------------------
def _fill_disk_after(monkeypatch, nbytes: int, error: BaseException) -> None:
    from kirana.io import safe_file

    written = [0]

    def write(fd, data):
        if written[0] >= nbytes:
            raise error
        part = bytes(data)[: max(1, nbytes - written[0])]
        written[0] += len(part)
        return os.write(fd, part)

    monkeypatch.setattr(safe_file, "_write", write)


@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.parametrize(
    "name", ["export jsonl", "export beancount", "report month xlsx", "statement md"]
)
def test_a_full_disk_leaves_no_file_and_no_temp(
    kirana, shop, tmp_path, monkeypatch, name, existing
):
    target = tmp_path / "out.file"
    if existing:
        target.write_text("the previous export", encoding="utf-8")
    _fill_disk_after(monkeypatch, 10, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result = kirana(*command(name, target, tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot write --out {target} (No space left on device), so it was not touched:"
        " free some space or choose another file\n"
    )
    if existing:
        assert target.read_text(encoding="utf-8") == "the previous export"
    else:
        assert not target.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_a_full_disk_while_writing_rejects_imports_nothing(
    kirana, shop, tmp_path, monkeypatch, kind
):
    rejects = tmp_path / "rejects.out"
    _fill_disk_after(monkeypatch, 0, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    before = digest(shop)
    result = kirana("import", tmp_path / f"bad.{kind}", "--skip-invalid", "--rejects", rejects)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: cannot write --rejects {rejects}")
    assert not rejects.exists() and leftovers(tmp_path) == []
    assert_ledger_unchanged(kirana, shop, before)


def test_ctrl_c_while_writing_leaves_no_file_and_no_temp(kirana, shop, tmp_path, monkeypatch):
    target = tmp_path / "out.jsonl"
    _fill_disk_after(monkeypatch, 100, KeyboardInterrupt())
    result = kirana("export", "--out", target)
    assert result.exit_code != 0
    assert not target.exists() and leftovers(tmp_path) == []


class _InterruptedCopy(sqlite3.Connection):
    """A connection whose backup copies a page at a time and is interrupted after the first."""

    def backup(self, target, **_options):
        def interrupt(status, remaining, total):
            raise KeyboardInterrupt

        return super().backup(target, pages=1, progress=interrupt)


def test_ctrl_c_during_a_backup_leaves_no_file_and_no_temp(kirana, shop, tmp_path, monkeypatch):
    connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: connect(*a, factory=_InterruptedCopy, **k)
    )
    target = tmp_path / "copy.db"
    result = kirana("backup", target)
    assert result.exit_code != 0
    assert not target.exists() and leftovers(tmp_path) == []
    assert not Path(f"{target}-journal").exists()


# ---- backup killed mid-way; verify on a half-written file ------------------------------------
# A `kirana backup` whose copy goes a page at a time and pauses 20 pages in, to be killed there
# (the ledger's connection is made by a factory with a slower `backup`; kirana is unchanged).
PAUSED_BACKUP = """
import pathlib, sqlite3, sys, time
marker = pathlib.Path(sys.argv[2])
class Paused(sqlite3.Connection):
    def backup(self, target, **options):
        def pause(status, remaining, total):
            if total - remaining >= 20:
                marker.touch()
                time.sleep(120)
        return super().backup(target, pages=1, progress=pause)
connect = sqlite3.connect
sqlite3.connect = lambda *args, **kwargs: connect(*args, factory=Paused, **kwargs)
from kirana.cli.main import main
sys.exit(main(["backup", sys.argv[1]]))
"""

# What `kirana backup` did before: SQLite writing straight into FILE (a rollback journal beside
# it), here paused after 100 pages so it can be killed mid-way.
OLD_STYLE_BACKUP = """
import pathlib, sqlite3, sys, time
source = sqlite3.connect(sys.argv[1])
copy = sqlite3.connect(sys.argv[2])
copy.execute("PRAGMA cache_size = 5")
marker, steps = pathlib.Path(sys.argv[3]), [0]
def pause(status, remaining, total):
    steps[0] += 1
    if steps[0] == 100:
        marker.touch()
        time.sleep(120)
source.backup(copy, pages=1, progress=pause)
"""


@pytest.fixture
def bigger_shop(kirana, db_path):
    """About 1 MB of ledger: 2,260 entries."""
    assert kirana("import", SAMPLE / "generated_month.csv").exit_code == 0
    return db_path


def _kill_when(marker: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the backup never paused"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_a_backup_killed_mid_way_leaves_nothing_at_file(kirana, bigger_shop, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    target, marker = folder / "copy.db", tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_BACKUP, str(target), str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _kill_when(marker, process)
    assert process.returncode == -signal.SIGKILL
    assert not target.exists() and not Path(f"{target}-journal").exists()
    # The killed run's work sits in a private temp folder beside FILE, removed by the next write.
    assert [p.is_dir() for p in folder.iterdir()] == [True]
    assert len(leftovers(folder)) == 1
    again = kirana("backup", folder / "again.db")
    assert again.exit_code == 0, again.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["again.db"]
    assert kirana("--db", folder / "again.db", "verify").exit_code == 0


def test_a_real_backup_killed_at_any_moment_leaves_nothing_or_a_whole_copy(
    kirana, bigger_shop, tmp_path
):
    head = kirana("info", "--json").json()["head"]
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / "copy.db"
    process = subprocess.Popen(
        [KIRANA, "backup", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if leftovers(folder) or target.exists():  # it has begun writing: kill it now
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.0005)
    process.wait(timeout=30)
    if target.exists():  # the kill came after the copy was linked into place
        assert kirana("--db", target, "info", "--json").json()["head"] == head
        assert kirana("--db", target, "verify").exit_code == 0
    assert not Path(f"{target}-journal").exists()
    assert kirana("backup", folder / "next.db").exit_code == 0
    assert leftovers(folder) == []


def test_verify_refuses_a_half_written_backup_and_does_not_roll_it_back(
    kirana, bigger_shop, tmp_path
):
    target, marker = tmp_path / "half.db", tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-c", OLD_STYLE_BACKUP, str(bigger_shop), str(target), str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _kill_when(marker, process)
    journal = Path(f"{target}-journal")
    assert journal.stat().st_size > 0 and target.stat().st_size > 0
    before = (digest(target), digest(journal))
    for args in (["verify"], ["verify", "--json"]):
        result = kirana("--db", target, *args)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {target} has an unfinished write ({journal} beside it);"
            " it is not a finished ledger\n"
        )
    assert (digest(target), digest(journal)) == before  # not rolled back, not migrated
    assert not Path(f"{target}-wal").exists() and not Path(f"{target}-shm").exists()


def test_verify_refuses_an_empty_file_and_a_database_without_tables(kirana, tmp_path):
    empty, bare = tmp_path / "empty.db", tmp_path / "bare.db"
    empty.touch()
    sqlite3.connect(bare).execute("PRAGMA user_version = 7").connection.close()
    before = digest(bare)
    assert kirana("--db", empty, "verify").stderr == (
        f"Error: {empty} is empty; it is not a finished ledger\n"
    )
    result = kirana("--db", bare, "verify")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {bare} is a database with no tables; it is not a finished ledger\n"
    )
    assert empty.stat().st_size == 0 and digest(bare) == before


def test_verify_refuses_a_truncated_copy(kirana, shop, tmp_path):
    copy = tmp_path / "copy.db"
    assert kirana("backup", copy).exit_code == 0
    size = copy.stat().st_size
    with open(copy, "r+b") as handle:
        handle.truncate(size // 2)
    result = kirana("--db", copy, "verify")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {copy} is shorter than its header says ({size // 2} of {size} bytes);"
        " it is not a finished ledger\n"
    )


# ---- every file kirana writes goes through safe_file --------------------------------------------
# The ledger's own files are made by the store (the ledger and its lock file).
OWN_FILES = {"io/safe_file.py", "store/log.py"}
WRITE_MODES = set("wax+")


def _writes(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value == ".partial":
            found.append(f"{node.lineno}: '.partial'")
        if not isinstance(node, ast.Call):
            continue
        func = ast.unparse(node.func)
        name = func.rsplit(".", 1)[-1]
        if name in ("write_text", "write_bytes") or func in (
            "os.open",
            "shutil.copy",
            "shutil.copyfile",
            "shutil.copy2",
        ):
            found.append(f"{node.lineno}: {func}")
        elif name == "open":
            mode = node.args[1] if len(node.args) > 1 else None
            mode = next((k.value for k in node.keywords if k.arg == "mode"), mode)
            text = mode.value if isinstance(mode, ast.Constant) else ""
            if set(str(text)) & WRITE_MODES:
                found.append(f"{node.lineno}: {func}(…, {text!r})")
    return found


def test_every_file_kirana_writes_goes_through_safe_file():
    elsewhere = {
        str(path.relative_to(PACKAGE)): _writes(ast.parse(path.read_text(encoding="utf-8")))
        for path in PACKAGE.rglob("*.py")
        if str(path.relative_to(PACKAGE)) not in OWN_FILES
    }
    assert {path: found for path, found in elsewhere.items() if found} == {}


def test_the_write_finder_sees_a_write():
    tree = ast.parse("open(p, 'w')\nPath(p).write_bytes(b'')\nq = p + '.partial'\nopen(p)\n")
    assert [line.split(":")[0] for line in _writes(tree)] == ["1", "2", "3"]
