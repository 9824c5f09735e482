"""Issue 2 acceptance 3: business time (--as-of) versus recorded time (--as-known-at)."""

import pytest


def dues(kirana, *options):
    result = kirana("balance", "Priya", "--json", *options)
    assert result.exit_code == 0, result.stderr
    return result.json()["balances"][0]["balance_paise"]


@pytest.fixture
def backdated(kirana, clock):
    clock("2025-03-01T10:00:00")
    kirana("customer", "add", "Priya")
    sale = kirana("sale", "Priya", "--amount", "1000", "--credit", "--on", "2025-03-01", "--json")
    clock("2025-03-06T11:00:00")
    assert kirana("pay", "Priya", "400", "--on", "2025-03-03").exit_code == 0
    return sale.json()["seq"]


def test_backdated_payment_counts_in_business_time(backdated, kirana):
    assert dues(kirana, "--as-of", "2025-03-04") == 60000
    body = kirana("balance", "Priya", "--json", "--as-of", "2025-03-04 09:15").json()
    assert body["as_of"] == "2025-03-04T09:15:00+05:30"
    assert kirana("balance", "--json").json()["as_of"] == "2025-03-06T11:00:00+05:30"
    assert dues(kirana, "--as-of", "2025-03-02") == 100000


def test_backdated_payment_not_known_before_it_was_recorded(backdated, kirana):
    assert dues(kirana, "--as-known-at", "2025-03-05 12:00") == 100000
    assert dues(kirana, "--as-known-at", "2025-03-06 12:00") == 60000
    body = kirana("balance", "Priya", "--json", "--as-known-at", "2025-03-05 12:00").json()
    assert body["as_known_at"].startswith("2025-03-05T06:30:00")
    then = kirana("log", "--json").json()["events"][1]  # the sale: the newest entry known then
    assert body["head"] == {"seq": then["seq"], "hash": then["hash"]}


def test_void_disappears_from_as_of_but_not_from_earlier_knowledge(backdated, kirana, clock):
    clock("2025-03-08T09:00:00")
    assert kirana("void", str(backdated), "--reason", "wrong customer").exit_code == 0
    for day in ("2025-03-01", "2025-03-04", "2025-03-10"):
        assert dues(kirana, "--as-of", day) == (0 if day == "2025-03-01" else -40000)
    assert dues(kirana, "--as-known-at", "2025-03-07") == 60000
    assert dues(kirana, "--as-known-at", "2025-03-08 09:00") == -40000
    assert dues(kirana, "--as-of", "2025-03-02", "--as-known-at", "2025-03-07") == 100000


def test_bare_date_counts_in_a_timed_as_of_of_that_day(kirana, clock):
    kirana("customer", "add", "Priya")
    kirana("sale", "Priya", "--amount", "10", "--credit", "--on", "2025-03-03")
    kirana("sale", "Priya", "--amount", "20", "--credit", "--on", "2025-03-03 15:00")
    assert dues(kirana, "--as-of", "2025-03-03 00:00") == 1000
    assert dues(kirana, "--as-of", "2025-03-03 14:59") == 1000
    assert dues(kirana, "--as-of", "2025-03-03 15:00") == 3000


def test_recorded_at_never_goes_backwards(kirana, clock):
    clock("2025-03-06T10:00:00")
    kirana("customer", "add", "Priya")
    clock("2025-03-01T10:00:00")  # a machine clock set wrong
    event = kirana("pay", "Priya", "5", "--json").json()
    assert event["recorded_at"] >= "2025-03-06T04:30:00"
