"""Import keys travel inside the events: exported, restored, verified (issue: hardening, case 4).

Before schema 3 the keys lived only in a side table: a CSV imported, exported as JSONL,
restored into a new ledger and imported again was appended twice, and deleting the keys was
not noticed by verify.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana import import_keys
from kirana.errors import InputError
from kirana.ledger import open_ledger

HEADER = "date,type,customer,amount,method,items,reference,note,key\n"
ROWS = (
    "2025-03-01,sale,Priya,250,credit,,,,\n"
    "2025-03-01,sale,Priya,250,credit,,,,\n"  # the same content twice: two sales
    "2025-03-02,payment,Priya,100,upi,,UTR7781,,\n"
    "2025-03-03,sale,Ravi,90,credit,,,,r-3\n"
    ",void,,,,,4,typed twice,\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def entries(db: Path) -> int:
    with open_ledger(db) as ledger:
        return ledger.event_count()


def test_every_imported_entry_carries_its_key(kirana, tmp_path, db_path):
    assert kirana("import", write(tmp_path / "day.csv", HEADER + ROWS)).exit_code == 0
    with open_ledger(db_path) as ledger:
        keyed = [e for e in ledger.iter_events() if "import_key" in e.data]
        stored = set(ledger.conn.execute("SELECT key, fingerprint, seq FROM import_keys"))
    assert [e.type for e in keyed] == ["sale", "sale", "payment", "sale", "void"]
    assert len({e.data["import_key"] for e in keyed}) == 5  # the repeat has its own key
    assert stored == {
        (bytes.fromhex(k[:32]), bytes.fromhex(k[33:]), e.seq)
        for e in keyed
        for k in [e.data["import_key"]]
    }


def test_a_restored_export_still_knows_the_rows_it_imported(kirana, tmp_path, db_path):
    csv_file = write(tmp_path / "day.csv", HEADER + ROWS)
    assert kirana("import", csv_file).exit_code == 0
    before = entries(db_path)
    jsonl = tmp_path / "all.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", jsonl).exit_code == 0

    restored = tmp_path / "restored.db"
    assert kirana("--db", restored, "import", jsonl).exit_code == 0
    again = kirana("--db", restored, "import", csv_file, "--json")
    assert again.exit_code == 0, again.stderr
    assert again.json()["appended"] == 0
    assert entries(restored) == before
    assert kirana("--db", restored, "verify").exit_code == 0


def test_a_deleted_key_is_found_by_verify_and_rebuild_restores_it(kirana, tmp_path, db_path):
    assert kirana("import", write(tmp_path / "day.csv", HEADER + ROWS)).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM import_keys WHERE seq = (SELECT max(seq) FROM import_keys)")
    result = kirana("verify")
    assert result.exit_code == 1
    assert "import_keys read model differs from replay" in result.stdout + result.stderr
    assert kirana("rebuild").exit_code == 0
    assert kirana("verify").exit_code == 0
    assert kirana("import", tmp_path / "day.csv", "--json").json()["appended"] == 0


def test_a_row_changed_under_its_key_is_still_refused_after_a_restore(kirana, tmp_path):
    first = write(tmp_path / "a.csv", HEADER + "2025-03-03,sale,Ravi,90,credit,,,,r-3\n")
    assert kirana("import", first).exit_code == 0
    jsonl = tmp_path / "all.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", jsonl).exit_code == 0
    restored = tmp_path / "restored.db"
    assert kirana("--db", restored, "import", jsonl).exit_code == 0
    changed = write(tmp_path / "b.csv", HEADER + "2025-03-03,sale,Ravi,95,credit,,,,r-3\n")
    result = kirana("--db", restored, "import", changed)
    assert result.exit_code == 1
    assert "key 'r-3' was imported before (entry 2) with different content" in result.stderr


def _jsonl_with(tmp_path: Path, kirana, change) -> Path:
    """An export of a one-row import whose last event is changed by `change` and re-hashed."""
    from kirana.events import chain_hash

    assert kirana("import", write(tmp_path / "a.csv", HEADER + ROWS.splitlines()[0] + "\n"))
    jsonl = tmp_path / "all.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", jsonl).exit_code == 0
    events = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    change(events[-1])
    body = {k: v for k, v in events[-1].items() if k not in ("prev_hash", "hash")}
    events[-1]["hash"] = chain_hash(events[-1]["prev_hash"], body)
    out = tmp_path / "changed.jsonl"
    out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), "utf-8")
    return out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e["data"].update(import_key="abc"), "import_key 'abc' is not 32 hex digits"),
        (
            lambda e: (
                e.update(type="balance_confirmed", data={"amount_paise": 25000})
                or e["data"].update(import_key="0" * 32 + ":" + "0" * 16)
            ),
            "a balance_confirmed is never imported from a file, so it has no import_key",
        ),
    ],
)
def test_a_malformed_import_key_in_a_jsonl_event_is_refused(kirana, tmp_path, change, message):
    source = _jsonl_with(tmp_path, kirana, change)
    result = kirana("--db", tmp_path / "new.db", "import", source)
    assert result.exit_code == 1
    assert message in result.stderr


def test_a_jsonl_event_may_not_bring_a_key_the_ledger_already_has(kirana, tmp_path, db_path):
    """A later export continuing this ledger whose new entry repeats an imported row's key."""
    from kirana.events import chain_hash

    assert kirana(
        "import", write(tmp_path / "a.csv", HEADER + "2025-03-01,sale,Priya,250,credit,,,,k1\n")
    )
    assert kirana("sale", "Priya", "--amount", "30", "--credit").exit_code == 0
    jsonl = tmp_path / "all.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", jsonl).exit_code == 0
    events = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    copy = tmp_path / "copy.db"
    head = events[:-1]
    (tmp_path / "head.jsonl").write_text("".join(json.dumps(e) + "\n" for e in head), "utf-8")
    assert kirana("--db", copy, "import", tmp_path / "head.jsonl").exit_code == 0
    last = events[-1]
    last["data"]["import_key"] = events[-2]["data"]["import_key"]
    body = {k: v for k, v in last.items() if k not in ("prev_hash", "hash")}
    last["hash"] = chain_hash(last["prev_hash"], body)
    (tmp_path / "tail.jsonl").write_text(json.dumps(last) + "\n", "utf-8")
    result = kirana("--db", copy, "import", tmp_path / "tail.jsonl")
    assert result.exit_code == 1
    assert "carries the import key of entry 2, which is already in the ledger" in result.stderr


