"""Owed, advances and net, the same everywhere: `balance`, `dues`, `dues --aging` and the month
report's closing dues; "advance ₹208.00" (never "-₹208.00") in tables, confirmations and
statements; for random khatas, owed − advances = net = month closing dues and the aging
columns add up to owed (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import aging, queries
from kirana.ledger import open_ledger
from kirana.recording import add_customer, record_opening, record_payment, record_sale
from kirana.reports.month import month_report
from kirana.totals import dues_text, dues_totals


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def shop_with_an_advance(kirana, clock):
    """Priya owes ₹9,363.49 (two customers), Ravi paid ₹208 ahead: net ₹9,155.49."""
    clock("2025-09-30T18:00:00")
    for name in ("Priya Madam", "Sunita Didi", "Ravi"):
        ok(kirana("customer", "add", name))
    ok(kirana("sale", "Priya", "--amount", "9000", "--credit", "--on", "2025-09-02"))
    ok(kirana("sale", "Sunita", "--amount", "363.49", "--credit", "--on", "2025-09-20"))
    ok(kirana("sale", "Ravi", "--amount", "100", "--credit", "--on", "2025-09-05"))
    return ok(kirana("pay", "Ravi", "308", "--on", "2025-09-25"))


OWED, ADVANCES, NET = 936349, 20800, 915549


def test_the_three_totals_agree_across_every_view(kirana, clock):
    shop_with_an_advance(kirana, clock)
    views = {
        "balance": ok(kirana("balance", "--json")).json(),
        "dues": ok(kirana("dues", "--json")).json(),
        "aging": ok(kirana("dues", "--aging", "--json")).json(),
    }
    for name, body in views.items():
        got = (body["owed_paise"], body["advances_paise"], body["net_paise"])
        assert got == (OWED, ADVANCES, NET), name
        assert (body["owed"], body["advances"], body["net"]) == ("9363.49", "208.00", "9155.49")
    month = ok(kirana("report", "month", "2025-09", "--format", "json")).json()
    assert month["closing_dues_paise"] == NET
    assert (month["closing"]["owed_paise"], month["closing"]["advances_paise"]) == (OWED, ADVANCES)
    assert sum(row["owed_paise"] for row in month["top_debtors"]) == OWED
    aging_body = views["aging"]
    buckets = ("days_0_30_paise", "days_31_60_paise", "days_61_90_paise", "days_over_90_paise")
    assert sum(aging_body["totals"][key] for key in buckets) == OWED
    assert views["dues"]["advances_held"] == [
        {"customer": "Ravi", "advance_paise": 20800, "advance": "208.00"}
    ]


def test_advances_are_words_not_negative_dues(kirana, clock):
    paid = shop_with_an_advance(kirana, clock)
    assert "Ravi's dues now nil, advance ₹208.00" in paid.stdout
    tables = [
        ok(kirana("dues")).stdout,
        ok(kirana("dues", "--aging")).stdout,
        ok(kirana("balance")).stdout,
        ok(kirana("balance", "Ravi")).stdout,
        ok(kirana("statement", "Ravi")).stdout,
    ]
    for text in tables:
        assert "advance ₹208.00" in text
        assert "-₹208.00" not in text
    dues = tables[0]
    assert "Owed (2 customers)" in dues and "₹9,363.49" in dues
    assert "Advances (1 customer)" in dues and "Net (owed − advances)" in dues
    assert "₹9,155.49" in dues
    month = ok(kirana("report", "month", "2025-09")).stdout
    assert "Top debtors (owed at close)" in month
    assert "Net = closing dues" in month and "₹9,155.49" in month


def test_totals_of_dues():
    totals = dues_totals([500, -208, 0, 100])
    assert (totals.owed_paise, totals.advances_paise, totals.net_paise) == (600, 208, 392)
    assert (totals.owing, totals.ahead) == (2, 1)
    assert dues_text(-20800) == "advance ₹208.00" and dues_text(20800) == "₹208.00"


entry = st.tuples(
    st.integers(0, 3),  # customer
    st.sampled_from(["credit", "pay", "opening"]),
    st.integers(1, 50_000),  # paise
    st.integers(1, 28),  # day of September
    st.booleans(),  # an opening is an advance
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(entry, max_size=25))
def test_owed_minus_advances_is_net_is_month_closing(tmp_path_factory, monkeypatch, entries):
    monkeypatch.setenv("KIRANA_NOW", "2025-10-01T10:00:00")
    path = tmp_path_factory.mktemp("totals") / "khata.db"
    with open_ledger(path) as ledger:
        names = [f"Customer {i}" for i in range(4)]
        for name in names:
            add_customer(ledger, name, occurred_at="2025-08-01")
        for who, kind, paise, day, ahead in entries:
            when = f"2025-09-{day:02d}"
            if kind == "credit":
                record_sale(
                    ledger, names[who], method="credit", occurred_at=when, amount_paise=paise
                )
            elif kind == "pay":
                record_payment(ledger, names[who], paise, occurred_at=when)
            else:
                record_opening(ledger, names[who], -paise if ahead else paise, occurred_at=when)
        balances = dues_totals(paise for _, paise in queries.all_balances(ledger.conn))
        _, rows = aging.aging(ledger.conn)
        aged = dues_totals(row.dues_paise for row in rows)
        owed_buckets = aging.totals([row for row in rows if row.dues_paise > 0])[1]
        report = month_report(ledger, "2025-09")
    assert balances == aged == report.closing_totals
    assert balances.owed_paise - balances.advances_paise == balances.net_paise
    assert report.closing_dues_paise == balances.net_paise
    assert sum(owed_buckets) == balances.owed_paise
