"""`kirana shop set --upi-id`: reminders and statements carry a upi://pay link for the exact
dues (and a QR code of it in html)."""

from __future__ import annotations

import pytest

from kirana.upi import pay_link

LINK = (
    "upi://pay?pa=sharma.store@okhdfcbank&pn=Sharma%20Kirana%20%26%20Sons&am=370.00&cu=INR"
    "&tn=Khata%20Priya%20Madam%2010-03-2025"
)


@pytest.fixture
def shop(kirana, clock):
    clock("2025-01-05T10:00:00")
    for args in (
        ("shop", "set", "--name", "Sharma Kirana & Sons", "--from", "2025-01-01"),
        ("customer", "add", "Priya Madam", "--phone", "9876543210"),
        ("sale", "Priya", "--amount", "370", "--credit"),
    ):
        assert kirana(*args).exit_code == 0
    clock("2025-03-10T18:00:00")
    return kirana


def with_upi(kirana) -> None:
    result = kirana("shop", "set", "--upi-id", " Sharma.Store@OKHDFCBANK ", "--from", "2025-01-01")
    assert result.exit_code == 0, result.stderr
    assert "upi_id=sharma.store@okhdfcbank" in result.stdout


def test_the_link_asks_for_exactly_the_dues_with_every_value_encoded():
    assert (
        pay_link(
            "sharma.store@okhdfcbank", "Sharma Kirana & Sons", 37000, "Khata Priya Madam 10-03-2025"
        )
        == LINK
    )
    assert pay_link("a@ybl", None, 5, "") == "upi://pay?pa=a@ybl&am=0.05&cu=INR"
    assert pay_link("a@ybl", "S", 0, "x") is None and pay_link("a@ybl", "S", -100, "x") is None
    note = pay_link("a@ybl", None, 100, "x" * 80)
    assert note.endswith("&tn=" + "x" * 50)


def test_a_bad_upi_id_is_refused_and_nothing_appended(shop):
    before = shop("log", "--json").json()["head"]
    bad = shop("shop", "set", "--upi-id", "sharma store")
    assert bad.exit_code == 1
    assert bad.stderr == (
        "Error: UPI id 'sharma store' is not like name@bank (e.g. 9876543210@ybl or "
        "shop.name@okhdfcbank); copy it from the UPI app\n"
    )
    assert shop("log", "--json").json()["head"] == before


def test_reminders_carry_the_upi_link_next_to_the_whatsapp_link(shop):
    assert shop("remind", "--json").json()["reminders"][0]["upi_link"] is None
    with_upi(shop)
    (reminder,) = shop("remind", "--json").json()["reminders"]
    assert reminder["upi_link"] == LINK
    assert f"Pay by UPI: {LINK}" in reminder["message"]
    assert reminder["link"].startswith("https://wa.me/919876543210?text=")
    text = shop("remind").stdout
    assert f"  UPI: {LINK}\n" in text


def test_statements_carry_the_link_and_their_html_a_qr_code(shop):
    assert shop("statement", "Priya", "-f", "json").json()["upi_link"] is None
    assert "<svg" not in shop("statement", "Priya", "-f", "html").stdout
    with_upi(shop)
    assert shop("statement", "Priya", "-f", "json").json()["upi_link"] == LINK
    assert f"Pay by UPI: {LINK}" in shop("statement", "Priya").stdout
    html = shop("statement", "Priya", "-f", "html").stdout
    assert '<figure class="qr"><svg' in html
    assert "<title>Pay by UPI</title>" in html
    assert LINK.replace("&", "&amp;") in html


def test_no_link_when_nothing_is_owed(shop):
    with_upi(shop)
    assert shop("pay", "Priya", "370").exit_code == 0
    assert shop("statement", "Priya", "-f", "json").json()["upi_link"] is None
