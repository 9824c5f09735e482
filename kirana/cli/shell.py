"""`kirana shell`: the counter's all-day session, one process for every command.

The same commands without the word `kirana` (`sale priya atta:1 --credit`), run in this process
through the very Click command tree `kirana` itself runs, under the settings the shell was
started with (`kirana --db shop.db shell`; a line may add its own global options). The ledger is
opened once and lent to each command (kirana.cli.context.holding_ledger). An error prints its
one `Error:` line and the shell goes on.

On a terminal: a prompt (prompt_toolkit) with tab completion of commands, flags, customers,
items and `--format` values, and a history kept across sessions in the user's data folder
(KIRANA_HISTORY names another file). Ctrl-C clears the line being typed (or stops the command
running), Ctrl-D or `exit` ends the shell. When standard input is not a terminal, each line is
one command, with no prompt and no history (scripts, tests); the shell's exit code is then 1 if
any command failed, else 0.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterable
from contextvars import ContextVar

import typer

from kirana.i18n import marked, tr

GREETING = marked(
    "kirana shell: type commands without the word kirana (Tab completes; help; "
    "Ctrl-D or exit to leave)"
)
PROMPT = "kirana> "
ENDINGS = {"exit", "quit"}

# The word people type out of habit before a command: `kirana balance` works in the shell too.
PROGRAM = "kirana"

_inside: ContextVar[bool] = ContextVar("kirana_in_shell", default=False)


def register(app: typer.Typer, dispatch: Callable[..., int]) -> None:
    """Add `kirana shell` to `app`; `dispatch(args, command)` runs one command line and maps
    its errors (kirana.cli.main.dispatch, handed in so that this module need not import it)."""

    @app.command("shell")
    def shell(ctx: typer.Context) -> None:
        """Type commands without the word kirana, one process all day (history, Tab completion).

        Example: kirana shell   (then: sale Priya atta:1 --credit)
        """
        from kirana import settings
        from kirana.errors import InputError

        if _inside.get():
            raise InputError(tr("this is already the kirana shell; type the command itself"))
        root = ctx.find_root().command
        session = Session(root, dispatch, settings.current())
        code = session.interactive() if sys.stdin.isatty() else session.piped(sys.stdin)
        raise typer.Exit(code)


class Session:
    """One shell: the command tree, the settings it runs each line under, the held ledger."""

    def __init__(self, root, dispatch: Callable[..., int], chosen) -> None:
        self.root = root
        self.dispatch = dispatch
        self.settings = chosen
        self.failed = 0

    def run_line(self, line: str) -> bool:
        """Run one typed line; False when it asks to end the shell."""
        from kirana import settings
        from kirana.errors import KiranaError

        try:
            args = words(line)
        except KiranaError as exc:
            _say_error(str(exc))
            self.failed += 1
            return True
        if not args:
            return True
        if args[0] in ENDINGS and len(args) == 1:
            return False
        if args[0] in ("help", "?") and len(args) == 1:
            args = ["--help"]
        token = _inside.set(True)
        try:
            with settings.using(self.settings):
                code = self.dispatch(args, self.root)
        except SystemExit as exc:  # a command that called sys.exit never ends the shell
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            _inside.reset(token)
        sys.stdout.flush()
        sys.stderr.flush()
        if code:
            self.failed += 1
        return True

    def piped(self, lines: Iterable[str]) -> int:
        """One command a line, no prompt, no history; 1 if any failed."""
        from kirana.cli.context import holding_ledger

        with holding_ledger():
            for line in lines:
                if not self.run_line(line):
                    break
        return 1 if self.failed else 0

    def interactive(self) -> int:
        """The prompt: completion, history across sessions, Ctrl-C clears, Ctrl-D ends."""
        from prompt_toolkit import PromptSession

        from kirana.cli.context import holding_ledger
        from kirana.cli.shell_input import CommandCompleter, HistoryFile

        history = HistoryFile(self.settings.history_path())
        prompt = PromptSession(
            history=history,
            completer=CommandCompleter(self.root),
            complete_while_typing=False,
        )

        print(tr(GREETING))
        warned = False
        with holding_ledger():
            while True:
                try:
                    line = prompt.prompt(PROMPT)
                except KeyboardInterrupt:  # Ctrl-C: the line is dropped, a new prompt
                    continue
                except EOFError:  # Ctrl-D
                    break
                if history.broken is not None and not warned:
                    from kirana.cli import render

                    render.warn(
                        tr("the shell's history is not being saved: {broken}").format(
                            broken=history.broken
                        )
                    )
                    warned = True
                if not self.run_line(line):
                    break
        return 0


def words(line: str) -> list[str]:
    """The words of a command line as a POSIX shell splits them (quotes, backslashes); a `#`
    starts a comment. An unclosed quote is an InputError."""
    from kirana.errors import InputError

    try:
        found = shlex.split(line, comments=True)
    except ValueError as exc:  # shlex: "No closing quotation" or "No escaped character"
        if "escaped" in str(exc):
            raise InputError(tr("no escaped character in the line; close the quote")) from None
        raise InputError(tr("no closing quotation in the line; close the quote")) from None
    return found[1:] if found[:1] == [PROGRAM] else found


def _say_error(message: str) -> None:
    from kirana.safe_text import visible

    sys.stderr.write(f"Error: {visible(message)}\n")  # the prefix scripts look for stays English
    sys.stderr.flush()