def test_an_event_of_an_older_schema_may_not_carry_an_import_key(kirana, tmp_path):
    from kirana.events import chain_hash

    row = "2025-03-02,payment,Priya,100,upi,,UTR7781,,\n"
    assert kirana("import", write(tmp_path / "a.csv", HEADER + row), "--new-customers")
    jsonl = tmp_path / "all.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", jsonl).exit_code == 0
    events = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    events[-1]["schema"] = 2
    body = {k: v for k, v in events[-1].items() if k not in ("prev_hash", "hash")}
    events[-1]["hash"] = chain_hash(events[-1]["prev_hash"], body)
    old = tmp_path / "old.jsonl"
    old.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), "utf-8")
    result = kirana("--db", tmp_path / "new.db", "import", old)
    assert result.exit_code == 1
    assert "a schema-2 event has no import_key (it came with schema 3)" in result.stderr


# the stored form, as a regular expression: what `parse` accepts, and only that
_STORED_FORM = re.compile(r"[0-9a-f]{32}:[0-9a-f]{16}")
_NEAR_FORM = st.text(alphabet="0123456789abcdefABCDEF: \n\x00é٣", min_size=47, max_size=51)


@given(
    st.one_of(
        st.binary(min_size=24, max_size=24).map(lambda b: f"{b[:16].hex()}:{b[16:].hex()}"),
        _NEAR_FORM,
        st.text(min_size=49, max_size=49),
        st.text(),
    )
)
def test_parse_accepts_exactly_the_stored_form(value):
    if _STORED_FORM.fullmatch(value):
        assert import_keys.parse(value) == (bytes.fromhex(value[:32]), bytes.fromhex(value[33:]))
    else:
        with pytest.raises(InputError, match="is not 32 hex digits"):
            import_keys.parse(value)


@pytest.mark.parametrize("value", [None, 7, b"0" * 49, ["x"], "0" * 32 + "\ud800" + "0" * 16])
def test_parse_refuses_what_is_not_text(value):
    with pytest.raises(InputError, match="is not 32 hex digits"):
        import_keys.parse(value)
