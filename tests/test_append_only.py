"""Issue 2 acceptance 4: the log cannot be edited, and edits that bypass SQLite are detected."""

import sqlite3

import pytest


@pytest.fixture
def small_ledger(kirana, db_path):
    kirana("customer", "add", "Priya")
    kirana("sale", "Priya", "--amount", "500", "--credit")
    kirana("pay", "Priya", "200")
    kirana("pay", "Priya", "100")
    return db_path


def raw(db_path):
    return sqlite3.connect(db_path, isolation_level=None)


def test_update_and_delete_are_refused(small_ledger):
    conn = raw(small_ledger)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE events SET customer = 'Mallory' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events WHERE seq = 4")


def test_verify_passes_on_an_honest_ledger(small_ledger, kirana):
    result = kirana("verify")
    assert result.exit_code == 0
    assert "OK: 4 entries" in result.stdout


def test_changing_one_payload_byte_is_detected(small_ledger, kirana):
    conn = raw(small_ledger)
    conn.execute("DROP TRIGGER events_no_update")
    from kirana.store import decode_payload, encode_payload

    stored = conn.execute("SELECT data FROM events WHERE seq = 3").fetchone()[0]
    edited = encode_payload(decode_payload(stored).replace("20000", "20001"))
    conn.execute("UPDATE events SET data = ? WHERE seq = 3", (edited,))
    conn.close()
    result = kirana("verify")
    assert result.exit_code == 1
    assert "entry 3" in result.stdout
    assert result.stderr.startswith("Error:") and "first bad entry: 3" in result.stderr


