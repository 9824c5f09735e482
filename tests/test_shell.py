"""`kirana shell`: one process for the counter's day. Driven as a person drives it, through a
pseudo-terminal (completion, history across sessions, an error line, Ctrl-C, Ctrl-D), and as a
script drives it, through a pipe (one command a line, no prompt)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana.cli.shell import words
from kirana.cli.shell_input import split_for_completion
from tests.conftest import run_kirana_process


def _kirana_executable() -> str:
    candidate = Path(sys.executable).with_name("kirana")
    return str(candidate) if candidate.exists() else "kirana"


def shell_pipe(script: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_kirana_executable(), *args, "shell"],
        input=script,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


@pytest.fixture
def shop(tmp_path):
    for args in (
        ("customer", "add", "Priya Madam"),
        ("customer", "add", "Ramesh"),
        ("item", "set", "atta", "--price", "250", "--gst", "5", "--unit", "kg"),
        ("sale", "Priya Madam", "--amount", "370", "--credit"),
    ):
        assert run_kirana_process(*args).exit_code == 0
    return tmp_path


# ---- through a pipe -------------------------------------------------------------------------


def test_a_piped_script_runs_one_command_a_line_with_no_prompt(shop):
    done = shell_pipe(
        "balance Priya\n\n# a comment line\npay Priya 120 --upi --ref UTR1\nkirana balance Priya\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Priya Madam: ₹370.00",
        "#5 Payment (UPI) ref UTR1 ₹120.00 — Priya Madam's dues now ₹250.00",
        "Priya Madam: ₹250.00",
    ]
    assert "kirana>" not in done.stdout and done.stderr == ""


def test_an_error_prints_its_line_and_the_script_goes_on(shop):
    done = shell_pipe("balance Nobody\npay Priya 0\nsale 'Priya\nbalance Priya\n")
    assert done.stderr.splitlines() == [
        "Error: no customer named 'Nobody'; add them with: kirana customer add NAME",
        done.stderr.splitlines()[1],
        "Error: no closing quotation in the line; close the quote",
    ]
    assert done.stderr.splitlines()[1].startswith("Error: ")
    assert done.stdout == "Priya Madam: ₹370.00\n"
    assert done.returncode == 1  # a script learns that a line failed


def test_usage_mistakes_and_help_do_not_end_the_shell(shop):
    done = shell_pipe("balance --nonsense\nbalance --help\nhelp\nbalance Priya\n")
    assert done.stderr.startswith("Error: No such option: --nonsense")
    assert "Show what a customer owes" in done.stdout
    assert "Commands" in done.stdout
    assert done.stdout.endswith("Priya Madam: ₹370.00\n")


def test_exit_ends_the_shell_and_the_shell_cannot_nest(shop):
    done = shell_pipe("shell\nexit\nbalance Priya\n")
    assert done.stderr == "Error: this is already the kirana shell; type the command itself\n"
    assert done.stdout == ""


def test_the_shell_runs_under_its_global_options_and_a_line_may_add_its_own(shop, tmp_path):
    other = tmp_path / "other.db"
    done = shell_pipe(
        "customer add Zoya\nbalance Zoya\n--by asha customer add Meena\n",
        "--db",
        str(other),
        "--by",
        "ravi",
    )
    assert done.returncode == 0, done.stderr
    log = run_kirana_process("--db", other, "log", "--json").json()["events"]
    assert [(e["customer"], e["recorded_by"]) for e in log] == [("Zoya", "ravi"), ("Meena", "asha")]
    assert run_kirana_process("balance", "Zoya").exit_code == 1  # the default ledger untouched


def test_a_write_in_the_shell_is_a_real_entry_that_verify_accepts(shop):
    done = shell_pipe("sale Ramesh atta:2 --credit\nsale atta:1 --cash\nverify\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2].startswith("OK: 6 entries, chain intact")


# ---- the words of a line ------------------------------------------------------------------


@given(st.lists(st.text(alphabet="ab ₹'\"\\$-:", min_size=1), min_size=1, max_size=4))
def test_a_line_splits_into_the_words_a_posix_shell_would_give(given_words):
    import shlex

    assert words(shlex.join(["sale", *given_words])) == ["sale", *given_words]


def test_the_word_being_typed_is_found_even_inside_an_open_quote():
    assert split_for_completion("kirana sale 'Priya M") == (["sale"], "Priya M", 12)
    assert split_for_completion("balance ") == (["balance"], "", 8)
    assert split_for_completion('statement "A B" --for') == (["statement", "A B"], "--for", 16)


# ---- through a pseudo-terminal ------------------------------------------------------------


def spawn(env_extra: dict | None = None) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", **(env_extra or {})}
    child = pexpect.spawn(
        _kirana_executable(),
        ["shell"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 150),
    )
    child.expect("kirana>")
    return child


def end(child: pexpect.spawn) -> int:
    child.sendeof()  # Ctrl-D on an empty line
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_tab_completes_commands_customers_items_and_format_values(shop):
    child = spawn()
    child.send("bal\t")
    child.expect("ance")
    child.send(" Pri\t")
    child.expect("ya Madam")
    child.send("\r")
    child.expect("Priya Madam: ₹370.00")
    child.expect("kirana>")
    child.send("sale Ram\t")
    child.expect("esh")
    child.send(" at\t")
    child.expect("ta")
    child.send(":2 --cre\t")
    child.expect("dit")
    child.send("\r")
    child.expect("Ramesh's dues now ₹500.00")
    child.expect("kirana>")
    child.send("statement Ramesh --format j\t")
    child.expect("son")
    child.send("\r")
    child.expect('"closing_paise": 50000')
    child.expect("kirana>")
    assert end(child) == 0


def test_an_error_prints_its_line_and_ctrl_c_drops_the_line_being_typed(shop):
    child = spawn()
    child.send("balance Nobody\r")
    child.expect("Error: no customer named 'Nobody'; add them with")
    child.expect("kirana>")
    child.send("customer add Ghost")
    child.send("\x03")  # Ctrl-C: not run, a fresh prompt
    child.expect("kirana>")
    child.send("customer list --json\r")
    child.expect('"customer": "Ramesh"')
    child.expect("kirana>")
    assert "Ghost" not in child.before
    assert end(child) == 0
    names = [
        c["customer"] for c in run_kirana_process("customer", "list", "--json").json()["customers"]
    ]
    assert names == ["Priya Madam", "Ramesh"]


def test_history_is_kept_across_sessions_in_an_owner_only_file(shop, tmp_path):
    child = spawn()
    child.send("balance Priya\r")
    child.expect("Priya Madam: ₹370.00")
    child.expect("kirana>")
    assert end(child) == 0
    history = tmp_path / "xdg" / "kirana" / "shell-history"  # the user's data folder
    assert history.read_text(encoding="utf-8") == "balance Priya\n"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600

    child = spawn()
    child.send("\x1b[A")  # the up arrow brings back the last session's command
    child.expect("balance Priya")
    child.send("\r")
    child.expect("Priya Madam: ₹370.00")
    child.expect("kirana>")
    assert end(child) == 0


def test_the_history_file_can_be_chosen_and_is_never_followed_through_a_symlink(shop, tmp_path):
    chosen = tmp_path / "counter-history"
    child = spawn({"KIRANA_HISTORY": str(chosen)})
    child.send("dues\r")
    child.expect("ledger head")
    child.expect("kirana>")
    assert end(child) == 0
    assert chosen.read_text(encoding="utf-8") == "dues\n"

    target = tmp_path / "elsewhere"
    link = tmp_path / "linked-history"
    link.symlink_to(target)
    child = spawn({"KIRANA_HISTORY": str(link)})
    child.send("dues\r")
    child.expect("Warning: the shell's history is not being saved")
    child.expect("kirana>")
    assert end(child) == 0
    assert not target.exists()


def test_the_shell_sees_what_another_kirana_wrote_between_two_lines(shop):
    child = spawn()
    child.send("balance Priya\r")
    child.expect("Priya Madam: ₹370.00")
    child.expect("kirana>")
    assert run_kirana_process("pay", "Priya", "100").exit_code == 0
    child.send("balance Priya\r")
    child.expect("Priya Madam: ₹270.00")
    child.expect("kirana>")
    assert end(child) == 0


def test_exit_word_ends_an_interactive_shell(shop):
    child = spawn()
    child.send("exit\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


if sys.platform == "win32":  # pragma: no cover - pexpect's pty is POSIX-only
    pytestmark = pytest.mark.skip("pseudo-terminals are POSIX-only")


@pytest.mark.parametrize(
    ("words_typed", "expected"),
    [
        ("kirana statement Priya --format j", "json"),
        ("kirana report month 2025-03 --format x", "xlsx"),
        ("kirana export --format be", "beancount"),
        ("kirana sale Ramesh at", "atta"),
        ("kirana item set at", "atta"),
        ("kirana sale at", "atta"),
    ],
)
def test_installed_shell_completion_offers_items_and_format_values_too(shop, words_typed, expected):
    done = subprocess.run(
        [_kirana_executable()],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "_KIRANA_COMPLETE": "complete_bash",
            "COMP_WORDS": words_typed,
            "COMP_CWORD": str(len(words_typed.split()) - 1),
        },
        timeout=60,
        check=False,
    )
    assert done.stdout.split() == [expected]


def test_the_ledger_is_opened_once_for_all_the_lines(shop, monkeypatch, capsys):
    """In-process: the shell's lines borrow one open ledger (a spy counts the openings; the
    database itself is real)."""
    import io

    import kirana.ledger
    from kirana.cli.main import main

    opened = []
    real_open = kirana.ledger.open_ledger

    def counting(*args, **kwargs):
        opened.append(kwargs.get("create"))
        return real_open(*args, **kwargs)

    monkeypatch.setattr(kirana.ledger, "open_ledger", counting)
    script = "balance Priya\nsale Ramesh --amount 10 --credit\ndues --json\nstatement Ramesh\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    assert main(["shell"]) == 0
    out = capsys.readouterr().out
    assert "Priya Madam: ₹370.00" in out and "Ramesh's dues now ₹10.00" in out
    assert len(opened) == 1
    assert main(["balance", "Priya"]) == 0  # each plain command opens it anew
    assert len(opened) == 2


def test_ctrl_c_during_a_command_stops_it_and_the_shell_goes_on(shop, tmp_path):
    """A payment waiting for the ledger's lock (held here, as another kirana writing would)
    is stopped by Ctrl-C: nothing recorded, the one interrupted line, a new prompt."""
    import fcntl

    child = spawn()
    held = os.open(tmp_path / "khata.db.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        child.send("pay Priya 100\r")
        child.expect("Waiting for another kirana")
        child.sendintr()
        child.expect("Error: interrupted \\(Ctrl-C\\)")
        child.expect("kirana>")
    finally:
        fcntl.flock(held, fcntl.LOCK_UN)
        os.close(held)
    child.send("balance Priya\r")
    child.expect("Priya Madam: ₹370.00")  # the payment was not recorded
    child.expect("kirana>")
    assert end(child) == 0
