"""The JSON contract of the reports (docs/json.md): money as `*_paise` integers plus rupee strings.

`report month` → opening_dues_paise, closing_dues_paise and every other total as `*_paise`;
`report gst` → slabs as {"rate": "5", "taxable_paise", "cgst_paise", "sgst_paise", …}. Both
carry `head` ({"seq", "hash"}) and `generated_at`. A statement's JSON (customer, from, to,
head, opening/closing and per line debit/credit/balance as `*_paise`, and `voided_by`) is made
from its lines in statement_rows.py. Keys are only ever added, never renamed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kirana.money import money_json
from kirana.reports.month import MonthReport, Tally

if TYPE_CHECKING:  # annotations only: `report month` need not load the GST report
    from kirana.reports.gst import GstReport, Heads


def _common(report, kind: str) -> dict:
    period = report.period
    return {
        "report": kind,
        "period": period.label,
        "from": period.start.isoformat(),
        "to": period.last_day.isoformat(),
        "shop": {k: report.shop[k] for k in ("name", "gstin", "state", "scheme")},
        "head": report.head,
        "generated_at": report.generated_at,
        "closes": [close.to_json() for close in report.closes],
    }


def _tallies(tallies: dict[str, Tally], key: str) -> list[dict]:
    return [{key: k, "count": t.count, **money_json(t.paise, "amount")} for k, t in tallies.items()]


def month_json(report: MonthReport) -> dict:
    rec = report.reconciliation
    return {
        **_common(report, "month"),
        **money_json(report.opening_dues_paise, "opening_dues"),
        **money_json(report.closing_dues_paise, "closing_dues"),
        "closing": report.closing_totals.to_json(),  # net == closing_dues
        **money_json(report.sales.paise, "sales"),
        **money_json(report.credit_sales_paise, "credit_sales"),
        **money_json(report.payments.paise, "payments"),
        **money_json(report.returns.paise, "returns"),
        **money_json(report.khata_returns_paise, "khata_returns"),
        **money_json(report.opening_balances.paise, "opening_balances"),
        "sales_by_method": _tallies(report.sales_by_method, "method"),
        "payments_by_method": _tallies(report.payments_by_method, "method"),
        "returns_by_settlement": _tallies(report.returns_by_settlement, "settlement"),
        "voids": {
            "count": len(report.voided),
            **money_json(rec.voids_paise, "dues_effect"),  # as in the reconciliation line
            "entries": [
                {
                    "seq": v.seq,
                    "type": v.type,
                    "customer": v.customer,
                    "occurred_at": v.occurred_at,
                    **money_json(v.amount_paise, "amount"),
                    "voided_by": v.void_seq,
                }
                for v in report.voided
            ],
        },
        "reconciliation": {
            **money_json(rec.opening_dues_paise, "opening_dues"),
            **money_json(rec.credit_sales_paise, "credit_sales_entered"),
            **money_json(rec.opening_balances_paise, "opening_balances_entered"),
            **money_json(rec.payments_paise, "payments_entered"),
            **money_json(rec.khata_returns_paise, "khata_returns_entered"),
            **money_json(rec.voids_paise, "voids"),
            **money_json(rec.closing_dues_paise, "closing_dues"),
            "holds": rec.holds,
        },
        "top_debtors": [  # what each owes at close (advances are never debtors)
            {"customer": name, **money_json(paise, "balance"), **money_json(paise, "owed")}
            for name, paise in report.top_debtors
        ],
        "new_customers": [{"customer": n, "added_on": d} for n, d in report.new_customers],
        "days": [
            {"date": d.day.isoformat(), "count": d.count, **money_json(d.paise, "amount")}
            for d in report.days
        ],
        "top_items": [
            {
                "name": i.name,
                "unit": i.unit,
                "qty": format(i.qty.normalize(), "f"),
                "lines": i.lines,
                **money_json(i.paise, "amount"),
            }
            for i in report.top_items
        ],
        "warnings": report.warnings,
    }


def heads_json(heads: Heads) -> dict:
    return {
        **money_json(heads.taxable_paise, "taxable"),
        **money_json(heads.cgst_paise, "cgst"),
        **money_json(heads.sgst_paise, "sgst"),
        **money_json(heads.value_paise, "value"),
    }


def gst_json(report: GstReport) -> dict:
    t = report.turnover
    payload = {
        **_common(report, "gst"),
        "scheme": report.scheme,
        "turnover": {
            **money_json(t.sales_paise, "sales"),
            **money_json(t.returns_paise, "returns"),
            **money_json(t.taxable_paise, "taxable_goods"),
            **money_json(t.exempt_paise, "exempt_goods"),
            **money_json(t.total_paise, "total"),
        },
        "financial_year": {
            "label": report.financial_year,
            **money_json(report.financial_year_turnover_paise, "turnover_to_date"),
        },
        "unclassified": {"lines": report.unclassified.lines, **heads_json(report.unclassified)},
        "warnings": report.warnings,
    }
    payable = report.payable
    payable_json = {
        **money_json(payable.cgst_exact_paise, "cgst_exact"),
        **money_json(payable.cgst_paise, "cgst"),
        **money_json(payable.sgst_exact_paise, "sgst_exact"),
        **money_json(payable.sgst_paise, "sgst"),
        **money_json(payable.total_exact_paise, "total_exact"),
        **money_json(payable.total_paise, "total"),
        **money_json(payable.carried_forward_paise, "carried_forward"),
    }
    if report.scheme == "regular":
        total = report.net_total
        payload.update(
            slabs=[
                {
                    "rate": s.rate,
                    **heads_json(s.net),
                    "sales": heads_json(s.sales),
                    "credit_notes": heads_json(s.credit_notes),
                }
                for s in report.slabs
            ],
            exempt=money_json(report.exempt.value_paise, "value"),
            hsn=[
                {
                    "hsn": r.hsn,
                    "description": r.description,
                    "unit": r.unit,
                    "rate": r.rate,
                    "qty": format(r.qty.normalize(), "f"),
                    **heads_json(r.heads),
                }
                for r in report.hsn
            ],
            gstr1_table7=[
                {
                    "place_of_supply": report.shop["state"],
                    "rate": s.rate,
                    **money_json(s.net.taxable_paise, "taxable"),
                    **money_json(s.net.cgst_paise, "cgst"),
                    **money_json(s.net.sgst_paise, "sgst"),
                    **money_json(0, "cess"),
                }
                for s in report.taxable_slabs
            ],
            gstr3b={
                "3.1(a)": {
                    **money_json(total.taxable_paise, "taxable"),
                    **money_json(0, "igst"),
                    **money_json(total.cgst_paise, "cgst"),
                    **money_json(total.sgst_paise, "sgst"),
                    **money_json(0, "cess"),
                },
                "3.1(c)": money_json(report.exempt.value_paise, "taxable"),
            },
            payable=payable_json,
        )
    elif report.scheme == "composition":
        tax_split = report.composition_tax
        payload["cmp08"] = {
            **money_json(t.taxable_paise, "taxable_turnover"),
            **money_json(t.exempt_paise, "exempt_turnover"),
            "rate": "1",
            **money_json(tax_split.cgst_paise, "cgst"),
            **money_json(tax_split.sgst_paise, "sgst"),
        }
        payload["payable"] = payable_json
    return payload
