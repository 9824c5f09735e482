"""What the shell's prompt needs from the line being typed: the word under the cursor, tab
completion of commands, flags, customers, items and `--format` values, and the history file.

Completion asks the same Click command tree that `kirana` runs (and that `--install-completion`
uses), so a command, a flag or a completion function added to any command module is completed
in the shell too, with nothing to keep in step here.
"""

from __future__ import annotations

import importlib
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.history import History

PROGRAM = "kirana"  # typed out of habit before a command; skipped


def split_for_completion(text: str) -> tuple[list[str], str, int]:
    """(the finished words, the word being typed, where in `text` that word starts); an open
    quote is closed for the purpose, so `sale 'Priya M` completes the name."""
    finished: list[str] = []
    current, start, quote, in_word, escape = [], len(text), "", False, False
    for index, char in enumerate(text):
        if escape:
            current.append(char)
            escape = False
        elif quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                escape = True
            else:
                current.append(char)
        elif char.isspace():
            if in_word:
                finished.append("".join(current))
                current, in_word = [], False
        else:
            if not in_word:
                in_word, start = True, index
            if char in "'\"":
                quote = char
            elif char == "\\":
                escape = True
            else:
                current.append(char)
    if not in_word:
        start = len(text)
    if finished[:1] == [PROGRAM]:
        finished = finished[1:]
    return finished, "".join(current) if in_word else "", start


def _asking_class(command):
    """Click's ShellComplete (whether typer uses click or a copy of it), asked directly for
    the completions rather than through a shell's environment variables."""
    core = next(c for c in type(command).__mro__ if c.__name__ == "Command")
    module = importlib.import_module(core.__module__.rsplit(".", 1)[0] + ".shell_completion")

    class Asking(module.ShellComplete):
        name = "kirana-shell"
        source_template = ""

        def source_vars(self) -> dict:
            return {}

        def get_completion_args(self) -> tuple[list[str], str]:
            return [], ""

        def format_completion(self, item) -> str:
            return str(item.value)

    return Asking


class CommandCompleter(Completer):
    """Completes a kirana command line from the Click command tree `root`."""

    def __init__(self, root) -> None:
        self.root = root
        self.complete_class = _asking_class(root)
        self.paths = PathCompleter(expanduser=True)

    def candidates(self, text: str) -> list[tuple[str, str]]:
        """(value, kind) for the word being typed at the end of `text`; kind is Click's
        'plain', 'file' or 'dir'."""
        args, incomplete, _ = split_for_completion(text)
        try:
            completer = self.complete_class(self.root, {}, PROGRAM, "_KIRANA_COMPLETE")
            items = completer.get_completions(args, incomplete)
        except Exception:  # noqa: BLE001 - a half-typed line must never break the prompt
            return []
        return [(str(item.value), item.type) for item in items]

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        text = document.text_before_cursor
        _, incomplete, start = split_for_completion(text)
        for value, kind in self.candidates(text):
            if kind in ("file", "dir"):
                yield from self.paths.get_completions(Document(incomplete), complete_event)
                return
            shown = shlex.quote(value)
            yield Completion(shown, start_position=start - len(text), display=value)


HISTORY_KEEP = 5000  # commands the history file keeps, the newest


class HistoryFile(History):
    """The shell's history: one command a line, appended (owner-only, never through a
    symbolic link, never the ledger: kirana.io.safe_file.append_line) as each is entered.

    The file keeps the newest `keep` commands: it is cut back to them as the shell starts, and
    whenever this session's appends take it a tenth past them (safe_file.keep_last_lines)."""

    FLAG = "history file (KIRANA_HISTORY)"

    def __init__(self, path: Path, keep: int = HISTORY_KEEP) -> None:
        super().__init__()
        self.path = path
        self.keep = keep
        self.held = 0  # lines in the file, as far as this shell knows
        self.broken: str | None = None  # why history could not be written (the shell says so)

    def load_history_strings(self) -> Iterable[str]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        lines = text.splitlines()
        self.held = len(lines)
        if self.held > self.keep:
            self._cut()
        lines = [line for line in lines if line.strip()]
        return list(reversed(lines[-self.keep :]))

    def _cut(self) -> None:
        from kirana.errors import KiranaError
        from kirana.io.safe_file import keep_last_lines

        try:
            self.held = keep_last_lines(self.path, self.keep, flag=self.FLAG)
        except (OSError, KiranaError) as exc:  # said by the shell once the prompt is done
            self.broken = str(exc)

    def store_string(self, string: str) -> None:
        from kirana.errors import KiranaError
        from kirana.io.safe_file import append_line

        if self.broken is not None or "\n" in string:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            append_line(self.path, string, flag=self.FLAG)
        except (OSError, KiranaError) as exc:  # said by the shell once the prompt is done
            self.broken = str(exc)
            return
        self.held += 1
        if self.held >= self.keep + max(self.keep // 10, 1):
            self._cut()
