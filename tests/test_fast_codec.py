"""The fast codec (issue 14) changes no byte: kirana.jsonfast reads and writes exactly what the
standard library does, the JSONL export copies stored payloads into the same lines that
decoding and encoding them gave, and the stored canonical JSON is untouched."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import jsonfast, recording
from kirana.events import SALE, canonical_json
from kirana.io.export import jsonl_line
from kirana.ledger import open_ledger
from kirana.store import Draft
from kirana.store.codec import COLUMNS, decode_payload

FIXTURES = Path(__file__).parent / "fixtures"
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_pretty_is_json_dumps_indent_2(value):
    assert jsonfast.pretty(value) == json.dumps(value, ensure_ascii=False, indent=2)


no_floats = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(no_floats)
def test_pretty_without_the_float_check_is_json_dumps_indent_2(value):
    """floats=False (a payload built without floats) skips the check, and gives the same text;
    pretty_bytes gives its UTF-8, or None where json.dumps must write it (beyond 64 bits)."""
    expected = json.dumps(value, ensure_ascii=False, indent=2)
    assert jsonfast.pretty(value, floats=False) == expected
    encoded = jsonfast.pretty_bytes(value, floats=False)
    if encoded is not None:
        assert encoded == expected.encode("utf-8")


@given(values | st.just(math.inf) | st.just(-math.inf))
def test_loads_gives_what_json_loads_gives(value):
    text = json.dumps(value, ensure_ascii=False)
    assert jsonfast.loads(text) == json.loads(text)
    assert jsonfast.loads(text.encode("utf-8")) == json.loads(text)


def _export_lines_agree(ledger) -> int:
    rows = list(ledger.conn.execute(f"SELECT {COLUMNS} FROM events ORDER BY seq"))
    events = list(ledger.iter_events())
    for row, event in zip(rows, events, strict=True):
        old = json.dumps(event.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
        assert jsonl_line(row) == old
        assert decode_payload(row[8]) == canonical_json(event.data)  # the stored format
        assert event.data == json.loads(decode_payload(row[8]))  # decoded as json does
    return len(rows)


payloads = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**62), 2**62) | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=10,
    ),
    max_size=6,
)


@given(payloads)
def test_loads_payload_reads_any_payload_kirana_stores_as_json_does(payload):
    text = canonical_json(payload)
    assert jsonfast.loads_payload(text) == json.loads(text) == payload


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=payloads, customer=st.none() | st.text(max_size=12), by=st.text(max_size=12))
def test_export_lines_equal_the_decoded_events(tmp_path_factory, data, customer, by):
    folder = tmp_path_factory.mktemp("k")
    with open_ledger(folder / "k.db") as ledger:
        with ledger.write():  # any payload an old or imported ledger could hold
            ledger.append(Draft(SALE, "2025-03-01", customer, {**data, "amount_paise": 1}))
        _export_lines_agree(ledger)


def test_export_of_a_real_and_an_old_ledger_is_unchanged(ledger, tmp_path):
    recording.add_customer(ledger, 'Ravi Kumar \u0930\u0935\u093f "x" \\ y', "9876543210", 10000)
    recording.sale_from_words(
        ledger, ["Ravi", "atta:1.5@48.50"], method="credit", occurred_at="2025-03-01"
    )
    recording.record_payment(ledger, "Ravi", 5000, occurred_at="2025-03-02", reference="UPI 1")
    assert _export_lines_agree(ledger) == 3
    for source in sorted(FIXTURES.glob("release-*/*.db")):
        copy = tmp_path / source.name
        shutil.copyfile(source, copy)
        with open_ledger(copy, create=False) as old:
            assert _export_lines_agree(old) > 0
