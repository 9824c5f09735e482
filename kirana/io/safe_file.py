"""Every file kirana writes goes through here: exports, reports and statements (--out), an
import's rejects file (--rejects) and backups. No output path can lose or fake the ledger.

- A target is refused, with one line naming the fix, when it is the ledger file or one of its
  SQLite/lock companions (`-wal`, `-shm`, `-journal`, `.lock`), or the command's own input file:
  compared by resolved path (`./`, `a/../`, a symlink in the way) and by device + inode (a
  hard link, a case-folding file system). A target that is a symbolic link, or a folder, is
  refused too (the real path is asked for, never followed), and so is a device or a pipe.
- The content goes to a temp file created in the target's folder (`.kirana-<random>.partial`,
  O_CREAT|O_EXCL|O_NOFOLLOW, mode 0o600, so a planted name or symlink is never followed), is
  fsynced, then `os.replace`d onto the target (a backup, which never overwrites, is hard-linked
  into place instead). Any failure (an exception, a full disk, Ctrl-C) removes the temp file:
  the target is untouched and no empty file is left. Every output is owner-only (0o600).
- A temp file (or a backup's temp folder) is flock-ed while it is written; one left by a killed
  kirana holds no lock, and the next write into that folder removes it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from kirana.errors import InputError
from kirana.i18n import marked, tr

TEMP_PREFIX, TEMP_SUFFIX = ".kirana-", ".partial"
# What SQLite (and kirana's writer lock) keep beside a ledger file, and what to call each.
COMPANIONS = {
    "": marked("the ledger itself"),
    "-wal": marked("the ledger's write-ahead log"),
    "-shm": marked("the ledger's shared-memory file"),
    "-journal": marked("the ledger's rollback journal"),
    ".lock": marked("the ledger's lock file"),
}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_ATTEMPTS = 100
try:
    import fcntl  # noqa: F401 - flock marks a temp file as in use

    _CAN_LOCK = True
except ImportError:
    _CAN_LOCK = False


def check_target(
    target: Path | str,
    *,
    flag: str = "--out",
    ledger: Path | str | None = None,
    inputs: Iterable[Path | str] = (),
) -> Path:
    """The target as a Path, or InputError if writing there could lose the ledger or an input.

    `ledger` defaults to the ledger the settings name; `inputs` are the command's own input
    files. Nothing is created or changed."""
    target = Path(target).expanduser()
    shown = f"{flag} {target}"
    for protected, what in _protected(ledger, inputs):
        if _same_file(target, protected):
            raise InputError(
                tr("{shown} is {what}; choose another file").format(shown=shown, what=what)
            )
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError(
            tr("cannot use {shown} ({strerror}); choose another file").format(
                shown=shown, strerror=exc.strerror
            )
        ) from None
    if mode is not None and stat.S_ISLNK(mode):
        raise InputError(tr("{shown} is a symbolic link; give the real path").format(shown=shown))
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(tr("{shown} is a folder; give a file name inside it").format(shown=shown))
    if mode is not None and not stat.S_ISREG(mode):  # a device or a pipe is never replaced
        raise InputError(
            tr("{shown} is not a regular file (a device or pipe); give a file's path").format(
                shown=shown
            )
        )
    if not _folder(target).is_dir():
        raise InputError(
            tr(
                "cannot write {shown}: could not use that path (folder {folder} does not exist); create the folder or choose another file"
            ).format(shown=shown, folder=_folder(target))
        )
    return target


def write_output(target: Path | str, content: str | bytes, **where: Any) -> Path:
    """Write `content` (text as UTF-8, or bytes) to `target` the safe way; see `writing`."""
    with writing(target, binary=isinstance(content, bytes), **where) as handle:
        handle.write(content)
    return Path(target)


def append_line(target: Path | str, line: str, *, flag: str) -> None:
    """Append one line to `target` (the shell's history), creating it owner-only: never the
    ledger or its companions, never through a symbolic link (checked as `check_target`)."""
    target = check_target(target, flag=flag)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def keep_last_lines(target: Path | str, keep: int, *, flag: str) -> int:
    """Cut `target` (the shell's history) back to its newest `keep` lines, written the safe way
    (`write_output`: a temp file renamed over it, owner-only, never through a symbolic link).
    Returns the lines it holds now."""
    target = check_target(target, flag=flag)
    lines = Path(target).read_text(encoding="utf-8", errors="replace").splitlines()
    if len(lines) > keep:
        lines = lines[-keep:]
        write_output(target, "".join(line + "\n" for line in lines), flag=flag)
    return len(lines)


@contextmanager
def writing(
    target: Path | str,
    *,
    flag: str = "--out",
    ledger: Path | str | None = None,
    inputs: Iterable[Path | str] = (),
    new: bool = False,
    binary: bool = False,
    errors: str = "strict",
) -> Iterator[IO]:
    """A handle (text: UTF-8, newline as written; or binary) whose content replaces `target`
    when the block ends without an exception; with `new`, an existing target is refused."""
    output = OutputFile(target, flag=flag, ledger=ledger, inputs=inputs, new=new)
    handle = output.open(binary=binary, errors=errors)
    try:
        yield handle
    except BaseException:
        output.discard()
        raise
    output.commit()


class OutputFile:
    """One output being written: `open()` the temp file, then `commit()` or `discard()`."""

    def __init__(
        self,
        target: Path | str,
        *,
        flag: str = "--out",
        ledger: Path | str | None = None,
        inputs: Iterable[Path | str] = (),
        new: bool = False,
    ):
        self.target = check_target(target, flag=flag, ledger=ledger, inputs=inputs)
        self.flag, self.new = flag, new
        if new and os.path.lexists(self.target):
            raise InputError(
                tr("{target} already exists; give a new file name").format(target=self.target)
            )
        self._fd: int | None = None
        self._temp: Path | None = None
        self._sink: _Sink | None = None
        self._handle: IO | None = None

    def open(self, *, binary: bool = False, errors: str = "strict") -> IO:
        """Create the temp file beside the target and return a handle writing into it."""
        folder = _folder(self.target)
        sweep(folder)
        self._temp, self._fd = _create_locked(folder, self._failed)
        self._sink = _Sink(self._fd, self._failed)
        buffered = io.BufferedWriter(self._sink)
        self._handle = (
            buffered
            if binary
            else io.TextIOWrapper(buffered, encoding="utf-8", errors=errors, newline="")
        )
        return self._handle

    def commit(self) -> Path:
        """Flush, fsync and move the temp file onto the target; on failure, discard it."""
        try:
            self._handle.flush()
            _fsync(self._fd, self._failed)
            _place(self._temp, self.target, self.new, self._failed)
        except BaseException:
            self.discard()
            raise
        self._temp = None
        self._finish()
        return self.target

    def discard(self) -> None:
        """Drop what was written: remove the temp file; the target is left as it was."""
        if self._temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temp)
            self._temp = None
        self._finish()

    def _finish(self) -> None:
        if self._sink is not None:
            self._sink.fd = None  # a buffer flushed now (or by the collector) goes nowhere
        if self._handle is not None:
            with contextlib.suppress(Exception):
                self._handle.close()
            self._handle = None
        if self._fd is not None:
            os.close(self._fd)  # also releases the flock
            self._fd = None

    def _failed(self, exc: OSError) -> InputError:
        reason = exc.strerror or str(exc)
        fix = tr("free some space") if exc.errno in (errno.ENOSPC, errno.EDQUOT) else tr("check it")
        return InputError(
            tr(
                "cannot write {flag} {target} ({reason}), so it was not touched: {fix} or choose another file"
            ).format(flag=self.flag, target=self.target, reason=reason, fix=fix)
        )


@contextmanager
def sqlite_output(
    target: Path | str, *, flag: str = "FILE", ledger: Path | str | None = None
) -> Iterator[Path]:
    """A path for SQLite to build a new file at (a backup), inside a private temp folder
    beside `target` (mode 0o700, flock-ed); when the block ends the finished file is fsynced
    and hard-linked to `target`, which must not exist. The folder, with any journal SQLite
    left in it, is removed whatever happens."""
    output = OutputFile(target, flag=flag, ledger=ledger, new=True)
    folder = _folder(output.target)
    sweep(folder)
    for _ in range(_ATTEMPTS):
        temp = folder / _temp_name()
        try:
            os.mkdir(temp, 0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise output._failed(exc) from None
        lock = _lock_if_still_there(temp, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        if lock is not None:
            break
        with contextlib.suppress(OSError):
            os.rmdir(temp)
    else:
        raise InputError(
            tr("could not make a temp folder in {folder}; check it").format(folder=folder)
        )
    try:
        path = temp / "copy.db"
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, 0o600))
        yield path
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
        try:
            _fsync(fd, output._failed)
        finally:
            os.close(fd)
        _place(path, output.target, True, output._failed)
    except OSError as exc:
        raise output._failed(exc) from None
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        if lock >= 0:
            os.close(lock)


def sweep(folder: Path) -> int:
    """Remove the temp files and folders a killed kirana left in `folder` (those no process
    holds a lock on); returns how many. Symlinks and other users' files are left alone."""
    removed = 0
    try:
        names = [n for n in os.listdir(folder) if _is_temp_name(n)]
    except OSError:
        return 0
    for name in names:
        path = Path(folder) / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            continue
        if stat.S_ISREG(info.st_mode):
            flags = os.O_RDONLY
        elif stat.S_ISDIR(info.st_mode):
            flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
        else:
            continue
        fd = _lock_if_still_there(path, flags, wait=False)
        if fd is None:
            continue
        try:
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
            removed += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


# ---- helpers -----------------------------------------------------------------------------
class _Sink(io.RawIOBase):
    """The raw end of an output handle: bytes to the temp file's descriptor."""

    def __init__(self, fd: int, failed):
        super().__init__()
        self.fd: int | None = fd
        self._failed = failed

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.fd is None:  # discarded: nothing more reaches a file
            return len(data)
        try:
            return _write(self.fd, data)
        except OSError as exc:
            raise self._failed(exc) from None


def _write(fd: int, data) -> int:
    """One write(2) into the temp file (tests replace this to fill the disk)."""
    return os.write(fd, data)


def _fsync(fd: int, failed) -> None:
    try:
        os.fsync(fd)
    except OSError as exc:
        raise failed(exc) from None


def _temp_name() -> str:
    return f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"


def _is_temp_name(name: str) -> bool:
    middle = name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)]
    return (
        name.startswith(TEMP_PREFIX)
        and name.endswith(TEMP_SUFFIX)
        and len(middle) == 16
        and all(c in "0123456789abcdef" for c in middle)
    )


