"""Dates and times, parsed once at the edge (day first, always) in the shop's timezone.

Three string forms travel through the program:
- `occurred_at` (business time, stored on the event): a bare date `2025-03-03` (time unknown)
  or a timed moment with offset `2025-03-03T14:05:00+05:30`.
- an *order key* (local wall time in the shop's zone): `2025-03-03` or `2025-03-03T14:05:00`.
  Plain string order puts a bare date before every timed event of that day, as docs/events.md says.
- `recorded_at` (when appended, UTC, set by the program): `2025-03-06T04:30:00.000000Z`.

The shop's timezone and the clock come from kirana.settings (KIRANA_TZ and KIRANA_NOW there):
a fixed clock is how tests, the demo and a re-creation of the past set "now".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kirana import settings
from kirana.errors import InputError
from kirana.events import strict_rules
from kirana.i18n import marked, tr

DEFAULT_TZ = settings.DEFAULT_TZ
EARLIEST = date(1950, 1, 1)  # the oldest business date an entry may carry
END_OF_DAY = "T24"  # sorts after every 'THH:MM:SS' of the same day

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ tT](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ tT](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_HINT = marked(
    "use a date like 2025-03-03, 03-03-2025 (day first), '2025-03-03 14:05', today or yesterday"
)


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            tr("unknown timezone {name!r} in KIRANA_TZ; use e.g. Asia/Kolkata").format(name=name)
        ) from exc


def shop_tz() -> ZoneInfo:
    """The shop's timezone (settings.timezone, default Asia/Kolkata)."""
    return _zone(settings.current().timezone)


def now_utc() -> datetime:
    """The current moment (aware, UTC); a fixed clock in the settings overrides it."""
    fixed = settings.current().now
    if fixed:
        moment = datetime.fromisoformat(fixed)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=shop_tz())
        return moment.astimezone(UTC)
    return datetime.now(UTC)


def now_local() -> datetime:
    return now_utc().astimezone(shop_tz())


def today() -> date:
    return now_local().date()


