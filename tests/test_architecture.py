"""The house rules, checked: layers import one way, no import cycle, small modules, settings
read in one place and never written, and code that cites the repo's own docs.

The layers (docs/architecture.md): base (money, dates, errors, events, settings) <- the event
log (store) <- fold and read models (replay, projections, ledger) <- queries <- recording (every
write rule) <- reports, io <- cli. Imports inside functions count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kirana"
MAX_LINES = 500

# The first matching prefix gives a module's layer; a module imports only its layer or below.
LAYERS = [
    ("kirana.cli", 6),
    ("kirana.__main__", 6),
    ("kirana.reports", 5),
    ("kirana.io", 5),
    ("kirana.demo", 5),
    ("kirana.recording", 4),
    ("kirana.rules", 4),
    ("kirana.arrivals", 4),
    ("kirana.catalog_file", 4),
    ("kirana.queries", 3),
    ("kirana.statements", 3),
    ("kirana.customers", 3),
    ("kirana.catalog", 3),
    ("kirana.aging", 3),
    ("kirana.reminders", 3),
    ("kirana.dispute", 3),
    ("kirana.find", 3),
    ("kirana.verify", 3),
    ("kirana.verify_schema", 3),
    ("kirana.verify_periods", 3),
    ("kirana.verify_confirmations", 3),
    ("kirana.replay", 2),
    ("kirana.projections", 2),
    ("kirana.rebuild", 2),
    ("kirana.ledger", 2),
    ("kirana.year_dues", 2),
    ("kirana.month_dues", 2),
    ("kirana.page_lines", 2),
    ("kirana.aging_runs", 2),
    ("kirana.find_index", 2),
    ("kirana.schema_fields", 0),
    ("kirana.read_model_tables", 2),
    ("kirana.store", 1),
    ("kirana.errors", 0),
    ("kirana.money", 0),
    ("kirana.dates", 0),
    ("kirana.settings", 0),
    ("kirana.events", 0),
    ("kirana.invoices", 0),
    ("kirana.tabular", 0),
    ("kirana.cycles", 0),
    ("kirana", 0),
]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The kirana modules `name` imports anywhere in its file (a package counts as its
    __init__; `from kirana.x import y` names kirana.x.y when that is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
    return {target for target in found if target in known and target != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def layer(name: str) -> int:
    for prefix, rank in LAYERS:
        if name == prefix or name.startswith(prefix + "."):
            return rank
    raise AssertionError(f"{name} has no layer; add it to LAYERS and docs/architecture.md")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_in_kirana():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_layers_import_one_way():
    upward = [
        f"{source} (layer {layer(source)}) imports {target} (layer {layer(target)})"
        for source, targets in graph().items()
        for target in targets
        if layer(target) > layer(source)
    ]
    assert upward == []


def test_the_store_knows_nothing_of_read_models():
    edges = graph()
    store = {name for name in edges if name.startswith("kirana.store")}
    assert all(not target.startswith("kirana.projections") for s in store for target in edges[s])


@pytest.mark.parametrize("name", sorted(modules()))
def test_every_module_is_small_and_says_what_it_owns(name):
    path = modules()[name]
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path} has {lines} lines; split it by job"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path} has no module docstring"


def _environ_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for every use of os.environ / os.getenv / os.putenv / os.unsetenv."""
    uses = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr in ("environ", "getenv", "putenv", "unsetenv")
        ):
            uses.append((node.lineno, node.attr))
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            names = {alias.name for alias in node.names}
            if names & {"environ", "getenv", "putenv", "unsetenv"}:
                uses.append((node.lineno, "from os import"))
    return uses


def test_the_environment_is_read_in_one_place_and_never_written():
    """Settings are a value built at the edge (kirana/settings.py); nothing writes os.environ."""
    elsewhere = {
        str(path.relative_to(PACKAGE.parent)): _environ_uses(ast.parse(path.read_text()))
        for path in PACKAGE.rglob("*.py")
        if path.name != "settings.py"
    }
    assert {path: uses for path, uses in elsewhere.items() if uses} == {}
    settings_tree = ast.parse((PACKAGE / "settings.py").read_text(encoding="utf-8"))
    writes = [
        node.lineno
        for node in ast.walk(settings_tree)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete))
        and any(
            isinstance(target, ast.Subscript) and "environ" in ast.unparse(target)
            for target in getattr(node, "targets", [getattr(node, "target", None)])
        )
    ]
    assert writes == []


def test_the_environment_check_would_see_a_write():
    tree = ast.parse("import os\nos.environ['KIRANA_NOW'] = 'x'\n")
    assert _environ_uses(tree) == [(2, "environ")]


def test_code_cites_the_repos_own_docs_not_a_file_outside_it():
    cited = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "SPEC" in line or "../shared" in line
    ]
    assert cited == []


SHARED_FLAGS = ("--json", "--ref", "--note", "--as-of", "--as-known-at", "--format", "--out")
SHARED_FLAGS += ("--cash", "--upi", "--card", "--cheque", "--bank", "--credit")
# `export` chooses among its own file formats and writes to stdout by default.
OWN_MEANING = {("transfer.py", "--format"), ("transfer.py", "--out")}


def test_shared_cli_options_are_declared_once():
    """--json, --ref, --format/--out, the method flags …: kirana/cli/options.py only."""
    declared = []
    for path in (PACKAGE / "cli").glob("*.py"):
        if path.name == "options.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "typer.Option":
                flags = {arg.value for arg in node.args if isinstance(arg, ast.Constant)}
                for flag in sorted(flags & set(SHARED_FLAGS)):
                    if (path.name, flag) not in OWN_MEANING:
                        declared.append(f"{path.name}:{node.lineno} {flag}")
    assert declared == []
