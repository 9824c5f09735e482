"""Issue 4 acceptance 6: `kirana backup FILE` writes a copy that passes verify and gives the same
balances; it never overwrites an existing file."""

import os
import stat
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def test_backup_passes_verify_and_gives_the_same_balances(kirana, tmp_path):
    assert kirana("import", SAMPLE / "generated_month.csv").exit_code == 0
    assert kirana("void", "6", "--reason", "typed twice").exit_code == 0
    copy = tmp_path / "backups" / "khata-2024-09.db"
    copy.parent.mkdir()
    result = kirana("backup", copy)
    assert result.exit_code == 0, result.stderr
    head = kirana("info", "--json").json()["head"]
    assert result.stdout.startswith(f"Backed up {head['seq']} entries to {copy}")
    assert kirana("--db", copy, "verify").exit_code == 0
    assert kirana("--db", copy, "info", "--json").json()["head"] == head
    for as_of in ("2024-09-10", "2024-09-30"):
        mine = kirana("balance", "--as-of", as_of, "--json").json()["balances"]
        theirs = kirana("--db", copy, "balance", "--as-of", as_of, "--json").json()["balances"]
        assert mine == theirs and mine
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600


def test_backup_of_a_ledger_with_open_readers_and_later_writes_is_a_snapshot(kirana, tmp_path):
    assert kirana("import", SAMPLE / "sharma_store.csv").exit_code == 0
    copy = tmp_path / "copy.db"
    assert kirana("backup", copy).exit_code == 0
    assert kirana("pay", "Priya", "20", "--on", "2024-08-21").exit_code == 0
    assert kirana("--db", copy, "balance", "Priya", "--json").json()["balances"][0][
        "balance_paise"
    ] == 32000  # fmt: skip
    assert kirana("balance", "Priya", "--json").json()["balances"][0]["balance_paise"] == 30000


def test_backup_refuses_to_overwrite_an_existing_file(kirana, tmp_path):
    assert kirana("import", SAMPLE / "sharma_store.csv").exit_code == 0
    existing = tmp_path / "precious.db"
    existing.write_bytes(b"do not touch")
    result = kirana("backup", existing)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {existing} already exists; backups never overwrite, give a new file name\n"
    )
    assert existing.read_bytes() == b"do not touch"


def test_backup_into_a_missing_folder_is_a_clear_error(kirana, tmp_path):
    assert kirana("import", SAMPLE / "sharma_store.csv").exit_code == 0
    result = kirana("backup", tmp_path / "nowhere" / "copy.db")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: folder ")
    assert not (tmp_path / "nowhere").exists()


def test_backup_without_a_ledger_is_a_clear_error(kirana, tmp_path):
    result = kirana("backup", tmp_path / "copy.db")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no ledger at")
    assert not (tmp_path / "copy.db").exists()