def format_recorded_at(moment: datetime) -> str:
    """UTC, fixed width, so that string order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_when(
    text: str, *, what: str = marked("date"), now: datetime | None = None
) -> date | datetime:
    """Parse a user's date or date-time. Returns a date, or an aware datetime in the shop zone.
    `now` (shop-local) fixes the clock for a long import; default: the clock now."""
    raw = (text or "").strip().lower()
    if raw in ("today", "now", "yesterday"):
        local_now = now or now_local()
        if raw == "now":
            return local_now.replace(microsecond=0)
        return local_now.date() - timedelta(days=1 if raw == "yesterday" else 0)
    zone = now.tzinfo if now else shop_tz()
    match = _ISO.match(raw)
    if match:
        y, m, d, hh, mm, ss = match.groups()
    else:
        match = _DMY.match(raw)
        if match:
            d, m, y, hh, mm, ss = match.groups()
        else:
            return _parse_words(text, what, zone)
    reason = impossible(int(y), int(m), int(d), *(int(n or 0) for n in (hh, mm, ss)))
    if reason:
        raise InputError(
            tr("{what} {text} is not a real date or time ({reason}); {hint}").format(
                what=tr(what), text=repr(text), reason=reason, hint=tr(_HINT)
            )
        )
    day = date(int(y), int(m), int(d))
    if hh is None:
        return day
    return datetime.combine(day, time(int(hh), int(mm), int(ss or 0)), tzinfo=zone)


def impossible(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """Why this date and time does not exist, in the language in force (kirana's words, not
    Python's), or None if it does."""
    import calendar

    if not 1 <= year <= 9999:
        return tr("there is no year {year}").format(year=year)
    if not 1 <= month <= 12:
        return tr("there is no month {month}; months are 1 to 12").format(month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        from kirana.periods import MONTH_FULL_NAMES

        month_name = tr(MONTH_FULL_NAMES[month - 1])
        return tr("{month} {year} has {days} days").format(month=month_name, year=year, days=days)
    if not 0 <= hour <= 23:
        return tr("there is no hour {hour}; hours are 0 to 23").format(hour=hour)
    if not (0 <= minute <= 59 and 0 <= second <= 59):
        return tr("minutes and seconds are 0 to 59")
    return None


def _parse_words(text: str, what: str, zone) -> date | datetime:
    """Forms like '3 Mar 2025' or '3 March 2025 2:05pm', via dateutil, day first."""
    from dateutil import parser

    unknown = tr("{what} {text} is not a date I understand; {hint}").format(
        what=tr(what), text=repr(text), hint=tr(_HINT)
    )
    if not re.search(r"[a-z]{3}", text.lower()):
        raise InputError(unknown)
    try:  # parse twice with different default days: if they differ, no day was given
        parsed = parser.parse(text, dayfirst=True, default=datetime(1, 1, 1))
        again = parser.parse(text, dayfirst=True, default=datetime(1, 1, 2))
    except (ValueError, OverflowError, parser.ParserError):
        raise InputError(unknown) from None
    if parsed.year == 1:
        raise InputError(
            tr("{what} {text!r} has no year; {hint}").format(
                what=tr(what), text=text, hint=tr(_HINT)
            )
        )
    if parsed.day != again.day:
        raise InputError(
            tr("{what} {text!r} has no day of the month; {hint}").format(
                what=tr(what), text=text, hint=tr(_HINT)
            )
        )
    has_time = bool(re.search(r"\d:\d\d|\d\s*(am|pm)\b", text.lower()))
    if not has_time:
        return parsed.date()
    return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed


def occurred_at_of(when: date | datetime, *, now: datetime | None = None) -> str:
    """The stored business-time string for a parsed moment; the future is refused, since an
    entry records what has happened (and `balance` without --as-of means now)."""
    now = now or now_local()
    day = when.date() if isinstance(when, datetime) else when
    if day < EARLIEST and strict_rules():  # an old event's date was not bounded
        raise InputError(
            tr(
                "{value} is before {earliest}; business dates run from 1950 to today: check the year"
            ).format(value=when.isoformat()[:10], earliest=EARLIEST.isoformat())
        )
    if isinstance(when, datetime):
        local = when.astimezone(now.tzinfo)
        text, future = local.isoformat(timespec="seconds"), local > now
    else:
        text, future = when.isoformat(), when > now.date()
    if future:
        raise InputError(
            tr(
                "{value} is in the future (now it is {now}); entries record what has happened: check the date, or the computer's clock"
            ).format(value=text.replace("T", " ")[:16], now=now.isoformat(" ", "minutes")[:16])
        )
    return text


_STORED_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
_STORED_RECORDED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def check_stored_occurred_at(text: object, *, allow_future: bool = False) -> None:
    """An occurred_at arriving from a file must be exactly what this module writes: a bare
    ISO date or a moment with seconds and offset, real, and (unless allowed, as for a price
    that takes effect next month) not in the future."""
    check = (lambda when: when) if allow_future else occurred_at_of
    try:
        if isinstance(text, str) and len(text) == 10:
            check(date.fromisoformat(text))
            return
        if isinstance(text, str) and _STORED_MOMENT.match(text):
            check(datetime.fromisoformat(text))
            return
    except ValueError:
        pass
    raise InputError(
        tr("occurred_at {text!r} is not a kirana business date (e.g. 2025-03-03)").format(text=text)
    )


def check_stored_recorded_at(text: object, *, not_after_now: bool = False) -> None:
    """recorded_at must be the exact UTC form of format_recorded_at (string order is time
    order); one arriving from a file must also not be after now."""
    ok = isinstance(text, str) and bool(_STORED_RECORDED.match(text))
    if ok:
        try:
            datetime.fromisoformat(text)
        except ValueError:
            ok = False
    if not ok or (not_after_now and text > format_recorded_at(now_utc())):
        raise InputError(
            tr("recorded_at {text!r} is not a past kirana timestamp").format(text=text)
        )


def parse_occurred_at(
    text: str | None, *, what: str = marked("date"), now: datetime | None = None
) -> str:
    """`--on WHEN` -> occurred_at; no value means now (a timed moment). `now`: as parse_when."""
    now = now or now_local()
    if text is None:
        return occurred_at_of(now.replace(microsecond=0), now=now)
    return occurred_at_of(parse_when(text, what=what, now=now), now=now)


def order_key(occurred_at: str) -> str:
    """occurred_at -> local wall-clock key; bare dates stay bare and sort first in their day."""
    return order_key_function()(occurred_at)


def order_key_function() -> Callable[[str], str]:
    """order_key for the current shop zone, with the zone looked up once (for long loops)."""
    zone_name = settings.current().timezone
    local_suffix = _fixed_offset_suffix(zone_name)

    def key(occurred_at: str) -> str:
        if len(occurred_at) == 10:
            return occurred_at
        if local_suffix and occurred_at.endswith(local_suffix):
            return occurred_at[:19]  # already local wall time: the common case, and fast
        moment = datetime.fromisoformat(occurred_at).astimezone(_zone(zone_name))
        return moment.strftime("%Y-%m-%dT%H:%M:%S")

    return key


@lru_cache(maxsize=8)
def _fixed_offset_suffix(zone_name: str) -> str | None:
    """'+05:30' for a zone whose offset never changes (no DST since 2000), else None."""
    zone = _zone(zone_name)
    offsets = {
        datetime(year, month, 1, tzinfo=zone).utcoffset()
        for year in range(2000, 2040)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        return None
    return datetime(2025, 1, 1, tzinfo=zone).isoformat()[-6:]


def business_date(occurred_at: str) -> date:
    """The shop-local calendar day of an occurred_at."""
    return date.fromisoformat(order_key(occurred_at)[:10])


def as_of_bound(text: str | None) -> str | None:
    """`--as-of WHEN` -> inclusive order-key bound: a date means the end of that day."""
    if text is None:
        return None
    when = parse_when(text, what="--as-of")
    if isinstance(when, datetime):
        return when.astimezone(shop_tz()).strftime("%Y-%m-%dT%H:%M:%S")
    return when.isoformat() + END_OF_DAY


def as_of_bound_for_day(day: date) -> str:
    return day.isoformat() + END_OF_DAY


def known_at_bound(text: str | None) -> str | None:
    """`--as-known-at WHEN` -> inclusive recorded_at bound (UTC); a date means its end."""
    if text is None:
        return None
    when = parse_when(text, what="--as-known-at")
    if not isinstance(when, datetime):
        end = datetime.combine(when, time(23, 59, 59, 999999), tzinfo=shop_tz())
        return format_recorded_at(end)
    return format_recorded_at(when.replace(microsecond=999999))


def known_at_local(bound: str) -> datetime:
    """A `known_at_bound` (UTC recorded_at text) as a moment in shop time: 'now', as it was
    for a read run at that moment (a day's ages, a view's as-of)."""
    return datetime.fromisoformat(bound).astimezone(shop_tz())


def describe_bound(bound: str | None) -> str:
    """An as-of bound for JSON and headers: '2025-03-04' (that whole day) or a moment in shop
    time with its offset ('2025-03-04T14:05:00+05:30'); no bound means now."""
    if bound is None:
        return now_local().isoformat(timespec="seconds")
    if bound.endswith(END_OF_DAY):
        return bound[:10]
    return datetime.fromisoformat(bound).replace(tzinfo=shop_tz()).isoformat(timespec="seconds")


# ---- dates as bank statements print them ------------------------------------------------------
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_STATEMENT_DAY = re.compile(
    r"^(\d{1,2})([-/. ]+)(\d{1,2}|[a-z]{3,9})\2(\d{4}|\d{2})(?:[ t,]+(.*))?$", re.IGNORECASE
)
_STATEMENT_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_DATE_SHAPED = re.compile(
    r"^(\d{1,2}[-/. ]+(\d{1,2}|[a-z]{3,9})[-/. ]+\d{2,4}|\d{4}-\d{1,2}-\d{1,2})\b", re.IGNORECASE
)


def looks_like_date(text: str) -> bool:
    """Whether a statement cell is written as a date (a transaction's row), not a heading, a
    total or a note (a preamble, footer or summary row)."""
    return bool(_DATE_SHAPED.match(text.strip()))


def parse_statement_date(
    value: str | date, *, what: str = marked("date"), now: datetime | None = None
) -> str:
    """A transaction date as a bank statement gives it -> occurred_at, day first: 02/09/25,
    02-09-2025, 05 Sep 2025, 05-Sep-25, 2025-09-05, with or without a time (10:23, 10:23:45,
    10:23 AM); a two-digit year is 20YY; a spreadsheet's own date cell as it is."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=(now or now_local()).tzinfo)
        plain = moment.time() == time(0, 0)
        return occurred_at_of(moment.date() if plain else moment, now=now)
    if isinstance(value, date):
        return occurred_at_of(value, now=now)
    text = " ".join(str(value).split())
    match = _STATEMENT_DAY.match(text)
    if match is None:
        return parse_occurred_at(text, what=what, now=now)
    day, _, month, year, clock = match.groups()

    def refuse(reason: str) -> InputError:
        return InputError(
            tr(
                "{what} {text!r} is not a real date ({exc}); statements give dates like 02/09/25, 02-09-2025 or 05 Sep 2025 (day first)"
            ).format(what=tr(what), text=text, exc=reason)
        )

    if not month.isdigit() and month[:3].lower() not in _MONTHS:
        raise refuse(tr("{word} is not a month").format(word=repr(month)))
    number = int(month) if month.isdigit() else _MONTHS.index(month[:3].lower()) + 1
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    hour = minute = second = 0
    if clock:
        timed = _STATEMENT_TIME.match(clock.strip())
        if timed is None:
            raise refuse(tr("time {clock!r} is not like 10:23 or 10:23:45 AM").format(clock=clock))
        hours, minutes, seconds, half = timed.groups()
        hour = int(hours) % 12 + (12 if half.lower() == "pm" else 0) if half else int(hours)
        minute, second = int(minutes), int(seconds or 0)
    reason = impossible(full_year, number, int(day), hour, minute, second)
    if reason:
        raise refuse(reason)
    when: date | datetime = date(full_year, number, int(day))
    if clock:
        zone = now.tzinfo if now else shop_tz()
        when = datetime.combine(when, time(hour, minute, second), tzinfo=zone)
    return occurred_at_of(when, now=now)
