"""UPI payment links: `upi://pay?pa=…&pn=…&am=…&cu=INR&tn=…`, the deep link every UPI app
(BHIM, PhonePe, Google Pay, Paytm) opens with the payee, the amount and a note filled in, and
the same text as a QR code (kirana.reports.render_html draws it).

`pa` is the shop's UPI id (`kirana shop set --upi-id`, checked by
rules.identifiers.check_upi_id), `pn` the shop's name, `am` the exact amount in rupees with two
decimals, `cu` always INR, `tn` a short note saying what is being paid (at most NOTE_LIMIT
characters: apps cut longer notes). Every value is percent-encoded (the `@` of a UPI id kept).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from kirana.money import rupees_str

NOTE_LIMIT = 50


def pay_link(upi_id: str, payee: str | None, paise: int, note: str) -> str | None:
    """The link that asks for exactly `paise`; None when nothing is owed (paise <= 0)."""
    if paise <= 0 or not upi_id:
        return None
    parts = [f"pa={quote(upi_id, safe='@')}"]
    if payee:
        parts.append(f"pn={quote(payee, safe='')}")
    parts.append(f"am={rupees_str(paise)}")
    parts.append("cu=INR")
    short = " ".join(note.split())[:NOTE_LIMIT].strip()
    if short:
        parts.append(f"tn={quote(short, safe='')}")
    return "upi://pay?" + "&".join(parts)


def dues_link(shop: dict, customer: str, paise: int, on: date) -> str | None:
    """The link for `customer`'s exact dues on a day, to the UPI id of the shop settings `shop`
    (catalog.shop_settings_on); None without a UPI id or without dues."""
    upi_id = shop.get("upi_id")
    if not upi_id:
        return None
    return pay_link(upi_id, shop.get("name"), paise, f"Khata {customer} {on.strftime('%d-%m-%Y')}")
