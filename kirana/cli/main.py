"""The `kirana` entry point: the Typer app, global options, and the one error-mapping helper.

The commands are not registered here: kirana.cli.lazy lists them, and imports a command's
module (and builds its parameters) only when that command is run, asked for help or completed.

Every KiranaError becomes one line `Error: …` on stderr with exit code 1 and no traceback
(`--debug` shows one). Usage mistakes caught by Click are reported the same way.
"""

# Annotations stay objects here (no `from __future__ import annotations`): Typer reads the
# commands' annotations, and as text it would compile each of them again for every command it
# builds, several times over (tests/test_start_up.py).

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from kirana import settings
from kirana.cli.lazy import LazyGroup
from kirana.i18n import marked, tr

app = typer.Typer(
    name="kirana",
    cls=LazyGroup,  # each command's module is imported, and its parameters built, when used
    help="kirana: the khata (credit ledger) of a kirana store, kept as an append-only log.\n\n"
    "Example: kirana sale 'Priya Madam' atta:1@250 --credit",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def global_options(
    db: Path | None = typer.Option(
        None, "--db", help="Ledger file (default: KIRANA_DB, else your data folder)."
    ),
    by: str | None = typer.Option(
        None, "--by", help="Who is recording (default: KIRANA_USER, else your login name)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on errors."),
    lang: str | None = typer.Option(
        None,
        "--lang",
        metavar="en|hi",
        help="Language of labels and messages (default: KIRANA_LANG, else the shop's, else en).",
    ),
    lock_timeout: str | None = typer.Option(
        None,
        "--lock-timeout",
        metavar="<seconds>",
        help="How long a write waits for another kirana writing to the ledger "
        f"(default: KIRANA_LOCK_TIMEOUT, else {settings.DEFAULT_LOCK_TIMEOUT:g}; 0: not at all).",
    ),
) -> None:
    """Global options come before the command: kirana --db shop.db balance."""
    from dataclasses import replace

    chosen = settings.current()
    changes = {"debug": debug}
    if db is not None:
        changes["db"] = db.expanduser()
    if by is not None:
        changes["recorded_by"] = by
    if lock_timeout is not None:
        changes["lock_timeout"] = settings.lock_timeout_seconds(lock_timeout, "--lock-timeout")
    if lang is not None:
        from kirana.i18n import parse_language

        changes["language"] = parse_language(lang, "--lang")
    from kirana.names import clean_text

    who = clean_text(changes.get("recorded_by", chosen.recorded_by), "--by (KIRANA_USER)", 80)
    changes["recorded_by"] = who or "unknown"
    settings.install(replace(chosen, **changes))


INTERRUPTED = marked(
    "interrupted (Ctrl-C): an entry or import that had not finished was not recorded; "
    "see kirana log before typing it again"
)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns (and, as a console script, exits with) the exit code."""
    from kirana.errors import KiranaError

    args = sys.argv[1:] if argv is None else argv
    try:
        chosen = settings.Settings.from_environ()
    except KiranaError as exc:  # e.g. a KIRANA_LOCK_TIMEOUT that is not a number
        return _fail(str(exc), "--debug" in args)
    with settings.using(chosen):
        return dispatch(args)


def dispatch(args: list[str], command=None) -> int:
    """Run one command line (the words after `kirana`) under the settings in force, mapping
    every error to its one `Error:` line; returns the exit code. `command` is the app already
    built as a Click command (the shell builds it once); default: the Typer app."""
    from kirana.errors import KiranaError
    from kirana.store.log import lock_wait_notices

    debug = "--debug" in args
    try:
        with lock_wait_notices(_say_waiting), _noting_ctrl_c() as interrupted:
            result = (command or app)(args=args, prog_name="kirana", standalone_mode=False)
    except KiranaError as exc:
        return _fail(str(exc), debug)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        return _click_or_unexpected(exc, debug)
    if interrupted:  # typer turned the KeyboardInterrupt into a quiet exit code 130
        # Every write is one transaction, rolled back if it had not committed; but Ctrl-C may
        # also come just after a commit, so the user is sent to the log rather than promised.
        _fail(tr(INTERRUPTED), debug=False)  # no traceback to show: typer has swallowed it
        return 130
    return result if isinstance(result, int) else 0


@contextmanager
def _noting_ctrl_c() -> Iterator[list[bool]]:
    """Ctrl-C raises KeyboardInterrupt as usual, and is noted in the list yielded."""
    import signal
    import threading

    noted: list[bool] = []
    main_thread = threading.current_thread() is threading.main_thread()
    handler = signal.getsignal(signal.SIGINT) if main_thread else None
    if handler is not signal.default_int_handler and not getattr(handler, "kirana_notes", False):
        yield noted  # signals go to the main thread; an ignored Ctrl-C stays ignored
        return

    def interrupt(signum, frame) -> None:
        noted.append(True)
        raise KeyboardInterrupt

    interrupt.kirana_notes = True  # a command run inside the shell notes its own Ctrl-C

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, previous)


def _click_or_unexpected(exc: Exception, debug: bool) -> int:
    """Map Click's exceptions (typer may vendor its own Click, so match by class name)."""
    import sqlite3

    kinds = {cls.__name__ for cls in type(exc).__mro__}
    if "Exit" in kinds:
        return exc.exit_code
    if "Abort" in kinds:
        return _fail(tr("aborted"), debug)
    if "ClickException" in kinds:
        from kirana.cli.usage_errors import see_help, translated

        hint = ""
        ctx = getattr(exc, "ctx", None)
        if "UsageError" in kinds and ctx is not None:
            hint = " " + see_help(ctx.command_path)
        return _fail(translated(exc.format_message()) + hint, debug)
    if isinstance(exc, OverflowError):
        return _fail(tr("a number is too large ({exc}); check the digits").format(exc=exc), debug)
    if isinstance(exc, OSError) and exc.filename:
        return _fail(
            tr("could not use {filename}: {strerror}; check the path").format(
                filename=exc.filename, strerror=exc.strerror
            ),
            debug,
        )
    if isinstance(exc, sqlite3.Error):
        return _fail(
            tr("the ledger file could not be used ({exc}); check --db").format(exc=exc), debug
        )
    return _fail(
        tr("unexpected {name}: {exc}; rerun with --debug and report it").format(
            name=type(exc).__name__, exc=exc
        ),
        debug,
    )


def _say_waiting(holder) -> None:
    """Said once when a write finds another kirana writing to the ledger (store.LockHolder)."""
    from kirana.safe_text import visible

    who = holder.describe()
    message = (
        tr("Waiting for another kirana ({who}) that is writing to the ledger…").format(who=who)
        if who
        else tr("Waiting for another kirana that is writing to the ledger…")
    )
    sys.stderr.write(visible(message) + "\n")
    sys.stderr.flush()


def _fail(message: str, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exc()
    from kirana.safe_text import visible

    first_line = visible(" ".join(message.split()))  # it may quote a stored or typed name
    sys.stderr.write(f"Error: {first_line}\n")  # the prefix scripts look for stays English
    return 1


def run() -> None:
    """The entry point of an install made before kirana.cli.start.run took over (see there)."""
    import gc

    code = main()
    gc.freeze()
    sys.exit(code)
