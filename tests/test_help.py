"""Issue 2 acceptance 9: --help is the user manual; every command has an example; start-up is lazy."""

import subprocess
import sys

import pytest
import typer.main

from kirana.cli.main import app


def all_commands():
    """Every command, found as Click finds them (the app's commands are built when asked for)."""
    root = typer.main.get_command(app)
    found = []

    def walk(group, path):
        context = group.context_class(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            if hasattr(command, "list_commands"):
                walk(command, [*path, name])
            else:
                found.append(([*path, name], command))

    walk(root, [])
    return found


def test_help_lists_every_command_with_a_description(kirana):
    result = kirana("--help")
    assert result.exit_code == 0
    for path, command in all_commands():
        assert path[0] in result.stdout
        assert command.help and command.help.strip()


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=lambda p: " ".join(p))
def test_every_command_help_has_an_example(kirana, path):
    result = kirana(*path, "--help")
    assert result.exit_code == 0
    assert "Example: kirana " in result.stdout


def test_core_modules_never_import_the_cli_or_rich():
    code = (
        "import sys; import kirana.recording, kirana.queries, kirana.replay, kirana.verify;"
        "bad = [m for m in ('typer', 'rich', 'kirana.cli') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_does_not_import_heavy_modules():
    code = (
        "import sys; from kirana.cli.main import main;"
        "sys.argv=['kirana','--help'];"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['--help'])\n"
        "print([m for m in ('sqlite_utils', 'rich.table', 'dateutil', 'xlsxwriter', 'openpyxl')"
        " if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
