"""`kirana dispute`: each evidence class, voids, dues before/after, the JSON contract (SPEC §6),
bad input; and, for random ledgers, the evidence equals a brute-force search of the log."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import customers, dispute, recording
from kirana.ledger import open_ledger

EVIDENCE_KEYS = {
    "seq",
    "type",
    "customer",
    "occurred_at",
    "recorded_at",
    "recorded_by",
    "method",
    "reference",
    "amount_paise",
    "hash",
    "voided_by",
}


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def seq_of(result) -> int:
    """The entry number printed by a write command ('#12 Payment …')."""
    return int(ok(result).stdout.split()[0].lstrip("#"))


def seqs(rows: list[dict]) -> list[int]:
    return [row["seq"] for row in rows]


def shop(kirana, clock):
    """Priya (disputing) and Ramesh; Priya owes ₹1,000 from a credit sale on 1 March."""
    clock("2025-03-01T10:00:00")
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("customer", "add", "Ramesh"))
    ok(kirana("sale", "Priya", "--amount", "1000", "--credit", "--on", "2025-03-01"))


def dispute_json(kirana, *args) -> dict:
    return ok(kirana("dispute", *args, "--json")).json()


def test_exact_match_found_with_full_evidence_row(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-03T19:00:00")
    paid = seq_of(
        kirana("pay", "Priya", "500", "--upi", "--ref", "UPI-4512AB", "--on", "03-03-2025 18:30")
    )
    out = dispute_json(kirana, "priya", "500", "--on", "03-03-2025")
    assert out["verdict"] == "FOUND"
    assert len(out["exact"]) == 1
    row = out["exact"][0]
    assert row == {
        "seq": paid,
        "type": "payment",
        "customer": "Priya Madam",
        "occurred_at": "2025-03-03T18:30:00+05:30",
        "recorded_at": "2025-03-03T13:30:00.000000Z",
        "recorded_by": "tester",
        "method": "upi",
        "reference": "UPI-4512AB",
        "amount_paise": 50000,
        "hash": row["hash"],
        "voided_by": None,
    }
    assert len(row["hash"]) == 64
    assert out["near"] == [] and out["other_customers"] == []


def test_same_amount_two_days_off_is_a_near_match_not_exact(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-05T20:00:00")
    booked = seq_of(kirana("pay", "Priya", "500", "--on", "2025-03-05"))
    out = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03")
    assert out["verdict"] == "NOT_FOUND"
    assert out["exact"] == []
    assert seqs(out["near"]) == [booked]
    assert out["near"][0]["occurred_at"] == "2025-03-05"
    # a narrower window leaves it out
    narrow = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03", "--window", "1")
    assert narrow["near"] == []


def test_same_day_other_amount_is_a_near_match(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-03T20:00:00")
    booked = seq_of(kirana("pay", "Priya", "50", "--on", "2025-03-03"))
    kirana("pay", "Priya", "70", "--on", "2025-03-04")  # other day, other amount: not evidence
    out = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03")
    assert out["verdict"] == "NOT_FOUND"
    assert seqs(out["near"]) == [booked]
    assert out["near"][0]["amount_paise"] == 5000


def test_same_amount_booked_to_another_customer(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-04T09:00:00")
    wrong = seq_of(kirana("pay", "Ramesh", "500", "--on", "2025-03-02", "--cash"))
    kirana("pay", "Ramesh", "499", "--on", "2025-03-03")  # other amount: not evidence
    kirana("pay", "Ramesh", "500", "--on", "2025-03-09")  # outside the ±3 day window
    out = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03")
    assert out["verdict"] == "NOT_FOUND"
    assert seqs(out["other_customers"]) == [wrong]
    assert out["other_customers"][0]["customer"] == "Ramesh"
    assert out["exact"] == [] and out["near"] == []


def test_voided_match_is_shown_with_its_void(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-03T19:00:00")
    paid = seq_of(kirana("pay", "Priya", "500", "--on", "2025-03-03"))
    clock("2025-03-04T09:00:00")
    voided = seq_of(kirana("void", str(paid), "--reason", "typed on the wrong page"))
    out = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03")
    assert out["verdict"] == "NOT_FOUND"  # a voided payment does not settle the dispute
    assert seqs(out["exact"]) == [paid]
    assert out["exact"][0]["voided_by"] == voided
    assert [(v["seq"], v["target"], v["reason"]) for v in out["voids"]] == [
        (voided, paid, "typed on the wrong page")
    ]
    assert out["balance_after_paise"] == 100000  # the voided payment does not count
    table = ok(kirana("dispute", "Priya", "500", "--on", "2025-03-03")).stdout
    assert "NOT FOUND" in table
    assert f"VOIDED by #{voided}" in table
    assert f"Void #{voided}" in table and "typed on the wrong page" in table

    # a second, genuine payment the same day settles it
    clock("2025-03-04T10:00:00")
    again = seq_of(kirana("pay", "Priya", "500", "--on", "2025-03-03"))
    out = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03")
    assert out["verdict"] == "FOUND"
    assert seqs(out["exact"]) == [paid, again]


def test_not_found_gives_dues_before_and_after(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-03T19:00:00")
    kirana("pay", "Priya", "200", "--on", "2025-03-03")
    kirana("sale", "Priya", "--amount", "80", "--credit", "--on", "2025-03-03 12:00")
    kirana("pay", "Priya", "100", "--on", "2025-03-04")  # after the day: in neither figure
    out = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03")
    assert out["verdict"] == "NOT_FOUND"
    assert out["exact"] == [] and out["other_customers"] == []
    assert out["balance_before_paise"] == 100000  # end of 2 March
    assert out["balance_after_paise"] == 100000 - 20000 + 8000  # end of 3 March
    assert out["balance_before"] == "1000.00" and out["balance_after"] == "880.00"
    text = ok(kirana("dispute", "Priya", "500", "--on", "2025-03-03")).stdout
    assert text.startswith("NOT FOUND: payment of ₹500.00 by Priya Madam on 2025-03-03")
    assert "₹1,000.00" in text and "₹880.00" in text


def test_json_keys_match_spec(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-03T19:00:00")
    kirana("pay", "Priya", "500", "--on", "2025-03-03")
    kirana("pay", "Priya", "500", "--on", "2025-03-01")
    kirana("pay", "Ramesh", "500", "--on", "2025-03-03")
    out = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03")
    spec_keys = {
        "verdict",
        "exact",
        "near",
        "other_customers",
        "balance_before_paise",
        "balance_after_paise",
    }
    assert spec_keys <= set(out)
    assert set(out) - spec_keys == {"balance_before", "balance_after", "voids", "query", "head"}
    assert out["verdict"] in ("FOUND", "NOT_FOUND")
    assert isinstance(out["balance_before_paise"], int)
    for group in ("exact", "near", "other_customers"):
        assert out[group], group
        for row in out[group]:
            assert set(row) == EVIDENCE_KEYS
            assert isinstance(row["amount_paise"], int)
    assert out["head"]["seq"] == 6
    assert out["query"] == {
        "customer": "Priya Madam",
        "type": "payment",
        "amount_paise": 50000,
        "amount": "500.00",
        "on": "2025-03-03",
        "window_days": 3,
    }


def test_type_sale_and_return(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-03T19:00:00")
    kirana("pay", "Priya", "1000", "--on", "2025-03-01")  # a payment: not a sale
    out = dispute_json(kirana, "Priya", "1000", "--on", "2025-03-01", "--type", "sale")
    assert out["verdict"] == "FOUND"
    assert [r["type"] for r in out["exact"]] == ["sale"]
    assert out["exact"][0]["method"] == "credit"
    ret = seq_of(kirana("return", "Priya", "--amount", "40", "--to", "khata", "--on", "2025-03-02"))
    out = dispute_json(kirana, "Priya", "40", "--on", "2025-03-02", "--type", "RETURN")
    assert seqs(out["exact"]) == [ret] and out["exact"][0]["method"] == "khata"


def test_on_defaults_to_today_and_time_of_day_is_ignored(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-10T18:00:00")
    kirana("pay", "Priya", "500", "--on", "2025-03-10 09:15")
    assert dispute_json(kirana, "Priya", "500")["verdict"] == "FOUND"
    assert dispute_json(kirana, "Priya", "500", "--on", "2025-03-10 23:00")["verdict"] == "FOUND"


def test_human_output_shows_short_hash_and_sections(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-03T19:00:00")
    kirana("pay", "Priya", "500", "--on", "2025-03-03", "--ref", "R1")
    kirana("pay", "Ramesh", "500", "--on", "2025-03-03")
    full = dispute_json(kirana, "Priya", "500", "--on", "2025-03-03")["exact"][0]["hash"]
    text = ok(kirana("dispute", "Priya", "500", "--on", "2025-03-03")).stdout
    assert text.startswith("FOUND: payment of ₹500.00 by Priya Madam on 2025-03-03")
    assert "Exact matches" in text and "Same amount booked to other customers" in text
    assert full[:8] in text and full not in text
    assert "R1" in text and "tester" in text and "2025-03-03 13:30Z" in text


def test_bad_input_is_one_error_line(kirana, clock):
    shop(kirana, clock)
    cases = [
        (("Zed", "500"), "no customer named 'Zed'"),
        (("Priy", "5x0"), "is not a valid amount"),
        (("Priya", "0"), "more than zero"),
        (("Priya", "500", "--window", "-1"), "--window"),
        (("Priya", "500", "--window", "many"), "--window"),
        (("Priya", "500", "--type", "gift"), "--type 'gift' is not one of payment, sale, return"),
        (("Priya", "500", "--on", "31-02-2025"), "not a real date"),
    ]
    from kirana.ledger import open_ledger as _open

    for args, message in cases:
        result = kirana("dispute", *args)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert message in lines[0], (args, lines[0])
    with _open() as ledger:
        assert ledger.head()["seq"] == 3  # a dispute never appends


def test_no_ledger_yet_is_an_error(kirana):
    result = kirana("dispute", "Priya", "500")
    assert result.exit_code == 1 and result.stderr.startswith("Error: no ledger")


# --- the library against a brute-force search, for random ledgers ---------------------------

START = date(2025, 3, 1)
NAMES = ("Asha", "Bilal", "Chetan")
entry = st.tuples(
    st.sampled_from(NAMES),
    st.integers(0, 12),  # day offset from START
    st.sampled_from([100, 200, 500]),  # rupees: few values, so collisions happen
    st.booleans(),  # voided later?
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=st.lists(entry, max_size=15),
    who=st.sampled_from(NAMES),
    offset=st.integers(0, 12),
    rupees=st.sampled_from([100, 200, 500]),
    window=st.integers(0, 4),
)
def test_evidence_equals_brute_force(entries, who, offset, rupees, window):
    with tempfile.TemporaryDirectory() as tmp, open_ledger(Path(tmp) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        booked = []  # (seq, name, day, paise, voided)
        for name, day_offset, amount, void in entries:
            day = START + timedelta(days=day_offset)
            rec = recording.record_payment(ledger, name, amount * 100, occurred_at=day.isoformat())
            if void:
                recording.record_void(ledger, rec.event.seq, "test")
            booked.append((rec.event.seq, name, day, amount * 100, void))
        day = START + timedelta(days=offset)
        paise = rupees * 100
        row = customers.find(ledger.conn, who)
        result = dispute.find_evidence(ledger, row, paise, day, window_days=window)

    def within(d):
        return abs((d - day).days) <= window

    exact = [b for b in booked if b[1] == who and b[2] == day and b[3] == paise]
    near = [b for b in booked if b[1] == who and within(b[2]) and (b[2] == day) != (b[3] == paise)]
    others = [b for b in booked if b[1] != who and within(b[2]) and b[3] == paise]
    assert sorted(r.event.seq for r in result.exact) == [b[0] for b in exact]
    assert sorted(r.event.seq for r in result.near) == [b[0] for b in near]
    assert sorted(r.event.seq for r in result.other_customers) == [b[0] for b in others]
    assert result.verdict == ("FOUND" if any(not b[4] for b in exact) else "NOT_FOUND")
    voided_rows = [r for r in (*result.exact, *result.near, *result.other_customers)]
    assert {r.event.seq for r in voided_rows if r.voided_by} == {
        b[0] for b in (*exact, *near, *others) if b[4]
    }
    assert sorted(v.data["target"] for v in result.voids) == sorted(
        b[0] for b in (*exact, *near, *others) if b[4]
    )
    live = [b for b in booked if b[1] == who and not b[4]]
    assert result.balance_before_paise == -sum(b[3] for b in live if b[2] < day)
    assert result.balance_after_paise == -sum(b[3] for b in live if b[2] <= day)


def test_business_day_is_the_shops_day_whatever_offset_was_stored(ledger):
    """20:00 UTC on 2 March is 01:30 on 3 March in Kolkata: evidence for the 3rd, not the 2nd."""
    recording.add_customer(ledger, "Priya Madam")
    paid = recording.record_payment(
        ledger, "Priya", 50000, occurred_at="2025-03-02T20:00:00+00:00"
    ).event.seq
    row = customers.find(ledger.conn, "Priya")
    on_third = dispute.find_evidence(ledger, row, 50000, date(2025, 3, 3), window_days=0)
    assert [r.event.seq for r in on_third.exact] == [paid]
    on_second = dispute.find_evidence(ledger, row, 50000, date(2025, 3, 2), window_days=0)
    assert on_second.exact == [] and on_second.near == []


def test_entries_under_a_former_name_count(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-03T19:00:00")
    paid = seq_of(kirana("pay", "Priya", "500", "--on", "2025-03-03"))
    ok(kirana("customer", "update", "Priya", "--name", "Priya Sharma"))
    out = dispute_json(kirana, "Priya Sharma", "500", "--on", "2025-03-03")
    assert seqs(out["exact"]) == [paid]
    assert out["exact"][0]["customer"] == "Priya Madam"  # the name it was booked under
    assert out["query"]["customer"] == "Priya Sharma"


def test_reads_only_a_window_of_business_time(ledger, monkeypatch):
    """The ledger may hold a million events: the query is an indexed occurred_at range."""
    recording.add_customer(ledger, "Priya Madam")
    calls = []
    original = type(ledger).iter_events

    def spy(self, where="", params=(), order="seq"):
        calls.append((where, params, order))
        return original(self, where, params, order)

    monkeypatch.setattr(type(ledger), "iter_events", spy)
    row = customers.find(ledger.conn, "Priya")
    dispute.find_evidence(ledger, row, 50000, date(2025, 3, 3))
    ((where, params, order),) = calls
    assert where.startswith("occurred_at >= ? AND occurred_at < ?")
    assert params[:2] == ("2025-02-27", "2025-03-08")
    assert order == "occurred_at, seq"
    plan = ledger.conn.execute(f"EXPLAIN QUERY PLAN SELECT seq FROM events WHERE {where}", params)
    assert "events_by_occurred_at" in " ".join(str(step) for step in plan)


def test_near_table_says_why(kirana, clock):
    shop(kirana, clock)
    clock("2025-03-05T20:00:00")
    kirana("pay", "Priya", "500", "--on", "2025-03-05")
    kirana("pay", "Priya", "20", "--on", "2025-03-03")
    text = ok(kirana("dispute", "Priya", "500", "--on", "2025-03-03")).stdout
    assert "Near matches (same customer)" in text
    assert "other day" in text and "other amount" in text
