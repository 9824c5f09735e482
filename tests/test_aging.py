"""`kirana dues --aging`: FIFO settlement of the oldest credit, buckets as of a date, the table
and JSON renders; and, for random khata histories, the FIFO invariants (hypothesis)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kirana import aging

DAY_1, DAY_40, DAY_95 = "2025-01-01", "2025-02-09", "2025-04-05"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def three_credit_sales(kirana, clock, payment: str = "100"):
    """Credit sales of ₹100, ₹200, ₹300 on days 1, 40 and 95; a payment covering the first."""
    clock("2025-04-06T10:00:00")
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("sale", "Priya", "--amount", "100", "--credit", "--on", DAY_1))
    ok(kirana("sale", "Priya", "--amount", "200", "--credit", "--on", DAY_40))
    ok(kirana("sale", "Priya", "--amount", "300", "--credit", "--on", DAY_95))
    ok(kirana("pay", "Priya", payment, "--on", "2025-04-06"))


def buckets_of(row: dict) -> tuple[int, int, int, int]:
    return (
        row["days_0_30_paise"],
        row["days_31_60_paise"],
        row["days_61_90_paise"],
        row["days_over_90_paise"],
    )


def aging_json(kirana, *args) -> dict:
    return ok(kirana("dues", "--aging", "--json", *args)).json()


def test_payment_settles_the_oldest_credit_first(kirana, clock):
    three_credit_sales(kirana, clock)
    out = aging_json(kirana, "--as-of", "2025-05-15")
    (row,) = out["customers"]
    # day 40 is 95 days before 15 May (90+); day 95 is 40 days before (31-60); day 1 is paid
    assert buckets_of(row) == (0, 30000, 0, 20000)
    assert row["dues_paise"] == 50000 and row["dues"] == "500.00"
    assert row["oldest_credit"] == DAY_40 and row["oldest_days"] == 95
    assert out["as_of"] == "2025-05-15"


def test_buckets_at_other_dates(kirana, clock):
    three_credit_sales(kirana, clock)
    # 1 May: day 40 is 81 days old (61-90), day 95 is 26 days old (0-30)
    (row,) = aging_json(kirana, "--as-of", "01-05-2025")["customers"]
    assert buckets_of(row) == (30000, 0, 20000, 0)
    # 1 March, before the payment and the third sale: day 1 is 59 days old, day 40 is 20
    (row,) = aging_json(kirana, "--as-of", "2025-03-01")["customers"]
    assert buckets_of(row) == (20000, 10000, 0, 0)
    assert row["oldest_credit"] == DAY_1


def test_partial_payment_leaves_the_rest_of_the_oldest_credit(kirana, clock):
    three_credit_sales(kirana, clock, payment="150")  # day 1 paid, ₹50 of day 40 too
    (row,) = aging_json(kirana, "--as-of", "2025-05-15")["customers"]
    assert buckets_of(row) == (0, 30000, 0, 15000)


def test_khata_return_settles_and_void_removes_a_credit(kirana, clock):
    three_credit_sales(kirana, clock)
    clock("2025-06-01T10:00:00")  # entries cannot be dated after the day they are recorded
    ok(kirana("return", "Priya", "--amount", "200", "--to", "khata", "--on", "2025-04-07"))
    (row,) = aging_json(kirana, "--as-of", "2025-05-15")["customers"]
    assert buckets_of(row) == (0, 30000, 0, 0)  # the return settled day 40's ₹200
    ok(kirana("void", "4", "--reason", "day 95 sale was someone else's"))
    out = aging_json(kirana, "--as-of", "2025-05-15")
    assert out["customers"] == []  # nothing left owing


def test_advance_shows_no_buckets_and_settles_later_credits(kirana, clock):
    clock("2025-04-06T10:00:00")
    ok(kirana("customer", "add", "Bilal"))
    ok(kirana("opening", "Bilal", "500", "--advance", "--on", "2025-01-01"))
    (row,) = aging_json(kirana, "--as-of", "2025-01-31")["customers"]
    assert row["dues_paise"] == -50000 and buckets_of(row) == (0, 0, 0, 0)
    assert row["oldest_credit"] is None
    ok(kirana("sale", "Bilal", "--amount", "800", "--credit", "--on", "2025-02-01"))
    (row,) = aging_json(kirana, "--as-of", "2025-04-01")["customers"]
    assert buckets_of(row) == (0, 30000, 0, 0) and row["oldest_credit"] == "2025-02-01"


def test_json_totals_and_rupee_strings(kirana, clock):
    three_credit_sales(kirana, clock)
    clock("2025-06-01T10:00:00")  # entries cannot be dated after the day they are recorded
    ok(kirana("customer", "add", "Asha"))
    ok(kirana("sale", "Asha", "--amount", "75.50", "--credit", "--on", "2025-05-10"))
    out = aging_json(kirana, "--as-of", "2025-05-15")
    assert [r["customer"] for r in out["customers"]] == ["Priya Madam", "Asha"]  # largest first
    assert out["total_paise"] == 50000 + 7550 and out["total"] == "575.50"
    assert out["totals"] == {
        "days_0_30_paise": 7550,
        "days_0_30": "75.50",
        "days_31_60_paise": 30000,
        "days_31_60": "300.00",
        "days_61_90_paise": 0,
        "days_61_90": "0.00",
        "days_over_90_paise": 20000,
        "days_over_90": "200.00",
    }
    assert out["head"]["seq"] == 7 and len(out["head"]["hash"]) == 64
    assert out["buckets"] == ["0–30 days", "31–60 days", "61–90 days", "90+ days"]
    # --min filters by dues
    assert [r["customer"] for r in aging_json(kirana, "--min", "100")["customers"]] == [
        "Priya Madam"
    ]


def test_aging_totals_equal_dues(kirana, clock):
    three_credit_sales(kirana, clock)
    clock("2025-06-01T10:00:00")  # entries cannot be dated after the day they are recorded
    ok(kirana("customer", "add", "Asha"))
    ok(kirana("sale", "Asha", "--amount", "75.50", "--credit", "--on", "2025-05-10"))
    for as_of in ("2025-02-01", "2025-04-05", "2025-05-15"):
        dues = ok(kirana("dues", "--json", "--as-of", as_of)).json()
        aged = aging_json(kirana, "--as-of", as_of)
        assert aged["total_paise"] == dues["total_paise"]
        assert {r["customer"]: r["dues_paise"] for r in aged["customers"]} == {
            r["customer"]: r["balance_paise"] for r in dues["dues"]
        }


def test_table_has_bucket_columns_and_total_row(kirana, clock):
    three_credit_sales(kirana, clock)
    text = ok(kirana("dues", "--aging", "--as-of", "2025-05-15")).stdout
    assert "Dues by age as of 2025-05-15" in text
    for label in ("0–30 days", "31–60 days", "61–90 days", "90+ days"):
        assert label in text
    total = next(line for line in text.splitlines() if "Owed (" in line)
    assert "₹300.00" in total and "₹200.00" in total and "₹500.00" in total
    assert total.rstrip("│ ").endswith("₹500.00")  # right-aligned dues column
    assert "2025-02-09 (95 d)" in text
    assert "ledger head: entry 5" in text


def test_nobody_owes(kirana, clock):
    ok(kirana("customer", "add", "Asha"))
    assert "Nobody owes anything." in ok(kirana("dues", "--aging")).stdout


def test_bad_inputs(kirana, clock):
    three_credit_sales(kirana, clock)
    for args, message in (
        (("--as-of", "2025-13-01"), "not a real date"),
        (("--min", "abc"), "--min 'abc' is not a valid amount"),
    ):
        result = kirana("dues", "--aging", *args)
        assert result.exit_code == 1 and result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]


def test_bucket_boundaries():
    assert [aging.bucket_index(d) for d in (-3, 0, 30, 31, 60, 61, 90, 91, 4000)] == [
        0,
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
    ]


# --- FIFO invariants for random histories -------------------------------------------------

deltas = st.lists(
    st.tuples(st.dates(date(2024, 1, 1), date(2025, 12, 31)), st.integers(-50_000, 50_000)),
    max_size=30,
).map(lambda xs: sorted((d.isoformat(), p) for d, p in xs if p))


@given(deltas)
def test_fifo_invariants(history):
    open_credits, advance = aging.settle_fifo(history)
    assert advance >= 0
    assert not (open_credits and advance)  # never both owing and holding an advance
    assert sum(p for _, p in open_credits) - advance == sum(p for _, p in history)
    assert all(p > 0 for _, p in open_credits)
    # FIFO: what stays unpaid is the newest credits; only the oldest open one may be partly paid
    credits = [(date.fromisoformat(k), p) for k, p in history if p > 0]
    if open_credits:
        tail = credits[len(credits) - len(open_credits) :]
        assert [d for d, _ in tail] == [d for d, _ in open_credits]
        assert [p for _, p in tail[1:]] == [p for _, p in open_credits[1:]]
        assert open_credits[0][1] <= tail[0][1]


def credits_of(history):
    return [(key, n, p) for n, (key, p) in enumerate(history) if p > 0]


@given(deltas)
def test_unpaid_credits_shortcut_equals_fifo_replay(history):
    open_credits, _ = aging.settle_fifo(history)
    dues = sum(p for _, p in history)
    shuffled = list(reversed(credits_of(history)))  # input order does not matter
    assert aging.unpaid_credits(dues, shuffled) == open_credits


@given(deltas, st.dates(date(2024, 1, 1), date(2026, 6, 30)))
def test_buckets_sum_to_positive_dues(history, on):
    total = sum(p for _, p in history)
    row = aging.age_customer(1, "X", None, total, credits_of(history), on)
    assert row.dues_paise == total
    assert sum(row.buckets) == max(total, 0)
    assert (row.oldest_credit is None) == (total <= 0)
