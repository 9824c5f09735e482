"""Every message kirana shows is marked for translation: a literal English sentence given to an
error (`InputError(…)`, `LedgerError(…)`, …) or printed (`print`, `render.line`, `warn`,
`sys.stderr.write`, …) must be inside `tr(…)` / `tr_in(…)`, so a new message cannot stay
English under `--lang hi` without this test failing. Words filled into a marked message
(`tr("{count} {rows}").format(rows="rows")`) count as unmarked too.

What stays English on purpose (scripts read it) is listed in ALLOWED: the `Error:`/`Warning:`
prefixes, and messages shown before the language is known.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kirana"

# Calls whose first argument is a message people read (print: every argument).
ERRORS = {"KiranaError", "InputError", "NotFoundError", "RuleError", "LedgerError", "LedgerBusy"}
PRINTS = {"print", "echo", "secho", "line", "warn", "_fail", "fail", "write", "table"}
MARKS = {"tr", "tr_in", "tr_n", "marked", "Message"}
TEXT_WRAPPERS = {"visible", "str", "shown"}  # they pass their text through

# (module, literal): English on purpose.
ALLOWED = {
    # the prefixes scripts look for
    ("kirana/cli/main.py", "Error: "),
    ("kirana/cli/shell.py", "Error: "),
    ("kirana/cli/render.py", "Warning: "),
    ("kirana/reports/render_table.py", "Warning: "),
    ("kirana/cli/admin.py", "PROBLEM: "),
    # read before the settings (and so the language) exist: KIRANA_LOCK_TIMEOUT itself
    ("kirana/settings.py", " is not a number of seconds; use e.g. 10, or 0"),
}


def _name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _unmarked(node: ast.AST) -> list[str]:
    """The English literals in a message expression that no tr(…) covers."""
    if isinstance(node, ast.Constant):
        return (
            [node.value]
            if isinstance(node.value, str) and re.search(r"[A-Za-z]{2}", node.value)
            else []
        )
    if isinstance(node, ast.JoinedStr):
        found = []
        for part in node.values:
            found += _unmarked(part.value if isinstance(part, ast.FormattedValue) else part)
        return found
    if isinstance(node, ast.BinOp):
        return _unmarked(node.left) + _unmarked(node.right)
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) + _unmarked(node.orelse)
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in MARKS:
            return []
        if name == "format" and isinstance(node.func, ast.Attribute):
            found = _unmarked(node.func.value)
            for value in [*node.args, *(keyword.value for keyword in node.keywords)]:
                found += _unmarked(value)
            return found
        if name in TEXT_WRAPPERS and node.args:
            return _unmarked(node.args[0])
    return []


def unmarked_messages() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name == "write" and not (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr in ("stderr", "stdout")
            ):
                continue
            if name in ERRORS or (name in PRINTS and name != "print"):
                messages = node.args[:1]
            elif name == "print":
                messages = node.args
            else:
                continue
            for message in messages:
                for literal in _unmarked(message):
                    if (module, literal) not in ALLOWED:
                        found.append((module, node.lineno, literal))
    return found


def test_every_message_shown_is_marked_for_translation():
    assert unmarked_messages() == []


def test_the_scan_finds_an_unmarked_message():
    def first_argument(source: str) -> ast.AST:
        return ast.parse(source).body[0].value.args[0]

    assert _unmarked(first_argument('InputError(f"{what} is bad")')) == [" is bad"]
    assert _unmarked(first_argument('print(tr("{n} {rows}").format(n=n, rows="rows"))')) == ["rows"]
    assert _unmarked(first_argument('InputError(tr("fine {x}").format(x=data["key"]))')) == []
