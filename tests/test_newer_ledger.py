"""A ledger a newer kirana has opened (a migration step this one does not know) is refused, not
written: this kirana would append without keeping the newer read models up to date."""

from __future__ import annotations

import sqlite3

from conftest import run_kirana_process


def test_a_ledger_with_an_unknown_step_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "khata.db"
    assert run_kirana_process("--db", db, "customer", "add", "Priya").exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO _migrations VALUES ('099_from_the_future', '2030-01-01')")
    conn.close()
    before = db.read_bytes()
    done = run_kirana_process("--db", db, "sale", "Priya", "--amount", "10", "--credit")
    assert done.exit_code == 1
    assert done.stderr.strip() == (
        f"Error: {db} was opened by a newer kirana (it has step 099_from_the_future, unknown"
        " to this one); use that version or a later one"
    )
    assert "Traceback" not in done.stderr
    assert db.read_bytes() == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    conn.close()
