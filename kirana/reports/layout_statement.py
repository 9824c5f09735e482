"""A customer's statement laid out as one table (see layout.py), shared by every format.

Opening dues, then every entry (date, entry number, description, debit, credit, running dues),
then closing dues (negative dues read "advance ₹…"; spreadsheets get the signed number). The
description carries what Debit/Credit cannot: a refund's or a paid sale's amount, the amount a
customer confirmed, the note. A voided entry is shown struck through and marked, and does not
move the running dues. The layout is one table, so its CSV is just that table. The terminal
draws the same rows as they are read (`columns`, `line_cells`, `opening_cells`,
`closing_cells`, `statement_note`; render_table.stream_statement), so a long page shows at once.
"""

from __future__ import annotations

from kirana.events import head_check
from kirana.i18n import tr, tr_in, translator
from kirana.money import amount_in_words
from kirana.reports.fixed_width import Column
from kirana.reports.layout import Cell, Dues, Layout, Money, Section
from kirana.reports.statement import StatementReport
from kirana.statements import Statement, StatementLine

HEADER = ["Date", "Entry", "Description", "Debit", "Credit", "Balance"]


def header() -> list[str]:
    """HEADER in the language in force (Debit/Credit as a khata page's columns)."""
    return [
        tr("Date"),
        tr("Entry"),
        tr("Description"),
        tr_in("statement column", "Debit"),
        tr_in("statement column", "Credit"),
        tr("Balance"),
    ]


def columns() -> list[Column]:
    """The statement's columns for a list drawn as it goes (fixed_width)."""
    date, entry, description, *amounts = header()
    return [
        Column(date, keep=True),
        Column(entry, right=True),
        Column(description, flex=True),
        *(Column(header, right=True) for header in amounts),
    ]


def opening_cells(page: Statement) -> list[Cell]:
    return ["", "", tr("Opening dues"), "", "", Dues(page.opening_paise)]


def closing_cells(page: Statement) -> list[Cell]:
    return ["", "", tr("Closing dues"), "", "", Dues(page.closing_paise)]


def line_cells(line: StatementLine) -> list[Cell]:
    marker = " " + tr("[VOIDED by #{seq}]").format(seq=line.voided_by) if line.voided_by else ""
    description = line.described(translator())
    return [
        line.occurred_at[:16].replace("T", " "),
        line.seq,
        description + marker,
        Money(line.debit_paise) if line.debit_paise else "",
        Money(line.credit_paise) if line.credit_paise else "",
        Dues(line.balance_paise),
    ]


def statement_note(page: Statement, any_voided: bool) -> str:
    note = tr("Opening dues: {opening}; closing dues: {closing}.").format(
        opening=Dues(page.opening_paise), closing=Dues(page.closing_paise)
    )
    if any_voided:
        note += " " + tr("Voided entries are shown, marked VOIDED, and not counted.")
    return note


def statement_title(report: StatementReport) -> str:
    return tr("Khata statement: {customer}").format(customer=report.page.customer)


def statement_facts(report: StatementReport) -> list[tuple[str, str]]:
    page, head = report.page, report.head
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
        facts.append((tr("Dues in words"), amount_in_words(page.closing_paise)))
    if report.upi_link:
        facts.append((tr("Pay by UPI"), report.upi_link))
    return facts


def statement_layout(report: StatementReport) -> Layout:
    page = report.page
    rows: list[list[Cell]] = [opening_cells(page)]
    struck: set[int] = set()
    for line in page.lines:
        if line.voided_by:
            struck.add(len(rows))
        rows.append(line_cells(line))
    rows.append(closing_cells(page))
    note = statement_note(page, bool(struck))
    section = Section(tr("Entries"), header(), rows, totals=1, note=note, struck=struck)
    return Layout(
        title=statement_title(report),
        facts=statement_facts(report),
        sections=[section],
        one_table=True,
        qr=report.upi_link,
    )
