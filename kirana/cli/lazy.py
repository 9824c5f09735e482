"""Commands loaded when they are used: only the invoked command's module is imported and only
its parameters are built.

`COMMANDS` names every top-level command (and command group) in the order `kirana --help`
lists them, with the module of kirana.cli that registers it and its short help (the first
line of its docstring; tests/test_lazy_cli.py checks the two agree). `LazyGroup` is the Click
group of the app: `kirana --help` is drawn from this table alone; `get_command` imports the
one module, lets it register its commands on a scratch Typer app, and builds just the command
asked for (kept for the next call in the same process, as in a shell session or a test's
in-process run). Completion, `COMMAND --help` and in-process calls of the app object all go
through `get_command`, so they see the same commands as before.
"""

from __future__ import annotations

import importlib

import typer
from typer.core import TyperGroup

# name: (module of kirana.cli that registers it, short help); the order of `kirana --help`
COMMANDS: dict[str, tuple[str, str]] = {
    "sale": (
        "entries",
        "Record a sale: items or an amount, paid by cash/UPI/card or on credit.",
    ),
    "pay": ("entries", "Record a payment from a customer towards their dues."),
    "return": (
        "entries",
        "Record goods returned: credited to the khata, or refunded in cash/UPI.",
    ),
    "opening": (
        "entries",
        "Carry over a customer's dues from the paper khata (--advance: money they had paid ahead).",
    ),
    "void": (
        "entries",
        "Void an entry made in error. Nothing is deleted: the void is a new entry.",
    ),
    "confirm": (
        "entries",
        "Record that a customer agreed their dues; verify re-checks it forever after.",
    ),
    "balance": (
        "views",
        "Show what a customer owes (or everyone with non-zero dues), now or at any moment.",
    ),
    "dues": ("views", "List everyone who owes money, largest first; then advances, owed and net."),
    "statement": (
        "views",
        "The customer's khata page: every entry with running dues, voided entries marked.",
    ),
    "log": ("views", "Show the newest entries of the log, with entry numbers (seq) and hashes."),
    "find": ("find", "Find entries by reference (UTR), note, invoice number, customer or amount."),
    "verify": (
        "admin",
        "Check the hash chain, the append-only triggers, read models = replay, confirmations,",
    ),
    "rebuild": (
        "admin",
        "Recompute every read model (balances, entries, catalog) from the log. Refused while",
    ),
    "info": (
        "admin",
        "Show which ledger file is in use, its size, entry count, head hash and tables.",
    ),
    "demo": (
        "admin",
        "Build a demo ledger from sample_data (never your own ledger) and show the dues.",
    ),
    "dispute": ("disputes", 'Settle "I paid ₹500 on the 3rd!" with the evidence in the log.'),
    "remind": ("disputes", "Print ready-to-send reminders for customers with old dues."),
    "import": (
        "transfer",
        "Import sales, payments, returns, opening dues and voids from a CSV (or a JSONL export),",
    ),
    "export": (
        "transfer",
        "Export the whole ledger for another tool or another kirana, or one period's GST",
    ),
    "backup": (
        "transfer",
        "Write a consistent copy of the ledger (SQLite backup API); the copy passes verify.",
    ),
    "close": (
        "books",
        "Close a month or quarter: entries dated inside it are refused from now on.",
    ),
    "reopen": (
        "books",
        "Reopen a closed month or quarter, saying why; its reports will say what changed after.",
    ),
    "shell": (
        "shell_command",
        "Type commands without the word kirana, one process all day (history, Tab completion).",
    ),
    "customer": ("customers", "Add, change and list customers."),
    "item": ("catalog", "The item catalog: prices, GST rates, HSN codes."),
    "shop": ("catalog", "The shop's name, GSTIN, state, GST scheme and UPI id."),
    "report": ("reports", "Reports for the shop and the accountant: day book, month and GST."),
}

_built: dict[str, object] = {}  # name -> Click command, built once per process


def first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def short_help_from_docstrings(typer_app: typer.Typer) -> None:
    """Click cuts short help at 45 characters; show each command's whole first line instead."""
    for info in typer_app.registered_commands:
        doc = info.help or (info.callback.__doc__ if info.callback else None) or ""
        if doc and not info.short_help:
            info.short_help = first_line(doc)
    for group in typer_app.registered_groups:
        short_help_from_docstrings(group.typer_instance)


def registered_by(module_name: str) -> typer.Typer:
    """A scratch Typer app holding everything one kirana.cli module registers."""
    module = importlib.import_module(f"kirana.cli.{module_name}")
    scratch = typer.Typer()
    module.register(scratch)
    short_help_from_docstrings(scratch)
    return scratch


def build(name: str):
    """The Click command (or group) `name`, importing only the module that registers it."""
    if name in _built:
        return _built[name]
    from typer.main import get_command_from_info, get_command_name, get_group_from_info

    scratch = registered_by(COMMANDS[name][0])
    command = None
    for info in scratch.registered_commands:
        if (info.name or get_command_name(info.callback.__name__)) == name:
            command = get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=None
            )
    for group in scratch.registered_groups:
        if group.name == name:
            command = get_group_from_info(
                group, pretty_exceptions_short=True, rich_markup_mode=None, suggest_commands=True
            )
    if command is None:
        raise LookupError(f"kirana.cli.{COMMANDS[name][0]} registers no command {name!r}")
    _built[name] = command
    return command


class LazyGroup(TyperGroup):
    """The app's Click group: commands come from COMMANDS, each built when first asked for."""

    def list_commands(self, ctx) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = build(cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx, formatter) -> None:
        """`kirana --help`'s list of commands, from the table: nothing is imported for it."""
        rows = [(name, short) for name, (_, short) in COMMANDS.items()]
        rows += [(name, cmd.get_short_help_str()) for name, cmd in self.commands.items()
                 if name not in COMMANDS and not cmd.hidden]  # fmt: skip
        with formatter.section("Commands"):
            formatter.write_dl(rows)
