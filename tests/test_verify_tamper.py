"""verify on a tampered file (issue: hardening, case 6): every damage is named by its entry or
schema object, never a traceback; foreign or altered triggers and views are problems; the
advice saves the evidence before any rebuild, and rebuild refuses to run foreign triggers."""

from __future__ import annotations

import sqlite3

import pytest

from kirana.store.schema import EVENTS_DDL


@pytest.fixture
def ledger_file(kirana, db_path):
    assert kirana("customer", "add", "Priya").exit_code == 0
    assert kirana("sale", "Priya", "--amount", "250", "--credit").exit_code == 0
    assert kirana("pay", "Priya", "100").exit_code == 0
    return db_path


def tamper(db_path, *statements: str, writable_schema: bool = False) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER events_no_update")
    if writable_schema:
        conn.execute("PRAGMA writable_schema = ON")
    for statement in statements:
        conn.execute(statement)
    update_trigger = EVENTS_DDL[EVENTS_DDL.index("CREATE TRIGGER events_no_update") :]
    conn.execute(update_trigger[: update_trigger.index("END;") + 4])
    conn.commit()
    conn.close()


def verify(kirana):
    result = kirana("verify")
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "unexpected" not in result.stderr
    return result.stdout


def test_a_null_hash_is_named_by_its_entry(kirana, ledger_file):
    tamper(
        ledger_file,
        "UPDATE sqlite_master SET sql = replace(sql, 'hash BLOB NOT NULL\n)', 'hash BLOB\n)')"
        " WHERE name = 'events'",
        writable_schema=True,
    )
    tamper(ledger_file, "UPDATE events SET hash = NULL WHERE seq = 2")
    out = verify(kirana)
    assert "PROBLEM: entry 2: stored row is damaged (hash is not 32 bytes)" in out


def test_undecodable_text_is_named_by_its_entry(kirana, ledger_file):
    tamper(ledger_file, "UPDATE events SET recorded_by = CAST(X'7465ff' AS TEXT) WHERE seq = 3")
    out = verify(kirana)
    assert "PROBLEM: entry 3: stored row is damaged (recorded_by is bytes)" in out


def test_a_foreign_trigger_and_view_are_listed_and_rebuild_refuses(kirana, ledger_file):
    conn = sqlite3.connect(ledger_file)
    conn.execute(
        "CREATE TRIGGER sneaky AFTER INSERT ON balances BEGIN"
        " UPDATE balances SET balance_paise = 0; END"
    )
    conn.execute("CREATE VIEW peek AS SELECT * FROM customers")
    conn.commit()
    conn.close()
    out = verify(kirana)
    assert "PROBLEM: trigger sneaky on balances is not kirana's: CREATE TRIGGER sneaky" in out
    assert "PROBLEM: view peek is not kirana's: CREATE VIEW peek" in out
    refused = kirana("rebuild")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "Error: the ledger file has triggers or views kirana did not make (sneaky, peek);"
    )
    assert "kirana backup COPY.db" in refused.stderr


def test_a_no_op_trigger_under_the_right_name_is_found(kirana, ledger_file):
    conn = sqlite3.connect(ledger_file)
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    out = verify(kirana)
    assert (
        "PROBLEM: trigger events_no_delete differs from kirana's (the log could be edited)" in out
    )


def test_the_read_model_advice_saves_the_evidence_first(kirana, ledger_file):
    conn = sqlite3.connect(ledger_file)
    conn.execute("UPDATE balances SET balance_paise = 1")
    conn.commit()
    conn.close()
    out = verify(kirana)
    assert "keep the file as evidence (kirana backup COPY.db), then run kirana rebuild" in out
    assert "; run kirana rebuild" not in out


def test_a_damaged_import_key_is_named_by_its_entry(kirana, tmp_path, db_path):
    csv_file = tmp_path / "a.csv"
    csv_file.write_text(
        "date,type,customer,amount,method,items,reference,note,key\n"
        "2025-03-01,sale,Priya,250,credit,,,,\n",
        encoding="utf-8",
    )
    assert kirana("import", csv_file).exit_code == 0
    import json

    from kirana.store.codec import decode_payload, encode_payload

    conn = sqlite3.connect(db_path)
    data = json.loads(
        decode_payload(conn.execute("SELECT data FROM events WHERE seq=2").fetchone()[0])
    )
    conn.close()
    data["import_key"] = "not-a-key"
    tamper(
        db_path,
        f"UPDATE events SET data = X'{encode_payload(json.dumps(data)).hex()}' WHERE seq = 2",
    )
    out = verify(kirana)
    assert "PROBLEM: entry 2: content does not match its hash (edited?)" in out
    assert "PROBLEM: entry 2: cannot be replayed (import_key 'not-a-key' is not 32 hex" in out


def test_a_trigger_named_like_sqlites_own_is_not_hidden(kirana, ledger_file):
    conn = sqlite3.connect(ledger_file)
    conn.execute(
        "CREATE TRIGGER SqliteGuard BEFORE INSERT ON events WHEN new.type = 'payment'"
        " BEGIN SELECT RAISE(IGNORE); END"
    )
    conn.execute("ANALYZE")  # SQLite's own sqlite_stat1 is not a problem
    conn.commit()
    conn.close()
    out = verify(kirana)
    assert out.splitlines()[0].startswith("PROBLEM: trigger SqliteGuard on events is not kirana's")
    assert "sqlite_stat1" not in out
    assert kirana("rebuild").exit_code == 1


def test_damaged_shop_settings_text_is_a_named_mismatch(kirana, ledger_file):
    conn = sqlite3.connect(ledger_file)
    conn.execute("INSERT INTO shop_settings VALUES ('2025-01-01', 1, '{bad')")
    conn.commit()
    conn.close()
    out = verify(kirana)
    assert "PROBLEM: shop_settings read model differs from replay" in out


def test_two_entries_with_one_import_key_are_named_and_rebuild_still_works(
    kirana, tmp_path, db_path
):
    """A forged copy of an imported entry (same key, a new id) appended at the chain's end."""
    import json

    from kirana.events import chain_hash
    from kirana.ledger import open_ledger
    from kirana.store.codec import encode_payload, id_bytes

    csv_file = tmp_path / "a.csv"
    csv_file.write_text(
        "date,type,customer,amount,method,items,reference,note,key\n"
        "2025-03-01,sale,Priya,250,credit,,,,\n",
        encoding="utf-8",
    )
    assert kirana("import", csv_file).exit_code == 0
    with open_ledger(db_path) as ledger:
        sale = ledger.get(2)
    body = {**sale.body(), "seq": 3, "id": "f" * 32}
    hash_ = chain_hash(sale.hash, body)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            3,
            id_bytes("f" * 32),
            sale.type,
            sale.schema,
            sale.occurred_at,
            sale.recorded_at,
            sale.recorded_by,
            sale.customer,
            encode_payload(json.dumps(sale.data, sort_keys=True, separators=(",", ":"))),
            bytes.fromhex(sale.hash),
            bytes.fromhex(hash_),
        ),
    )
    conn.commit()
    conn.close()
    assert kirana("rebuild").exit_code == 0
    out = verify(kirana)
    twice = "entry 3 carries the import key of entry 2: one imported row counted twice"
    assert out.splitlines() == [f"PROBLEM: {twice}; void entry 3 if it is"]
