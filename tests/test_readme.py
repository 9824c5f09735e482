"""Issue 2 acceptance 1: the README's quick start is what CI runs, and `kirana demo` works."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "python -m pip install -e '.[test]'"
TEST = "python -m pytest"


def test_readme_quick_start_has_install_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"$ {INSTALL}" in readme
    assert f"$ {TEST}" in readme
    assert "$ kirana demo" in readme


def test_ci_runs_exactly_the_readme_commands():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert INSTALL in lines
    assert TEST in lines
    assert lines.index(INSTALL) < lines.index(TEST)


def test_demo_prints_balances_without_touching_the_users_ledger(kirana_process, db_path):
    result = kirana_process("demo")
    assert result.exit_code == 0, result.stderr
    assert "Priya Madam" in result.stdout and "₹320.00" in result.stdout
    for line in ("end of 12 Aug: ₹670.00", "end of 13 Aug: ₹370.00", "end of 20 Aug: ₹320.00"):
        assert line in result.stdout
    assert not db_path.exists()
