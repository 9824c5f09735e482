"""A JSONL file is checked by the ledger's rules, not only by its hashes (anyone can hash)."""

import json

import pytest

from kirana.events import GENESIS_HASH, Event, chain_hash


def chained(*specs):
    """Events with correct seq, prev_hash and hash: valid as a chain, whatever they say.
    A spec is (type, customer, data) or (type, customer, data, {field: override})."""
    lines, prev = [], GENESIS_HASH
    for seq, (kind, customer, data, *extra) in enumerate(specs, start=1):
        fields = {
            "id": f"{seq:032x}",
            "occurred_at": "2025-03-01",
            "recorded_at": f"2025-03-01T0{seq}:00:00.000000Z",
            **(extra[0] if extra else {}),
        }
        event = Event(
            seq,
            fields["id"],
            kind,
            fields["occurred_at"],
            fields["recorded_at"],
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
CASH = {"method": "cash", "amount_paise": 100}
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
    ([ADD, ("payment", "Priya", CASH, {"occurred_at": "2026-01-01"})], "in the future"),
    ([ADD, ("payment", "Priya", CASH, {"occurred_at": "2025-02-30"})], "not a kirana business"),
    (
        [ADD, ("payment", "Priya", CASH, {"occurred_at": "2025-03-01 14:05:00+05:30"})],
        "not a kirana business",
    ),
    (
        [ADD, ("payment", "Priya", CASH, {"occurred_at": "2025-03-01T14:05:00"})],
        "not a kirana business",
    ),
    (
        [ADD, ("payment", "Priya", CASH, {"recorded_at": "2099-01-01T00:00:00.000000Z"})],
        "not a past kirana timestamp",
    ),
    (
        [ADD, ("payment", "Priya", CASH, {"recorded_at": "2025-03-01T03:00:00Z"})],
        "not a past kirana timestamp",
    ),
    ([("customer_added", "Priya", {}, {"id": "AB" * 16})], "lowercase hex"),
    ([ADD, ("balance_confirmed", "Priya", {"amount_paise": 99900})], "not ₹999.00"),
    ([ADD, ("customer_updated", "Priya", {"name": 5})], "not a clean name"),
    ([ADD, ("customer_updated", "Priya", {"name": "  "})], "name is empty"),
    ([ADD, ("customer_updated", "Priya", {})], "nothing to change"),
    (
        [
            (
                "shop_configured",
                None,
                {"default_gst_rate": "abc", "effective_from": "2025-01-01"},
                {"occurred_at": "2025-01-01"},
            )
        ],
        "is not a GST slab",
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


def test_a_customer_who_took_back_a_former_name_round_trips(kirana, tmp_path):
    kirana("customer", "add", "Raju")
    kirana("customer", "update", "Raju", "--name", "Raju K")
    kirana("customer", "update", "Raju K", "--name", "Raju")
    kirana("sale", "Raju", "--amount", "10", "--credit")
    out = tmp_path / "a.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", str(out)).exit_code == 0
    copy = tmp_path / "b.db"
    result = kirana("--db", str(copy), "import", str(out))
    assert result.exit_code == 0, result.stderr
    assert (
        kirana("--db", str(copy), "balance", "Raju", "--json").json()["balances"][0][
            "balance_paise"
        ]
        == 1000
    )


def test_an_edited_copy_of_a_known_event_is_an_error_not_a_duplicate(kirana, tmp_path):
    from kirana.events import chain_hash

    kirana("customer", "add", "Priya")
    kirana("pay", "Priya", "500")
    out = tmp_path / "a.jsonl"
    kirana("export", "--format", "jsonl", "--out", str(out))
    events = [json.loads(line) for line in out.read_text().splitlines()]
    events[1]["data"]["amount_paise"] = 50_000_000
    body = {k: events[1][k] for k in events[1] if k not in ("prev_hash", "hash")}
    events[1]["hash"] = chain_hash(events[1]["prev_hash"], body)
    out.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    result = kirana("import", str(out))
    assert result.exit_code == 1 and "different content" in result.stderr
