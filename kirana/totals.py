"""Dues totalled the one way every view shows them: owed, advances, net.

A customer's dues are positive when they owe the shop and negative when they paid ahead (an
advance). Adding the two together hides the advance, so every total of dues is given three
ways: `owed` (the sum of positive dues), `advances` (the sum of advances, as a positive
number) and `net` = owed − advances (what the month report calls closing dues). `dues`,
`dues --aging`, `balance` and the month report all call `dues_totals`; `dues_text` is the one
way a single customer's dues are written for people ("advance ₹208.00", never "-₹208.00").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kirana.i18n import tr
from kirana.money import format_rupees, money_json


@dataclass(frozen=True)
class DuesTotals:
    """Owed (positive dues), advances (negative dues, as a positive sum), and how many
    customers hold each."""

    owed_paise: int = 0
    advances_paise: int = 0
    owing: int = 0
    ahead: int = 0

    @property
    def net_paise(self) -> int:
        return self.owed_paise - self.advances_paise

    def to_json(self) -> dict:
        """`owed_paise`/`owed`, `advances_paise`/`advances`, `net_paise`/`net`."""
        return {
            **money_json(self.owed_paise, "owed"),
            **money_json(self.advances_paise, "advances"),
            **money_json(self.net_paise, "net"),
        }

    def rows(self) -> list[tuple[str, str]]:
        """(label, amount) lines for a table's foot: Owed, Advances, Net."""
        return [
            (
                tr("Owed ({people})").format(people=people(self.owing)),
                format_rupees(self.owed_paise),
            ),
            (
                tr("Advances ({people})").format(people=people(self.ahead)),
                format_rupees(self.advances_paise),
            ),
            (tr("Net (owed − advances)"), format_rupees(self.net_paise)),
        ]


def people(count: int) -> str:
    """ "1 customer", "3 customers"."""
    return tr("1 customer") if count == 1 else tr("{count} customers").format(count=count)


def dues_totals(dues: Iterable[int]) -> DuesTotals:
    """The totals of customers' dues (paise, one value per customer; zeros count nowhere)."""
    values = list(dues)
    owed = [paise for paise in values if paise > 0]
    advances = [paise for paise in values if paise < 0]
    return DuesTotals(sum(owed), -sum(advances), len(owed), len(advances))


def dues_text(paise: int) -> str:
    """One customer's dues for people: '₹370.00', or 'advance ₹208.00' when they paid ahead."""
    return dues_writer()(paise)


def dues_writer() -> Callable[[int], str]:
    """dues_text, with its words looked up once: for a list of ten thousand customers."""
    advance = tr("advance {amount}")

    def text(paise: int) -> str:
        if paise < 0:
            return advance.format(amount=format_rupees(-paise))
        return format_rupees(paise)

    return text
