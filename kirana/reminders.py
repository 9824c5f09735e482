"""Reminders for old dues (render-free; used by `kirana remind`): who to remind, and a polite
message for each with a WhatsApp link and a UPI pay link. Nothing is sent.

A customer is reminded when their oldest unpaid credit (FIFO, as kirana.aging counts it) is
more than the given days old and their dues reach the given floor. Now (no as-of date) only
each debtor's oldest unpaid credit is read (aging_runs.OLDEST_UNPAID, one seek a debtor); as
of a date, from kirana.aging. Eight thousand reminders are made in one go, so the words are
looked up once (`ReminderWords`) and each reminder is a plain tuple.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import NamedTuple

from kirana import aging_runs, dates
from kirana.aging import CustomerAging, aging


class OldestDebt(NamedTuple):
    """A debtor as a reminder shows them: their dues and oldest unpaid credit (its day, and its
    age in days, 0 if dated in the future), not split by age."""

    customer_id: int
    name: str
    phone: str | None
    dues_paise: int
    oldest_credit: date
    oldest_days: int


def oldest_debts(conn: sqlite3.Connection, on: date, minimum_paise: int) -> list[OldestDebt]:
    """Every customer owing at least `minimum_paise` (and more than nothing) now, with their
    oldest unpaid credit aged on the day `on`, in no set order: what aging() gives of them,
    their unpaid credits left unread but the oldest (aging_runs.OLDEST_UNPAID). A debtor with
    no unpaid credit left (not possible in a ledger that verifies) is left out."""
    known: dict[str, tuple[date, int]] = {}  # day -> (its date, its age), for days that repeat
    rows = []
    for customer_id, name, phone, dues, day in conn.execute(
        aging_runs.OLDEST_UNPAID, {"floor": minimum_paise}
    ):
        if day is None:
            continue
        oldest = known.get(day)
        if oldest is None:
            credit_day = date.fromisoformat(day)
            oldest = known[day] = (credit_day, max((on - credit_day).days, 0))
        rows.append(OldestDebt(customer_id, name, phone, dues, *oldest))
    return rows


class Reminder(NamedTuple):
    """A ready-to-send reminder; `link` is a wa.me link when a phone is known, `upi_link` a
    upi://pay link for the exact dues when the shop has a UPI id. Nothing is sent. `aging`
    is the customer's OldestDebt (now) or their CustomerAging (as of a date); `amount` their
    dues as the message gives them ('₹400.00')."""

    aging: CustomerAging | OldestDebt
    message: str
    link: str | None
    upi_link: str | None = None
    amount: str | None = None


class ReminderWords:
    """The reminder's words in the language in force, looked up once for many reminders; the
    message's WhatsApp text is percent-encoded from its parts (the template's words once, each
    reminder's values alone), which gives the same text as encoding the whole message."""

    def __init__(self) -> None:
        from string import Formatter
        from urllib.parse import quote

        from kirana.i18n import tr
        from kirana.money import format_rupees
        from kirana.periods import MONTH_NAMES

        self.rupees = format_rupees
        self.quote = quote
        self.store = tr("your kirana store")
        self.some_time = tr("some time")
        self.pay = tr("Pay by UPI: {link}")
        self.text = tr(
            "Namaste {name} ji! A gentle reminder from {shop}: your khata shows {amount} due, "
            "pending since {since} ({days} days). Kripya jab suvidha ho, clear kar dijiye "
            "(cash or UPI).{pay} Dhanyavaad!"
        )
        parts = list(Formatter().parse(self.text))
        self.quoted_text: str | None = None  # the template with its words encoded
        if all(not spec and not conversion for _, _, spec, conversion in parts):
            self.quoted_text = "".join(
                quote(words, safe="") + ("" if field is None else f"{{{field}}}")
                for words, field, _, _ in parts
            )
        self.quoted: dict[str, str] = {}  # value -> encoded, for the values that repeat
        self.months = [tr(name) for name in MONTH_NAMES]
        self.days: dict[date, str] = {}  # day -> '01 Mar 2025', for the days that repeat

    def day_text(self, day: date) -> str:
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = _day_month_year(day, self.months)
        return text

    def values(
        self,
        row: CustomerAging,
        shop_name: str | None,
        upi_link: str | None,
        amount: str | None = None,
    ) -> dict:
        """The message's values; `amount`: the dues as text, if already made."""
        since = self.day_text(row.oldest_credit) if row.oldest_credit else self.some_time
        return {
            "name": row.name,
            "shop": shop_name or self.store,
            "amount": amount or self.rupees(row.dues_paise),
            "since": since,
            "days": row.oldest_days,
            "pay": " " + self.pay.format(link=upi_link) if upi_link else "",
        }

    def message(self, row: CustomerAging, shop_name: str | None, upi_link: str | None) -> str:
        return self.text.format_map(self.values(row, shop_name, upi_link))

    def message_and_link(
        self,
        row: CustomerAging,
        shop_name: str | None,
        upi_link: str | None,
        amount: str | None = None,
    ) -> tuple[str, str | None]:
        """The message and its WhatsApp link (`whatsapp_link` of the two, made faster);
        `amount`: the dues as text, if already made."""
        values = self.values(row, shop_name, upi_link, amount)
        message = self.text.format_map(values)
        digits = _digits(row.phone)
        if not digits:
            return message, None
        if self.quoted_text is None:
            return message, whatsapp_link(row.phone, message)
        encoded = {}
        for key, value in values.items():
            text = str(value)
            done = self.quoted.get(text)
            if done is None:
                done = self.quote(text, safe="")
                if key in ("shop", "since", "pay"):  # the same for many reminders
                    self.quoted[text] = done
            encoded[key] = done
        return message, f"https://wa.me/{digits}?text={self.quoted_text.format(**encoded)}"


