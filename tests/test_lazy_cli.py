"""Start-up (issue 14): a command imports only its own module of kirana.cli and builds only its
own parameters; `kirana --help` imports none of them; every command, its --help, completion
and in-process calls of the app object still work."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from kirana import settings
from kirana.cli import lazy
from kirana.cli.main import app

CLI_MODULES = sorted({module for module, _ in lazy.COMMANDS.values()})


def _cli_modules_after(*args: str) -> list[str]:
    """The kirana.cli modules of commands (not the app's own) imported by running `args`."""
    code = (
        "import contextlib, io, json, sys\n"
        "from kirana.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main({list(args)!r})\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[-1] in {CLI_MODULES!r}"
        " and m.startswith('kirana.cli.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_table_names_every_command_with_its_first_docstring_line():
    for module in CLI_MODULES:
        scratch = lazy.registered_by(module)
        names = {
            info.name or typer.main.get_command_name(info.callback.__name__): info.short_help
            for info in scratch.registered_commands
        } | {
            group.name: lazy.first_line(group.typer_instance.info.help)
            for group in scratch.registered_groups
        }
        assert {n for n, (m, _) in lazy.COMMANDS.items() if m == module} == set(names), module
        for name, short in names.items():
            assert lazy.COMMANDS[name][1] == short, name


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (["balance", "Priya"], "views"),
        (["sale", "--amount", "10", "--cash"], "entries"),
        (["pay", "Priya", "1"], "entries"),
        (["customer", "list"], "customers"),
        (["report", "month", "2025-03"], "reports"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else v,
)
def test_a_command_imports_only_its_own_module(args, module):
    assert _cli_modules_after(*args) == [f"kirana.cli.{module}"]


def test_help_imports_no_command_module_and_lists_every_command(kirana):
    assert _cli_modules_after("--help") == []
    text = kirana("--help").stdout
    for name, (_, short) in lazy.COMMANDS.items():
        assert f"  {name} " in text and " ".join(short.split()[:3]) in " ".join(text.split())


def test_in_process_calls_of_the_app_object_work(kirana):
    kirana("customer", "add", "Priya")
    runner = CliRunner()
    # the app's global options install settings: scope them as kirana.cli.main.main does
    with settings.using(settings.Settings.from_environ()):
        result = runner.invoke(app, ["sale", "Priya", "--amount", "250", "--credit"])
        assert result.exit_code == 0, result.output
        assert runner.invoke(app, ["balance", "Priya"]).output == "Priya: ₹250.00\n"
        assert runner.invoke(app, ["balance", "Priya"]).output == "Priya: ₹250.00\n"  # built once
        assert "Example: kirana statement" in runner.invoke(app, ["statement", "--help"]).output
        assert "No such command 'balanse'" in runner.invoke(app, ["balanse"]).output


def test_completion_of_command_names_and_customers(kirana, kirana_process):
    kirana("customer", "add", "Priya Madam")
    env = {"_KIRANA_COMPLETE": "complete_bash", "COMP_WORDS": "kirana stat", "COMP_CWORD": "1"}
    assert kirana_process(env=env).stdout.split() == ["statement"]
    env |= {"COMP_WORDS": "kirana statement Pri", "COMP_CWORD": "2"}
    assert kirana_process(env=env).stdout.strip() == "Priya Madam"
