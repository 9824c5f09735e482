"""Settings as one value: which ledger, who records, the shop's timezone, the clock, the language.

The environment is read here and nowhere else (`Settings.from_environ`): KIRANA_DB, KIRANA_USER,
KIRANA_TZ, KIRANA_NOW, KIRANA_LANG, KIRANA_LOCK_TIMEOUT (how long a write waits for another
kirana's), KIRANA_HISTORY (the shell's history file), and COLUMNS for the width of a non-terminal output. The CLI
builds one `Settings` at its edge (environment, then its global options on top) and runs the
command inside `using(settings)`; the core reads it with `current()`. Outside `using`, for a
library caller or a test, `current()` is built from the environment of that moment, so a test
that changes KIRANA_NOW between two calls sees its new clock. Nothing writes os.environ: a
different clock or user is a new value (`dataclasses.replace`) installed with `using`.
"""

from __future__ import annotations

import getpass
import math
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TZ = "Asia/Kolkata"
DEFAULT_LANGUAGE = "en"
LANGUAGES = {"en": "English", "hi": "हिन्दी (Hindi)"}  # those kirana has catalogs for (i18n)
DEFAULT_LOCK_TIMEOUT = 10.0  # seconds


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about where and when it runs."""

    db: Path | None = None  # None: the per-user data file (ledger_path())
    recorded_by: str = "unknown"
    timezone: str = DEFAULT_TZ
    now: str | None = None  # a fixed clock (ISO date-time, shop-local if naive); None: real time
    language: str | None = None  # None: the shop's (shop set --lang), else English
    columns: int | None = None  # width for output that is not a terminal
    debug: bool = False
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT  # seconds a write waits for another's lock
    history: Path | None = None  # the shell's history file; None: history_path()'s default

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives (the one place KIRANA_* variables are read)."""
        env = os.environ if environ is None else environ
        db = env.get("KIRANA_DB")
        columns = env.get("COLUMNS", "")
        return cls(
            db=Path(db).expanduser() if db else None,
            recorded_by=env.get("KIRANA_USER") or _login_name(),
            timezone=env.get("KIRANA_TZ") or DEFAULT_TZ,
            now=env.get("KIRANA_NOW") or None,
            language=language_code(env.get("KIRANA_LANG")),
            columns=int(columns) if columns.isdigit() else None,
            lock_timeout=lock_timeout_seconds(
                env.get("KIRANA_LOCK_TIMEOUT") or "", "KIRANA_LOCK_TIMEOUT"
            ),
            history=Path(env["KIRANA_HISTORY"]).expanduser() if env.get("KIRANA_HISTORY") else None,
        )

    def ledger_path(self) -> Path:
        """The ledger file: --db / KIRANA_DB, else khata.db in the user's data folder."""
        if self.db is not None:
            return self.db
        return _data_folder() / "khata.db"

    def history_path(self) -> Path:
        """The shell's history: KIRANA_HISTORY, else shell-history in the user's data folder."""
        return self.history if self.history is not None else _data_folder() / "shell-history"


def _data_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("kirana", appauthor=False))


def language_code(text: str | None) -> str | None:
    """A language as the environment may spell it (`hi`, `hi_IN.UTF-8`, `HI`) -> `hi`; None
    for nothing, or for a language kirana has no catalog for (English is then used)."""
    if not text:
        return None
    code = text.strip().split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def lock_timeout_seconds(text: str, where: str) -> float:
    """Seconds from KIRANA_LOCK_TIMEOUT or --lock-timeout ('' = the default); 0 = do not wait."""
    if not text.strip():
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        from kirana.errors import InputError

        raise InputError(f"{where} {text!r} is not a number of seconds; use e.g. 10, or 0")
    return seconds


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


_installed: ContextVar[Settings | None] = ContextVar("kirana_settings", default=None)


def current() -> Settings:
    """The settings in force: those installed by `using`, else the environment's."""
    return _installed.get() or Settings.from_environ()


@contextmanager
def using(settings: Settings) -> Iterator[Settings]:
    """Run a block with these settings in force (the CLI, the demo, the shell)."""
    token = _installed.set(settings)
    try:
        yield settings
    finally:
        _installed.reset(token)


def install(settings: Settings) -> None:
    """Put `settings` in force until the enclosing `using` block ends (the CLI's global
    options, read after the environment's settings are in force)."""
    _installed.set(settings)
