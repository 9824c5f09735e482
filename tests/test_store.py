"""The event store's file format: payload codec, ids, head."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana.errors import LedgerError
from kirana.store import decode_payload, encode_payload, id_bytes


@given(st.text())
def test_payload_codec_round_trips_any_text(text):
    assert decode_payload(encode_payload(text)) == text


def test_payload_codec_keeps_short_or_incompressible_text_plain():
    stored = encode_payload('{"a":1}')
    assert stored == b'{"a":1}'
    assert decode_payload(stored) == '{"a":1}'


def test_sale_payload_is_deflated_to_a_fraction():
    from kirana.catalog import make_line
    from kirana.events import canonical_json

    lines = [make_line(name, "1", 25000, "5", "1101", "kg") for name in ("atta", "dal", "oil")]
    text = canonical_json({"amount_paise": 75000, "items": lines, "method": "credit"})
    assert len(encode_payload(text)) < len(text) / 2


def test_damaged_payload_is_an_error():
    stored = bytearray(encode_payload('{"amount_paise":50000,"method":"credit"}' * 3))
    with pytest.raises(ValueError):
        decode_payload(bytes(stored[:-3]))


@pytest.mark.parametrize("bad", ["xyz", "12", "g" * 32, "0" * 30])
def test_event_ids_are_32_hex_digits(bad):
    with pytest.raises(LedgerError):
        id_bytes(bad)


def test_empty_ledger_head_is_genesis(ledger):
    assert ledger.head() == {"seq": 0, "hash": "0" * 64}
    assert ledger.get_by_id("0" * 32) is None


def test_insert_refuses_to_break_the_recorded_order(ledger):
    """As-known-at views rely on recorded_at never decreasing along seq."""
    from kirana import recording
    from kirana.events import Event

    head = recording.add_customer(ledger, "Priya").event
    older = Event(
        2,
        "ab" * 16,
        "payment",
        "2025-03-01",
        "2000-01-01T00:00:00.000000Z",
        "x",
        "Priya",
        {"amount_paise": 100, "method": "cash"},
        prev_hash=head.hash,
    )
    with pytest.raises(LedgerError, match="break the log's order"), ledger.write():
        ledger.insert(older)
    assert ledger.event_count() == 1


def test_daily_sales_take_voids_back_out(ledger):
    from kirana import recording

    recording.record_sale(ledger, None, method="cash", occurred_at="2025-03-03", amount_paise=500)
    sale = recording.record_sale(
        ledger, None, method="upi", occurred_at="2025-03-03", amount_paise=700
    ).event
    recording.record_return(
        ledger, None, settlement="cash", occurred_at="2025-03-04", amount_paise=200
    )
    recording.record_void(ledger, sale.seq, "typo")
    rows = ledger.conn.execute("SELECT * FROM daily_sales ORDER BY day").fetchall()
    assert rows == [("2025-03-03", 500, 0), ("2025-03-04", 0, 200)]


def test_bytes_after_a_deflated_payload_are_damage():
    stored = encode_payload('{"amount_paise":50000,"method":"credit"}')
    assert stored[:1] == b"\x01"
    with pytest.raises(ValueError, match="after its end"):
        decode_payload(stored + b"junk")
