"""verify runs SQLite's integrity_check: an index that no longer matches its table (which gives
wrong month reports while every row is fine) is found; --quick runs only quick_check (the
schema comparison still names an index whose definition was changed)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def test_a_damaged_index_fails_verify_but_not_quick(kirana, db_path):
    assert kirana("import", SAMPLE / "sharma_store.csv").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(  # the index now claims another column than the rows it holds
        "UPDATE sqlite_master SET sql = replace(sql, 'events (occurred_at)',"
        " 'events (recorded_at)') WHERE name = 'events_by_occurred_at'"
    )
    conn.commit()
    conn.close()
    result = kirana("verify")
    assert result.exit_code == 1
    assert "PROBLEM: SQLite integrity_check: row 1 missing from index events_by_occurred_at" in (
        result.stdout
    )
    quick = kirana("verify", "--quick")  # no integrity_check, but the schema is compared
    assert quick.exit_code == 1
    assert "PROBLEM: index events_by_occurred_at differs from kirana's" in quick.stdout
    assert "integrity_check" not in quick.stdout


def test_a_sound_ledger_passes_both(kirana):
    assert kirana("import", SAMPLE / "sharma_store.csv").exit_code == 0
    assert kirana("verify").exit_code == 0
    assert kirana("verify", "--quick").exit_code == 0
