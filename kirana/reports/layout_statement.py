"""A customer's statement laid out as one table (see layout.py), shared by every non-JSON format.

Opening dues, then every entry (date, entry number, description, debit, credit, running dues),
then closing dues (negative dues read "advance ₹…"; spreadsheets get the signed number). The
description carries what Debit/Credit cannot: a refund's or a paid sale's amount, the amount
a customer confirmed, the note. A voided entry is shown struck through and marked, and does not move the
running dues. The layout is one table, so its CSV is just that table.
"""

from __future__ import annotations

from kirana.events import head_check
from kirana.reports.layout import Cell, Dues, Layout, Money, Section
from kirana.reports.statement import StatementReport

HEADER = ["Date", "Entry", "Description", "Debit", "Credit", "Balance"]


def statement_layout(report: StatementReport) -> Layout:
    page, head = report.page, report.head
    rows: list[list[Cell]] = [["", "", "Opening dues", "", "", Dues(page.opening_paise)]]
    struck: set[int] = set()
    for line in page.lines:
        marker = ""
        if line.voided_by:
            marker = f" [VOIDED by #{line.voided_by}]"
            struck.add(len(rows))
        rows.append(
            [
                line.occurred_at[:16].replace("T", " "),
                line.seq,
                line.description + marker,
                Money(line.debit_paise) if line.debit_paise else "",
                Money(line.credit_paise) if line.credit_paise else "",
                Dues(line.balance_paise),
            ]
        )
    rows.append(["", "", "Closing dues", "", "", Dues(page.closing_paise)])
    note = f"Opening dues: {Dues(page.opening_paise)}; closing dues: {Dues(page.closing_paise)}."
    if struck:
        note += " Voided entries are shown, marked VOIDED, and not counted."
    section = Section("Entries", HEADER, rows, totals=1, note=note, struck=struck)
    facts = [
        ("Period", report.period),
        ("Ledger head", f"entry {head['seq']} {head['hash']}"),
        ("Check later", f"kirana verify --expect-head {head_check(head['seq'], head['hash'])}"),
    ]
    if report.upi_link:
        facts.append(("Pay by UPI", report.upi_link))
    return Layout(
        title=f"Khata statement: {page.customer}",
        facts=facts,
        sections=[section],
        one_table=True,
        qr=report.upi_link,
    )
