"""A customer's statement laid out as one table (see layout.py), shared by every non-JSON format.

Opening dues, then every entry (date, entry number, description, debit, credit, running dues),
then closing dues (negative dues read "advance ₹…"; spreadsheets get the signed number). The
description carries what Debit/Credit cannot: a refund's or a paid sale's amount, the amount
a customer confirmed, the note. A voided entry is shown struck through and marked, and does not move the
running dues. The layout is one table, so its CSV is just that table.
"""

from __future__ import annotations

from kirana.events import head_check
from kirana.i18n import tr, tr_in
from kirana.money import rupees_in_words
from kirana.queries import statement_description
from kirana.reports.layout import Cell, Dues, Layout, Money, Section
from kirana.reports.statement import StatementReport

HEADER = ["Date", "Entry", "Description", "Debit", "Credit", "Balance"]


def _header() -> list[str]:
    """HEADER in the language in force (Debit/Credit as a khata page's columns)."""
    return [
        tr("Date"),
        tr("Entry"),
        tr("Description"),
        tr_in("statement column", "Debit"),
        tr_in("statement column", "Credit"),
        tr("Balance"),
    ]


def statement_layout(report: StatementReport) -> Layout:
    page, head = report.page, report.head
    rows: list[list[Cell]] = [["", "", tr("Opening dues"), "", "", Dues(page.opening_paise)]]
    struck: set[int] = set()
    for line in page.lines:
        marker = ""
        if line.voided_by:
            marker = " " + tr("[VOIDED by #{seq}]").format(seq=line.voided_by)
            struck.add(len(rows))
        rows.append(
            [
                line.occurred_at[:16].replace("T", " "),
                line.seq,
                statement_description(
                    line.event, line.debit_paise - line.credit_paise, translated=True
                )
                + marker,
                Money(line.debit_paise) if line.debit_paise else "",
                Money(line.credit_paise) if line.credit_paise else "",
                Dues(line.balance_paise),
            ]
        )
    rows.append(["", "", tr("Closing dues"), "", "", Dues(page.closing_paise)])
    note = tr("Opening dues: {opening}; closing dues: {closing}.").format(
        opening=Dues(page.opening_paise), closing=Dues(page.closing_paise)
    )
    if struck:
        note += " " + tr("Voided entries are shown, marked VOIDED, and not counted.")
    header = _header()
    section = Section(tr("Entries"), header, rows, totals=1, note=note, struck=struck)
    start = page.start or tr("the beginning")
    end = page.end or tr("today")
    facts = [
        (tr("Period"), tr("{start} to {end}").format(start=start, end=end)),
        (tr("Ledger head"), tr("entry {seq} {hash}").format(seq=head["seq"], hash=head["hash"])),
        (
            tr("Check later"),
            f"kirana verify --expect-head {head_check(head['seq'], head['hash'])}",
        ),
    ]
    if page.closing_paise > 0:
        facts.append((tr("Dues in words"), rupees_in_words(page.closing_paise)))
    if report.upi_link:
        facts.append((tr("Pay by UPI"), report.upi_link))
    return Layout(
        title=tr("Khata statement: {customer}").format(customer=page.customer),
        facts=facts,
        sections=[section],
        one_table=True,
        qr=report.upi_link,
    )
