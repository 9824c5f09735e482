"""`kirana remind`: exactly the customers whose oldest unpaid credit is older than --over days,
a polite message naming the shop, and a URL-encoded wa.me link when the phone is known."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def shop(kirana, clock):
    """Today is 10 March 2025. Who owes what, since when:
    - Asha: ₹400 credit 40 days ago                         -> reminded
    - Bilal: ₹300 credit 10 days ago                        -> too recent
    - Chetan: ₹500 credit 60 days ago, paid in full          -> owes nothing
    - Deepa: ₹900 credit 45 days ago, ₹600 of it paid        -> reminded (₹300 left)
    - Esha: ₹200 credit 50 days ago paid, ₹100 credit 5 days ago -> FIFO: only 5 days old
    - Farhan: ₹250 credit exactly 30 days ago                -> not older than 30 days
    """
    clock("2025-03-10T18:00:00")
    ok(kirana("shop", "set", "--name", "Sharma Kirana & General Store"))
    for name, phone in (
        ("Asha", "98765 43210"),
        ("Bilal", None),
        ("Chetan", None),
        ("Deepa", None),
        ("Esha", None),
        ("Farhan", None),
    ):
        ok(kirana("customer", "add", name, *(["--phone", phone] if phone else [])))
    ok(kirana("sale", "Asha", "--amount", "400", "--credit", "--on", "2025-01-29"))
    ok(kirana("sale", "Bilal", "--amount", "300", "--credit", "--on", "2025-02-28"))
    ok(kirana("sale", "Chetan", "--amount", "500", "--credit", "--on", "2025-01-09"))
    ok(kirana("pay", "Chetan", "500", "--on", "2025-02-01"))
    ok(kirana("sale", "Deepa", "--amount", "900", "--credit", "--on", "2025-01-24"))
    ok(kirana("pay", "Deepa", "600", "--on", "2025-03-01"))
    ok(kirana("sale", "Esha", "--amount", "200", "--credit", "--on", "2025-01-19"))
    ok(kirana("pay", "Esha", "200", "--on", "2025-02-01"))
    ok(kirana("sale", "Esha", "--amount", "100", "--credit", "--on", "2025-03-05"))
    ok(kirana("sale", "Farhan", "--amount", "250", "--credit", "--on", "2025-02-08"))


def remind_json(kirana, *args) -> dict:
    return ok(kirana("remind", "--json", *args)).json()


def test_over_30_lists_exactly_the_customers_with_old_dues(kirana, clock):
    shop(kirana, clock)
    out = remind_json(kirana, "--over", "30")
    assert [r["customer"] for r in out["reminders"]] == ["Deepa", "Asha"]  # oldest debt first
    deepa, asha = out["reminders"]
    assert (deepa["dues_paise"], deepa["oldest_credit"], deepa["oldest_days"]) == (
        30000,
        "2025-01-24",
        45,
    )
    assert (asha["dues_paise"], asha["dues"], asha["oldest_days"]) == (40000, "400.00", 40)
    assert out["as_of"] == "2025-03-10" and out["over_days"] == 30
    # the default is 30 days too
    assert remind_json(kirana)["reminders"] == out["reminders"]


def test_over_and_min_thresholds(kirana, clock):
    shop(kirana, clock)
    names = [r["customer"] for r in remind_json(kirana, "--over", "29")["reminders"]]
    assert names == ["Deepa", "Asha", "Farhan"]
    names = [r["customer"] for r in remind_json(kirana, "--over", "0")["reminders"]]
    assert names == ["Deepa", "Asha", "Farhan", "Bilal", "Esha"]
    names = [r["customer"] for r in remind_json(kirana, "--min", "350")["reminders"]]
    assert names == ["Asha"]


def test_message_and_url_encoded_whatsapp_link(kirana, clock):
    shop(kirana, clock)
    asha = next(r for r in remind_json(kirana)["reminders"] if r["customer"] == "Asha")
    message = asha["message"]
    assert "Namaste Asha ji" in message
    assert "Sharma Kirana & General Store" in message
    assert "₹400.00" in message and "29 Jan 2025" in message
    assert asha["phone"] == "919876543210"
    link = asha["link"]
    assert link.startswith("https://wa.me/919876543210?text=")
    encoded = link.split("?text=", 1)[1]
    assert " " not in link and "&" not in encoded and "₹" not in link
    assert "%E2%82%B9400.00" in encoded  # ₹ as UTF-8 percent-encoding
    assert "%26" in encoded  # the & in the shop name cannot end the query
    assert unquote(encoded) == message
    assert parse_qs(urlsplit(link).query)["text"] == [message]
    deepa = next(r for r in remind_json(kirana)["reminders"] if r["customer"] == "Deepa")
    assert deepa["phone"] is None and deepa["link"] is None


def test_text_output(kirana, clock):
    shop(kirana, clock)
    text = ok(kirana("remind")).stdout
    assert "Asha — ₹400.00, oldest 40 days" in text
    assert "https://wa.me/919876543210?text=Namaste%20Asha%20ji" in text
    assert "Deepa — ₹300.00, oldest 45 days" in text
    assert "no phone on file" in text
    assert "Bilal" not in text and "Esha" not in text and "Chetan" not in text


def test_without_shop_name_and_nobody_due(kirana, clock):
    ok(kirana("customer", "add", "Asha"))
    ok(kirana("sale", "Asha", "--amount", "10", "--credit", "--on", "2025-03-01"))
    assert ok(kirana("remind")).stdout == "Nobody has dues older than 30 days.\n"
    (row,) = remind_json(kirana, "--over", "1")["reminders"]
    assert "your kirana store" in row["message"]


def test_nothing_is_appended(kirana, clock):
    shop(kirana, clock)
    head = ok(kirana("log", "--json", "--last", "1")).json()["head"]
    ok(kirana("remind"))
    assert ok(kirana("log", "--json", "--last", "1")).json()["head"] == head


def test_bad_input(kirana, clock):
    shop(kirana, clock)
    for args, message in (
        (("--over", "-1"), "--over -1 must be 0 or more days"),
        (("--over", "month"), "--over"),
        (("--min", "1.234"), "--min '1.234' is not a valid amount"),
    ):
        result = kirana("remind", *args)
        assert result.exit_code == 1 and result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