def test_flipping_one_stored_byte_is_detected(small_ledger, kirana):
    conn = raw(small_ledger)
    conn.execute("DROP TRIGGER events_no_update")
    for seq in (2, 3):  # deflated payloads: a flipped bit breaks inflation or the hash
        stored = bytearray(
            conn.execute("SELECT data FROM events WHERE seq = ?", (seq,)).fetchone()[0]
        )
        stored[len(stored) // 2] ^= 0x01
        conn.execute("UPDATE events SET data = ? WHERE seq = ?", (bytes(stored), seq))
    conn.close()
    result = kirana("verify")
    assert result.exit_code == 1
    assert "entry 2" in result.stdout and "entry 3" in result.stdout


def test_missing_trigger_is_reported(small_ledger, kirana):
    conn = raw(small_ledger)
    conn.execute("DROP TRIGGER events_no_delete")
    conn.close()
    result = kirana("verify")
    assert result.exit_code == 1 and "events_no_delete" in result.stdout


def test_deleting_the_newest_event_fails_expect_head(small_ledger, kirana):
    head = kirana("log", "--json", "--last", "1").json()["head"]
    noted = f"{head['seq']}:{head['hash'][:16]}"
    assert kirana("verify", "--expect-head", noted).exit_code == 0
    assert kirana("verify", "--expect-head", head["hash"]).exit_code == 0
    conn = raw(small_ledger)
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DELETE FROM events WHERE seq = 4")
    conn.execute(
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    conn.close()
    kirana("rebuild")
    result = kirana("verify", "--expect-head", head["hash"])
    assert result.exit_code == 1
    assert "no longer in the chain" in result.stdout


def test_stale_read_model_is_caught_and_rebuild_fixes_it(small_ledger, kirana):
    conn = raw(small_ledger)
    conn.execute("UPDATE balances SET balance_paise = 0")
    conn.close()
    assert kirana("verify").exit_code == 1
    assert kirana("rebuild").exit_code == 0
    assert kirana("verify").exit_code == 0


def test_a_back_dated_entry_under_a_confirmation_is_refused(small_ledger, kirana, db_path):
    assert kirana("confirm", "Priya", "200").exit_code == 0
    result = kirana("sale", "Priya", "--amount", "50", "--credit", "--on", "2025-03-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Priya confirmed ₹200.00 on 10 Mar 2025; this entry dated 1 Mar 2025 would "
        "change it. Record it with today's date, or void the confirmation first "
        "(kirana void 5 --reason …)\n"
    )
    assert kirana("verify").exit_code == 0


def test_broken_confirmation_is_reported(small_ledger, kirana, db_path):
    """An entry that slipped under a confirmation (written past the rules) is caught."""
    from kirana.ledger import open_ledger
    from kirana.store import Draft

    kirana("confirm", "Priya", "200")
    with open_ledger(db_path) as ledger, ledger.write():
        data = {"method": "credit", "amount_paise": 5000}
        ledger.append(Draft("sale", "2025-03-01", "Priya", data))
    result = kirana("verify")
    assert result.exit_code == 1 and "confirmed dues" in result.stdout


def test_new_ledger_file_is_owner_only(small_ledger):
    assert small_ledger.stat().st_mode & 0o777 == 0o600


def test_stored_preimage_equals_canonical_json(ledger):
    """verify's fast re-hash must agree with the append path for every kind of payload."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kirana.events import Event, canonical_json, canonical_json_of_stored

    text = st.text(max_size=12)
    payload = st.dictionaries(
        text,
        st.one_of(st.integers(), text, st.none(), st.lists(st.integers(), max_size=3)),
        max_size=4,
    )

    @settings(max_examples=200, deadline=None)
    @given(
        seq=st.integers(1, 10**9),
        customer=st.one_of(st.none(), text),
        data=payload,
        by=text,
        id_=text,
    )
    def check(seq, customer, data, by, id_):
        event = Event(
            seq, id_, "sale", "2025-03-03", "2025-03-03T00:00:00.000000Z", by, customer, data
        )
        stored_data = canonical_json(data)
        assert canonical_json_of_stored(
            seq,
            id_,
            "sale",
            event.schema,
            event.occurred_at,
            event.recorded_at,
            by,
            customer,
            stored_data,
        ) == canonical_json(event.body())

    check()


def test_canonical_json_is_json_dumps_with_sorted_keys():
    """The prebuilt encoder (events._canonical_encoder) writes exactly what json.dumps does:
    every stored hash depends on these bytes."""
    import json

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kirana.events import canonical_json

    # any code point, lone surrogates included (CSV bytes that were not UTF-8 arrive as them)
    text = st.text(st.characters(blacklist_categories=()), max_size=8)
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), text)
    values = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)
        ),
        max_leaves=20,
    )

    @settings(max_examples=300, deadline=None)
    @given(body=st.one_of(st.dictionaries(text, values, max_size=5), st.lists(text, max_size=8)))
    def check(body):
        expected = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert canonical_json(body) == expected

    check()


def test_parallel_verify_finds_the_same_problems(small_ledger, monkeypatch):
    """Large logs re-hash in a second process; it must catch what the inline check catches."""
    from kirana import verify as verify_module
    from kirana.ledger import open_ledger
    from kirana.store import decode_payload, encode_payload

    monkeypatch.setattr(verify_module, "PARALLEL_FROM", 1)
    with open_ledger(small_ledger) as ledger:
        assert verify_module.verify(ledger).ok
    conn = raw(small_ledger)
    conn.execute("DROP TRIGGER events_no_update")
    stored = conn.execute("SELECT data FROM events WHERE seq = 4").fetchone()[0]
    conn.execute(
        "UPDATE events SET data = ? WHERE seq = 4",
        (encode_payload(decode_payload(stored).replace("10000", "10")),),
    )
    conn.close()
    with open_ledger(small_ledger) as ledger:
        result = verify_module.verify(ledger)
    assert verify_module.first_bad_seq(result) == 4


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE entries SET order_key = '2000-01-01' WHERE seq = 2",
        "DELETE FROM entries WHERE seq = 3",
        "UPDATE customer_names SET customer_id = 99",
        "INSERT INTO returns_against VALUES (2, 99, 100)",
        "INSERT INTO catalog VALUES ('x', '2025-01-01', 99, 'x', 1, '5', '', 'kg')",
        "INSERT INTO shop_settings VALUES ('2025-01-01', 99, '{}')",
        "UPDATE daily_sales SET sales_paise = sales_paise + 1",
        "UPDATE customers SET phone = '919999999999'",
        "UPDATE customers SET credit_limit_paise = 99999999",
    ],
)
def test_every_read_model_is_checked_against_the_replay(small_ledger, kirana, tamper):
    conn = raw(small_ledger)
    conn.execute(tamper)
    conn.close()
    result = kirana("verify")
    assert result.exit_code == 1 and "read model differs from replay" in result.stdout
    assert kirana("rebuild").exit_code == 0
    assert kirana("verify").exit_code == 0


def test_edited_catalog_and_shop_settings_are_caught(kirana, db_path):
    kirana("item", "set", "atta", "--price", "40", "--gst", "5", "--from", "2025-01-01")
    kirana("shop", "set", "--scheme", "regular", "--from", "2025-01-01")
    assert kirana("verify").exit_code == 0
    for tamper in (
        "UPDATE catalog SET effective_from = '2030-01-01'",
        "UPDATE shop_settings SET settings = replace(settings, 'regular', 'composition')",
    ):
        conn = raw(db_path)
        conn.execute(tamper)
        conn.close()
        result = kirana("verify")
        assert result.exit_code == 1 and "read model differs" in result.stdout
        assert kirana("rebuild").exit_code == 0


def test_verify_reads_one_snapshot_while_someone_appends(small_ledger, monkeypatch):
    """An entry appended by another terminal during verify is not a false alarm."""
    from kirana import recording
    from kirana import verify as verify_module
    from kirana.ledger import open_ledger

    real_check_file = verify_module.check_file

    def check_then_someone_pays(conn, last_seq, quick=False):
        result = real_check_file(conn, last_seq, quick)
        with open_ledger(small_ledger) as other:
            recording.record_payment(other, "Priya", 100, occurred_at="2025-03-10")
        return result

    monkeypatch.setattr(verify_module, "check_file", check_then_someone_pays)
    with open_ledger(small_ledger) as ledger:
        result = verify_module.verify(ledger)
    assert result.ok, result.problems
    assert result.head["seq"] == 4


def test_parallel_verify_works_for_paths_with_uri_characters(tmp_path, monkeypatch):
    from kirana import recording
    from kirana import verify as verify_module
    from kirana.ledger import open_ledger

    monkeypatch.setattr(verify_module, "PARALLEL_FROM", 1)
    folder = tmp_path / "shop#1 %41"
    folder.mkdir()
    with open_ledger(folder / "k.db") as ledger:
        recording.add_customer(ledger, "Priya")
        assert verify_module.verify(ledger).ok


@pytest.mark.parametrize("noted", ["________", "%%%%%%%%", "zzzzzzzz", "1234567"])
def test_expect_head_must_be_hex(small_ledger, kirana, noted):
    result = kirana("verify", "--expect-head", noted)
    assert result.exit_code == 1 and "hex digits" in result.stdout
