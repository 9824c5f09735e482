"""Dates: parsed once, day first, in the shop's timezone; bare dates sort before timed ones."""

from datetime import date, datetime

import pytest

from kirana import dates
from kirana.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-03", "2025-03-03"),
        ("03-03-2025", "2025-03-03"),
        ("04/03/2025", "2025-03-04"),
        ("4/3/2025", "2025-03-04"),
        ("2025-03-03 14:05", "2025-03-03T14:05:00+05:30"),
        ("03-03-2025 09:30", "2025-03-03T09:30:00+05:30"),
        ("today", "2025-03-10"),
        ("yesterday", "2025-03-09"),
        ("3 Mar 2025", "2025-03-03"),
        ("2025-03-03T14:05", "2025-03-03T14:05:00+05:30"),
        ("2025-03-03T14:05:09", "2025-03-03T14:05:09+05:30"),
    ],
)
def test_parse_occurred_at(text, expected):
    assert dates.parse_occurred_at(text) == expected


def test_day_first_always():
    assert dates.parse_when("01-02-2025") == date(2025, 2, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30",
        "31-04-2025",
        "2025-13-01",
        "25:00",
        "someday",
        "2025-03-03 25:10",
        "32/01/2025",
    ],
)
def test_impossible_dates_are_errors(text):
    with pytest.raises(InputError):
        dates.parse_when(text)


def test_bare_date_sorts_before_timed_events_of_that_day():
    bare = dates.order_key("2025-03-03")
    timed = dates.order_key("2025-03-03T00:00:00+05:30")
    previous_evening = dates.order_key("2025-03-02T23:59:00+05:30")
    assert previous_evening < bare < timed


def test_as_of_a_date_means_end_of_that_day():
    bound = dates.as_of_bound("2025-03-03")
    assert dates.order_key("2025-03-03T23:59:59+05:30") <= bound
    assert dates.order_key("2025-03-04") > bound


def test_default_occurred_at_is_now_in_shop_time():
    assert dates.parse_occurred_at(None) == "2025-03-10T18:00:00+05:30"


def test_recorded_at_is_utc_and_fixed_width():
    moment = datetime.fromisoformat("2025-03-10T18:00:00+05:30")
    assert dates.format_recorded_at(moment) == "2025-03-10T12:30:00.000000Z"


@pytest.mark.parametrize(
    ("zone", "stored", "key"),
    [
        ("Asia/Kolkata", "2025-03-03T14:05:00+05:30", "2025-03-03T14:05:00"),
        ("Asia/Kolkata", "2025-03-03T20:00:00+00:00", "2025-03-04T01:30:00"),
        ("Europe/London", "2025-07-03T14:05:00+01:00", "2025-07-03T14:05:00"),
        ("Europe/London", "2025-01-03T14:05:00+01:00", "2025-01-03T13:05:00"),
    ],
)
def test_order_key_is_local_wall_time(monkeypatch, zone, stored, key):
    monkeypatch.setenv("KIRANA_TZ", zone)
    assert dates.order_key(stored) == key


@pytest.mark.parametrize("text", ["2025-03-11", "11-03-2025", "2030-01-01 10:00"])
def test_future_business_dates_are_refused(text):
    with pytest.raises(InputError, match="in the future"):
        dates.parse_occurred_at(text)


def test_as_of_may_be_in_the_future():
    assert dates.as_of_bound("2030-01-01") == "2030-01-01T24"
