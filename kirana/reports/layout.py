"""A report laid out for people: a title, header facts, titled sections of typed cells.

Every format except JSON draws from a Layout, so the table, Markdown, CSV, xlsx and HTML
renders always show the same figures. Cells are `str`, `int`, `Money` (paise, shown in rupees,
a number in spreadsheets; `Dues` is Money shown as "advance ₹…" when negative) or `Qty` (a decimal quantity, a number in spreadsheets). `bars` draws
a section's bar column as text, for the renders that have no chart (table, Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kirana.events import head_check
from kirana.i18n import shown, tr
from kirana.money import format_rupees
from kirana.totals import dues_text

BAR_WIDTH = 30
BAR = "█"


@dataclass(frozen=True)
class Money:
    paise: int

    def __str__(self) -> str:
        return format_rupees(self.paise)

    @property
    def rupees(self) -> Decimal:
        """The amount in rupees as an exact Decimal with two places (a spreadsheet number)."""
        return Decimal(self.paise).scaleb(-2)


class Dues(Money):
    """A customer's dues: shown as "advance ₹208.00" when negative (never "-₹208.00"), and
    still the number -208.00 in spreadsheets (it is Money)."""

    def __str__(self) -> str:
        return dues_text(self.paise)


@dataclass(frozen=True)
class Qty:
    value: Decimal

    def __str__(self) -> str:
        text = format(self.value.normalize(), "f")
        return text


Cell = str | int | Money | Qty


@dataclass
class Section:
    """A titled table; the last `totals` rows are totals; `bar` names a Money column to chart;
    rows whose index is in `struck` are drawn struck through (voided: shown, not counted)."""

    title: str
    header: list[str]
    rows: list[list[Cell]]
    totals: int = 0
    note: str | None = None
    bar: int | None = None
    empty: str = field(default_factory=lambda: tr("none"))  # in the language of the render
    struck: set[int] = field(default_factory=set)

    def right_aligned(self) -> set[int]:
        """Columns holding numbers (judged on the rows) are right-aligned."""
        numeric = set()
        for row in self.rows:
            for index, cell in enumerate(row):
                if isinstance(cell, int | Money | Qty):
                    numeric.add(index)
        return numeric


@dataclass
class Layout:
    title: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    chart: list[tuple[str, int]] | None = None  # (label, paise) bars for the HTML/xlsx chart
    chart_title: str = ""
    one_table: bool = False  # one section only (a statement): its CSV is that table alone
    qr: str | None = None  # text to show as a QR code where a page can (HTML): a UPI pay link


def cell_text(cell: Cell) -> str:
    return str(cell)


def bars(section: Section) -> list[str]:
    """A text bar per row for the section's `bar` column (totals rows get none)."""
    if section.bar is None:
        return []
    body = section.rows[: len(section.rows) - section.totals]
    values = [row[section.bar].paise for row in body]
    top = max(values, default=0)
    out = []
    for value in values:
        length = (value * BAR_WIDTH + top // 2) // top if top > 0 and value > 0 else 0
        out.append(BAR * length)
    return out + [""] * section.totals


def provenance_facts(report) -> list[tuple[str, str]]:
    """The header every report carries: period, shop, and the head it was computed from."""
    shop = report.shop
    shop_text = shop["name"] or tr("(shop name not set: kirana shop set --name NAME)")
    facts = [(tr("Period"), report.period.describe()), (tr("Shop"), shop_text)]
    if shop["gstin"]:
        facts.append(("GSTIN", shop["gstin"]))
    if shop["state"]:
        facts.append((tr("State"), shop["state"]))
    head = report.head
    check = head_check(head["seq"], head["hash"])
    computed = tr("entry {seq}, head hash {hash}").format(seq=head["seq"], hash=head["hash"])
    facts.append((tr("Computed from"), computed))
    facts.append((tr("Check later"), f"kirana verify --expect-head {check}"))
    for close in getattr(report, "closes", ()):
        facts.append((tr("Closed"), close.fact()))
        changed = "; ".join(map(shown, close.changes)) if close.changes else tr("nothing")
        facts.append((tr("Changed after the close"), changed))
    facts.append((tr("Generated at"), report.generated_at))
    return facts
