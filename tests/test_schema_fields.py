"""An event arriving whole (JSONL import) may carry only the fields and be only of the types its
schema had: one table (kirana/schema_fields.py) for every field a schema added."""

from __future__ import annotations

import json

import pytest

from kirana import schema_fields
from kirana.events import chain_hash

SETUP = (
    ("customer", "add", "Priya"),
    ("sale", "Priya", "--amount", "300", "--credit"),
    ("pay", "Priya", "50", "--upi", "--ref", "UTR1001"),
)

# (commands recording the event, the schema it is said to be, the field or type refused)
CASES = {
    "gstin on customer_added": (
        [("customer", "add", "Ravi Traders", "--gstin", "27AAPFU0939F1ZV")], 2, "gstin"
    ),
    "gstin on customer_updated": (
        [("customer", "update", "Priya", "--gstin", "27AAPFU0939F1ZV")], 2, "gstin"
    ),
    "upi_ids on customer_updated": (
        [("customer", "update", "Priya", "--upi-id", "priya@okaxis")], 2, "upi_ids"
    ),
    "upi_id on shop_configured": ([("shop", "set", "--upi-id", "shop@okhdfcbank")], 2, "upi_id"),
    "language on shop_configured": ([("shop", "set", "--lang", "hi")], 2, "language"),
    "voucher on sale": ([("sale", "Priya", "--amount", "10", "--credit")], 2, "voucher"),
    "voucher on return": ([("return", "Priya", "--amount", "10")], 2, "voucher"),
    "duplicate_ref on payment": (
        [("pay", "Priya", "50", "--upi", "--ref", "UTR1001", "--duplicate-ref")], 1,
        "duplicate_ref",
    ),
}  # fmt: skip


def exported_with_last_as(kirana, tmp_path, schema: int) -> list[dict]:
    """The ledger exported, its last event said to be of `schema` (and hashed again)."""
    out = tmp_path / "all.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", out).exit_code == 0
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    last = events[-1]
    last["schema"] = schema
    last["hash"] = chain_hash(
        last["prev_hash"], {k: v for k, v in last.items() if k not in ("prev_hash", "hash")}
    )
    return events


def import_events(kirana, tmp_path, events: list[dict]):
    path = tmp_path / "old.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), "utf-8")
    return kirana("--db", tmp_path / "new.db", "import", path)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_field_a_later_schema_added_is_refused(kirana, tmp_path, case):
    commands, schema, field = CASES[case]
    for args in SETUP + tuple(commands):
        done = kirana(*args)
        assert done.exit_code == 0, (args, done.stderr)
    events = exported_with_last_as(kirana, tmp_path, schema)
    assert field in events[-1]["data"]
    result = import_events(kirana, tmp_path, events)
    assert result.exit_code == 1
    assert f"a schema-{schema} event has no {field} (it came with schema " in result.stderr
    assert schema_fields.FIELDS_SINCE[(events[-1]["type"], field)] > schema


def test_the_same_event_without_the_field_is_taken(kirana, tmp_path):
    for args in SETUP + (("customer", "update", "Priya", "--gstin", "27AAPFU0939F1ZV", "--phone",
                          "9876543210"),):  # fmt: skip
        assert kirana(*args).exit_code == 0
    events = exported_with_last_as(kirana, tmp_path, 2)
    del events[-1]["data"]["gstin"]
    last = events[-1]
    last["hash"] = chain_hash(
        last["prev_hash"], {k: v for k, v in last.items() if k not in ("prev_hash", "hash")}
    )
    result = import_events(kirana, tmp_path, events)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("kind", ["period_closed", "period_reopened"])
def test_an_event_type_a_later_schema_added_is_refused(kirana, tmp_path, clock, kind):
    clock("2025-11-05T10:00")
    for args in SETUP + (("close", "2025-10"),):
        assert kirana(*args).exit_code == 0
    if kind == "period_reopened":
        assert kirana("reopen", "2025-10", "--reason", "late bill").exit_code == 0
    events = exported_with_last_as(kirana, tmp_path, 2)
    assert events[-1]["type"] == kind
    result = import_events(kirana, tmp_path, events)
    assert result.exit_code == 1
    assert f"a schema-2 event is never a {kind} (it came with schema 3)" in result.stderr
