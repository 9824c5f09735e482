"""`remind` builds each WhatsApp link from the message's parts (the template's words encoded once,
each reminder's values alone): the link is exactly `whatsapp_link` of the whole message, for any
name, phone, shop, amount and UPI link (hypothesis), in English and in Hindi."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kirana import aging, reminders
from kirana import settings as kirana_settings

texts = st.text(
    st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30
)  # any character a stored name could hold


@pytest.mark.parametrize("language", ["en", "hi"])
@settings(max_examples=60, deadline=None)
@given(
    name=texts,
    phone=st.one_of(st.none(), st.text("0123456789+- ()", max_size=16)),
    shop=st.one_of(st.none(), texts),
    dues=st.integers(1, 10**11),
    oldest=st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2030, 1, 1))),
    days=st.integers(0, 30_000),
    upi=st.one_of(st.none(), texts),
)
def test_the_link_is_the_whole_message_encoded(
    language, name, phone, shop, dues, oldest, days, upi
):
    row = aging.CustomerAging(7, name, phone, dues, oldest_credit=oldest, oldest_days=days)
    chosen = replace(kirana_settings.Settings.from_environ(), language=language)
    with kirana_settings.using(chosen):
        words = reminders.ReminderWords()
        message, link = words.message_and_link(row, shop, upi)
        again = words.message_and_link(row, shop, upi)  # values remembered: the same again
        assert message == reminders.reminder_message(row, shop, upi)
    assert link == reminders.whatsapp_link(phone, message)
    assert again == (message, link)