def _create_locked(folder: Path, failed) -> tuple[Path, int]:
    """A new temp file in `folder`, never an existing name or a symlink, opened and locked."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW | _CLOEXEC | _BINARY
    for _ in range(_ATTEMPTS):
        temp = folder / _temp_name()
        try:
            fd = os.open(temp, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise failed(exc) from None
        if _lock(fd, wait=True) and _same_inode(fd, temp):
            return temp, fd
        os.close(fd)  # a sweep took it between open and lock: try another name
    raise InputError(tr("could not make a temp file in {folder}; check it").format(folder=folder))


def _lock_if_still_there(path: Path, flags: int, *, wait: bool = True) -> int | None:
    """Open `path` (not following a symlink) and flock it; None if that fails or the path
    no longer names what was locked. Without flock (Windows) nothing is held (-1) and nothing
    is swept (None)."""
    if not _CAN_LOCK:
        return -1 if wait else None
    try:
        fd = os.open(path, flags | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return None
    if _lock(fd, wait=wait) and _same_inode(fd, path):
        return fd
    os.close(fd)
    return None


def _lock(fd: int, *, wait: bool) -> bool:
    if not _CAN_LOCK:  # Windows: no sweep; a killed run's temp file stays until removed
        return wait
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _same_inode(fd: int, path: Path) -> bool:
    try:
        held, there = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _place(temp: Path, target: Path, new: bool, failed) -> None:
    """Move the finished temp file onto the target (atomically), and fsync the folder."""
    try:
        if not new:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target, follow_symlinks=False)  # never overwrites
            except FileExistsError:
                raise InputError(
                    tr("{target} already exists; give a new file name").format(target=target)
                ) from None
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                    raise
                if os.path.lexists(target):  # a file system without hard links
                    raise InputError(
                        tr("{target} already exists; give a new file name").format(target=target)
                    ) from None
                os.replace(temp, target)
    except OSError as exc:
        raise failed(exc) from None
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(_folder(target), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _folder(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def _protected(ledger: Path | str | None, inputs: Iterable[Path | str]) -> list[tuple[Path, str]]:
    """(path, what it is) for the ledger's files and the inputs."""
    if ledger is None:
        from kirana import settings

        ledger = settings.current().ledger_path()
    ledger = Path(ledger).expanduser()
    bases = {ledger, Path(os.path.realpath(ledger))}
    found = [(Path(f"{base}{end}"), tr(what)) for base in bases for end, what in COMPANIONS.items()]
    found += [
        (Path(path).expanduser(), tr("the input file {path}").format(path=path)) for path in inputs
    ]
    return found


def _same_file(target: Path, protected: Path) -> bool:
    """By resolved path (symlinks, `..`) and, when both exist, by device and inode."""
    if os.path.realpath(target) == os.path.realpath(protected):
        return True
    try:
        mine, theirs = os.stat(target), os.stat(protected)
    except (OSError, ValueError):
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)
