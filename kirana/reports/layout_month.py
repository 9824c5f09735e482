"""The month report laid out as sections (see layout.py), shared by every non-JSON format."""

from __future__ import annotations

from datetime import timedelta

from kirana.i18n import marked, shown, tr
from kirana.periods import weekday_day
from kirana.reports.layout import Layout, Money, Qty, Section, provenance_facts
from kirana.reports.month import MonthReport, Tally
from kirana.totals import people

METHOD_LABELS = {
    "khata": marked("to khata"),
    "cash": marked("cash"),
    "upi": marked("UPI"),
    "card": marked("card"),
    "credit": marked("credit"),
    "cheque": marked("cheque"),
    "bank": marked("bank"),
}


def _tally_section(title: str, tallies: dict[str, Tally], what: str) -> Section:
    rows = [[tr(METHOD_LABELS.get(k, k)), t.count, Money(t.paise)] for k, t in tallies.items()]
    total = Tally(sum(t.count for t in tallies.values()), sum(t.paise for t in tallies.values()))
    rows.append([tr("Total"), total.count, Money(total.paise)])
    return Section(title, [what, tr("Entries"), tr("Amount")], rows, totals=1)


def reconciliation_section(report: MonthReport) -> Section:
    rec = report.reconciliation
    before = (report.period.start - timedelta(days=1)).isoformat()
    last = report.period.last_day.isoformat()
    rows = [
        [tr("Opening dues (as of {day})").format(day=before), Money(rec.opening_dues_paise)],
        [tr("Add: credit sales entered"), Money(rec.credit_sales_paise)],
        [tr("Add: opening balances entered"), Money(rec.opening_balances_paise)],
        [tr("Less: payments entered"), Money(rec.payments_paise)],
        [tr("Less: returns to khata entered"), Money(rec.khata_returns_paise)],
        [
            tr("Voided entries reversed ({count})").format(count=len(report.voided)),
            Money(rec.voids_paise),
        ],
        [tr("Closing dues (as of {day})").format(day=last), Money(rec.closing_dues_paise)],
    ]
    verdict = (
        tr("Reconciliation holds.")
        if rec.holds
        else tr("Reconciliation DOES NOT HOLD: the terms give {amount}.").format(
            amount=Money(rec.computed_closing_paise)
        )
    )
    note = verdict + " " + tr("Amounts are as entered; voided entries are reversed.")
    return Section(tr("Dues reconciliation"), ["", tr("Amount")], rows, totals=1, note=note)


def closing_totals_section(report: MonthReport) -> Section:
    """Closing dues with advances apart: owed − advances = net = the closing dues above."""
    totals = report.closing_totals
    rows = [
        [tr("Owed ({people})").format(people=people(totals.owing)), Money(totals.owed_paise)],
        [
            tr("Less: advances ({people})").format(people=people(totals.ahead)),
            Money(totals.advances_paise),
        ],
        [tr("Net = closing dues"), Money(totals.net_paise)],
    ]
    title = tr("Closing dues as of {day}").format(day=report.period.last_day.isoformat())
    return Section(title, ["", tr("Amount")], rows, totals=1)


def month_layout(report: MonthReport) -> Layout:
    sections = [
        reconciliation_section(report),
        _tally_section(tr("Sales by method"), report.sales_by_method, tr("Method")),
        _tally_section(tr("Payments by method"), report.payments_by_method, tr("Method")),
        _tally_section(tr("Returns by settlement"), report.returns_by_settlement, tr("Settlement")),
        Section(
            tr("Opening balances (from the paper khata)"),
            ["", tr("Entries"), tr("Amount")],
            [
                [
                    tr("Opening balances"),
                    report.opening_balances.count,
                    Money(report.opening_balances.paise),
                ]
            ],
        ),
        Section(
            tr("Voided entries (left out of every figure)"),
            [tr("Entry"), tr("Date"), tr("Type"), tr("Customer"), tr("Amount"), tr("Voided by")],
            [
                [
                    v.seq,
                    v.occurred_at[:10],
                    v.type,
                    v.customer or tr("walk-in"),
                    Money(v.amount_paise),
                    f"#{v.void_seq}",
                ]
                for v in report.voided
            ],
        ),
        closing_totals_section(report),
        Section(
            tr("Top debtors (owed at close)"),
            [tr("Customer"), tr("Owed")],
            [[name, Money(paise)] for name, paise in report.top_debtors],
            empty=tr("nobody owes anything"),
        ),
        Section(
            tr("New customers"),
            [tr("Customer"), tr("Added on")],
            [[name, day] for name, day in report.new_customers],
        ),
        Section(
            tr("Day-by-day sales"),
            [tr("Date"), tr("Sales"), tr("Amount")],
            [[weekday_day(d.day), d.count, Money(d.paise)] for d in report.days]
            + [[tr("Total"), report.sales.count, Money(report.sales.paise)]],
            totals=1,
            bar=2,
        ),
        Section(
            tr("Top items"),
            [tr("Item"), tr("Qty"), tr("Unit"), tr("Lines"), tr("Amount")],
            [[i.name, Qty(i.qty), i.unit, i.lines, Money(i.paise)] for i in report.top_items],
            empty=tr("no itemised sales"),
        ),
    ]
    chart = [(d.day.strftime("%d"), d.paise) for d in report.days]
    return Layout(
        title=tr("Month report {period}").format(period=report.period.label),
        facts=provenance_facts(report),
        sections=sections,
        warnings=[shown(warning) for warning in report.warnings],
        chart=chart,
        chart_title=tr("Sales per day (₹)"),
    )
