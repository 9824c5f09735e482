"""The month report laid out as sections (see layout.py), shared by every non-JSON format."""

from __future__ import annotations

from datetime import timedelta

from kirana.reports.layout import Layout, Money, Qty, Section, provenance_facts
from kirana.reports.month import MonthReport, Tally
from kirana.totals import people

METHOD_LABELS = {"khata": "to khata", "cash": "cash", "upi": "UPI", "card": "card"}


def _tally_section(title: str, tallies: dict[str, Tally], what: str) -> Section:
    rows = [[METHOD_LABELS.get(k, k), t.count, Money(t.paise)] for k, t in tallies.items()]
    total = Tally(sum(t.count for t in tallies.values()), sum(t.paise for t in tallies.values()))
    rows.append(["Total", total.count, Money(total.paise)])
    return Section(title, [what, "Entries", "Amount"], rows, totals=1)


def reconciliation_section(report: MonthReport) -> Section:
    rec = report.reconciliation
    before = (report.period.start - timedelta(days=1)).isoformat()
    last = report.period.last_day.isoformat()
    rows = [
        [f"Opening dues (as of {before})", Money(rec.opening_dues_paise)],
        ["Add: credit sales entered", Money(rec.credit_sales_paise)],
        ["Add: opening balances entered", Money(rec.opening_balances_paise)],
        ["Less: payments entered", Money(rec.payments_paise)],
        ["Less: returns to khata entered", Money(rec.khata_returns_paise)],
        [f"Voided entries reversed ({len(report.voided)})", Money(rec.voids_paise)],
        [f"Closing dues (as of {last})", Money(rec.closing_dues_paise)],
    ]
    verdict = (
        "holds"
        if rec.holds
        else f"DOES NOT HOLD: the terms give {Money(rec.computed_closing_paise)}"
    )
    note = f"Reconciliation {verdict}. Amounts are as entered; voided entries are reversed."
    return Section("Dues reconciliation", ["", "Amount"], rows, totals=1, note=note)


def closing_totals_section(report: MonthReport) -> Section:
    """Closing dues with advances apart: owed − advances = net = the closing dues above."""
    totals = report.closing_totals
    rows = [
        [f"Owed ({people(totals.owing)})", Money(totals.owed_paise)],
        [f"Less: advances ({people(totals.ahead)})", Money(totals.advances_paise)],
        ["Net = closing dues", Money(totals.net_paise)],
    ]
    return Section(f"Closing dues as of {report.period.last_day.isoformat()}", ["", "Amount"],
                   rows, totals=1)  # fmt: skip


def month_layout(report: MonthReport) -> Layout:
    sections = [
        reconciliation_section(report),
        _tally_section("Sales by method", report.sales_by_method, "Method"),
        _tally_section("Payments by method", report.payments_by_method, "Method"),
        _tally_section("Returns by settlement", report.returns_by_settlement, "Settlement"),
        Section(
            "Opening balances (from the paper khata)",
            ["", "Entries", "Amount"],
            [
                [
                    "Opening balances",
                    report.opening_balances.count,
                    Money(report.opening_balances.paise),
                ]
            ],
        ),
        Section(
            "Voided entries (left out of every figure)",
            ["Entry", "Date", "Type", "Customer", "Amount", "Voided by"],
            [
                [
                    v.seq,
                    v.occurred_at[:10],
                    v.type,
                    v.customer or "walk-in",
                    Money(v.amount_paise),
                    f"#{v.void_seq}",
                ]
                for v in report.voided
            ],
        ),
        closing_totals_section(report),
        Section(
            "Top debtors (owed at close)",
            ["Customer", "Owed"],
            [[name, Money(paise)] for name, paise in report.top_debtors],
            empty="nobody owes anything",
        ),
        Section(
            "New customers",
            ["Customer", "Added on"],
            [[name, day] for name, day in report.new_customers],
        ),
        Section(
            "Day-by-day sales",
            ["Date", "Sales", "Amount"],
            [[d.day.strftime("%a %d %b"), d.count, Money(d.paise)] for d in report.days]
            + [["Total", report.sales.count, Money(report.sales.paise)]],
            totals=1,
            bar=2,
        ),
        Section(
            "Top items",
            ["Item", "Qty", "Unit", "Lines", "Amount"],
            [[i.name, Qty(i.qty), i.unit, i.lines, Money(i.paise)] for i in report.top_items],
            empty="no itemised sales",
        ),
    ]
    chart = [(d.day.strftime("%d"), d.paise) for d in report.days]
    return Layout(
        title=f"Month report {report.period.label}",
        facts=provenance_facts(report),
        sections=sections,
        warnings=list(report.warnings),
        chart=chart,
        chart_title="Sales per day (₹)",
    )
