"""The `kirana` entry point: the Typer app, global options, and the one error-mapping helper.

Every KiranaError becomes one line `Error: …` on stderr with exit code 1 and no traceback
(`--debug` shows one). Usage mistakes caught by Click are reported the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from kirana.cli import context

app = typer.Typer(
    name="kirana",
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
        None, "--db", envvar="KIRANA_DB", help="Ledger file (default: your data folder)."
    ),
    by: str | None = typer.Option(
        None, "--by", envvar="KIRANA_USER", help="Who is recording (default: your login name)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on errors."),
) -> None:
    """Global options come before the command: kirana --db shop.db balance."""
    context.settings.db = db
    context.settings.by = by
    context.settings.debug = debug


def _register() -> None:
    from kirana.cli import admin, catalog, customers, entries, views

    for module in (customers, entries, views, catalog, admin):
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns (and, as a console script, exits with) the exit code."""
    import click

    from kirana.errors import KiranaError

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        app(args=args, prog_name="kirana", standalone_mode=False)
    except KiranaError as exc:
        return _fail(str(exc), debug)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        return _fail("aborted", debug)
    except click.ClickException as exc:
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = f" (see {exc.ctx.command_path} --help)"
        return _fail(exc.format_message() + hint, debug)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        import sqlite3

        if isinstance(exc, sqlite3.Error):
            return _fail(f"the ledger file could not be used ({exc}); check --db", debug)
        return _fail(
            f"unexpected {type(exc).__name__}: {exc}; rerun with --debug and report it", debug
        )
    return 0


def _fail(message: str, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exc()
    first_line = " ".join(message.split())
    sys.stderr.write(f"Error: {first_line}\n")
    return 1


def run() -> None:
    sys.exit(main())
