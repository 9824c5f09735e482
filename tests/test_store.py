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