def reminder_message(row: CustomerAging, shop_name: str | None, upi_link: str | None = None) -> str:
    """A polite reminder in English with a Hinglish touch (and the UPI pay link, if any)."""
    return ReminderWords().message(row, shop_name, upi_link)


def _digits(phone: str | None) -> str:
    return "".join(filter(str.isdigit, phone or ""))


def whatsapp_link(phone: str | None, message: str) -> str | None:
    """https://wa.me/<digits>?text=<URL-encoded message>, or None without a phone."""
    from urllib.parse import quote

    digits = _digits(phone)
    if not digits:
        return None
    return f"https://wa.me/{digits}?text={quote(message, safe='')}"


def reminders(
    conn: sqlite3.Connection, over_days: int, minimum_paise: int, as_of: str | None = None
) -> tuple[date, list[Reminder]]:
    """Customers whose oldest unpaid credit is more than `over_days` old and whose dues are at
    least `minimum_paise`, oldest debt first, each with a message (shop name in force that day)."""
    from kirana.catalog import shop_settings_on
    from kirana.upi import dues_link

    if as_of is None:  # now: only each debtor's oldest unpaid credit is read
        on = dates.today()
        rows: list = oldest_debts(conn, on, minimum_paise)
    else:
        on, rows = aging(conn, as_of, by_name=False)
    shop = shop_settings_on(conn, on)
    shop_name, upi_id = shop.get("name"), shop.get("upi_id")
    due = [
        row
        for row in rows
        if row.oldest_days is not None
        and row.oldest_days > over_days
        and row.dues_paise >= minimum_paise
    ]
    # oldest debt first, then by name (and, for the same name in another case, as aging()
    # orders them): one sort
    due.sort(key=lambda r: (-(r.oldest_days or 0), r.name.lower(), r.customer_id))
    result = []
    words = ReminderWords()
    for row in due:
        upi_link = dues_link(shop, row.name, row.dues_paise, on) if upi_id else None
        amount = words.rupees(row.dues_paise)
        message, link = words.message_and_link(row, shop_name, upi_link, amount)
        result.append(Reminder(row, message, link, upi_link, amount))
    return on, result


def _day_month_year(day: date, months: list[str]) -> str:
    """'01 Mar 2025', with the twelve month names in the language in force (a reminder follows
    the language)."""
    return f"{day.day:02d} {months[day.month - 1]} {day.year}"
