"""A JSONL file is checked by the ledger's rules, not only by its hashes (anyone can hash)."""

import json

import pytest

from kirana.events import GENESIS_HASH, Event, chain_hash


def chained(*specs):
    """Events with correct seq, prev_hash and hash: valid as a chain, whatever they say."""
    lines, prev = [], GENESIS_HASH
    for seq, (kind, customer, data) in enumerate(specs, start=1):
        event = Event(
            seq,
            f"{seq:032x}",
            kind,
            "2025-03-01",
            f"2025-03-01T0{seq}:00:00.000000Z",
            "mallory",
            customer,
            data,
            prev_hash=prev,
        )
        event = Event(
            **{
                **{n: getattr(event, n) for n in Event.__slots__},
                "hash": chain_hash(prev, event.body()),
            }
        )
        lines.append(json.dumps(event.to_json()))
        prev = event.hash
    return "\n".join(lines) + "\n"


ADD = ("customer_added", "Priya", {})
BAD = [
    ([("sale", None, {"method": "credit", "amount_paise": 5000})], "needs a customer"),
    ([ADD, ("payment", "Priya", {"method": "bitcoin", "amount_paise": 100})], "payment method"),
    ([ADD, ("payment", "Priya", {"method": "cash", "amount_paise": -100})], "out of range"),
    ([ADD, ("payment", "Priya", {"method": "cash", "amount_paise": 1.5})], "whole paise"),
    ([ADD, ("void", "Priya", {"target": 1, "reason": "x"})], "cannot be voided"),
    (
        [
            ADD,
            (
                "sale",
                "Priya",
                {
                    "method": "cash",
                    "amount_paise": 999,
                    "items": [
                        {
                            "name": "atta",
                            "qty": "2",
                            "unit": "kg",
                            "unit_price_paise": 100,
                            "gst_rate": "5",
                            "hsn": "",
                            "total_paise": 200,
                        }
                    ],
                },
            ),
        ],
        "add up to",
    ),
    (
        [
            ADD,
            (
                "sale",
                "Priya",
                {
                    "method": "cash",
                    "amount_paise": 300,
                    "items": [
                        {
                            "name": "atta",
                            "qty": "2",
                            "unit": "kg",
                            "unit_price_paise": 100,
                            "gst_rate": "5",
                            "hsn": "",
                            "total_paise": 300,
                        }
                    ],
                },
            ),
        ],
        "qty × price",
    ),
    (
        [
            (
                "item_priced",
                None,
                {
                    "name": "atta",
                    "price_paise": 100,
                    "gst_rate": "7",
                    "hsn": "",
                    "unit": "kg",
                    "effective_from": "2025-01-01",
                },
            )
        ],
        "GST rate",
    ),
]


@pytest.mark.parametrize(("specs", "phrase"), BAD, ids=[p for _, p in BAD])
def test_hash_valid_but_rule_breaking_events_are_refused(kirana, tmp_path, specs, phrase):
    path = tmp_path / "evil.jsonl"
    path.write_text(chained(*specs), encoding="utf-8")
    result = kirana("import", str(path))
    assert result.exit_code == 1
    assert phrase in result.stderr
    assert kirana("--db", str(tmp_path / "khata.db"), "log", "--json").json()["events"] == []


def test_a_sensible_hand_made_file_imports(kirana, tmp_path):
    path = tmp_path / "ok.jsonl"
    path.write_text(chained(ADD, ("payment", "Priya", {"method": "upi", "amount_paise": 100})))
    assert kirana("import", str(path)).exit_code == 0
    assert kirana("verify").exit_code == 0
