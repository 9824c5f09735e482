"""The GST report laid out as sections (see layout.py), per scheme, for every non-JSON format."""

from __future__ import annotations

from kirana.i18n import marked, shown, tr
from kirana.reports import tax
from kirana.reports.gst import GstReport, Heads, Slab
from kirana.reports.layout import Layout, Money, Qty, Section, provenance_facts

SCHEME_TITLES = {
    "regular": marked("regular taxpayer"),
    "composition": marked("composition scheme"),
    "unregistered": marked("not registered for GST"),
}


def _rate(rate: str) -> str:
    return f"{rate} %"


def _heads_row(label: str, heads: Heads) -> list:
    return [
        label,
        Money(heads.taxable_paise),
        Money(heads.cgst_paise),
        Money(heads.sgst_paise),
        Money(heads.value_paise),
    ]


def _slab_section(title: str, slabs: list[Slab], pick, note: str | None = None) -> Section:
    rows, total = [], Heads()
    for slab in slabs:
        heads = pick(slab)
        if not heads.lines:
            continue
        rows.append(_heads_row(_rate(slab.rate), heads))
        total.value_paise += heads.value_paise
        total.taxable_paise += heads.taxable_paise
        total.cgst_paise += heads.cgst_paise
        total.sgst_paise += heads.sgst_paise
    if rows:
        rows.append(_heads_row(tr("Total"), total))
    header = [tr("Rate"), tr("Taxable value"), "CGST", "SGST", tr("Invoice value")]
    return Section(title, header, rows, totals=1 if rows else 0, note=note)


def _regular_sections(report: GstReport) -> list[Section]:
    taxable = report.taxable_slabs
    net_total = report.net_total
    exempt = report.exempt
    state = report.shop["state"] or tr("(state not set)")
    payable = report.payable
    sections = [
        _slab_section(
            tr("Taxable supplies by rate (sales less credit notes)"),
            taxable,
            lambda s: s.net,
            note=tr(
                "Intra-state: IGST is nil. Prices are GST-inclusive; each line is split as CGST = SGST = round(total × (rate/2) / (100 + rate))."
            ),
        ),
        _slab_section(tr("Sales (invoices) by rate"), report.slabs, lambda s: s.sales),
        _slab_section(
            tr("Returns as credit notes by rate (in the month of the return)"),
            report.slabs,
            lambda s: s.credit_notes,
        ),
        Section(
            tr("Nil rated / exempt supplies (0 %)"),
            ["", tr("Value")],
            [[tr("Nil rated / exempt, net of returns"), Money(exempt.value_paise)]],
        ),
        Section(
            tr("HSN summary (GSTR-1 Table 12)"),
            [
                "HSN",
                tr("Description"),
                tr("Unit"),
                tr("Rate"),
                tr("Qty"),
                tr("Value"),
                tr("Taxable"),
                "CGST",
                "SGST",
            ],
            [
                [
                    r.hsn or "-",
                    r.description,
                    r.unit,
                    _rate(r.rate),
                    Qty(r.qty),
                    Money(r.heads.value_paise),
                    Money(r.heads.taxable_paise),
                    Money(r.heads.cgst_paise),
                    Money(r.heads.sgst_paise),
                ]
                for r in report.hsn
            ],
        ),
        Section(
            tr("GSTR-1 Table 7: B2C (others), net of credit notes"),
            [tr("Place of supply"), tr("Rate"), tr("Taxable value"), "CGST", "SGST", "Cess"],
            [
                [
                    state,
                    _rate(s.rate),
                    Money(s.net.taxable_paise),
                    Money(s.net.cgst_paise),
                    Money(s.net.sgst_paise),
                    Money(0),
                ]
                for s in taxable
            ],
        ),
        Section(
            tr("GSTR-3B Table 3.1"),
            [tr("Nature of supplies"), tr("Taxable value"), "IGST", "CGST", "SGST", "Cess"],
            [
                [
                    tr("(a) Outward taxable supplies"),
                    Money(net_total.taxable_paise),
                    Money(0),
                    Money(net_total.cgst_paise),
                    Money(net_total.sgst_paise),
                    Money(0),
                ],
                [
                    tr("(c) Nil rated and exempted"),
                    Money(exempt.value_paise),
                    Money(0),
                    Money(0),
                    Money(0),
                    Money(0),
                ],
            ],
        ),
        _payable_section(payable, tr("Tax payable on outward supplies (before input tax credit)")),
    ]
    return sections


def _payable_section(payable, title: str) -> Section:
    rows = [
        ["CGST", Money(payable.cgst_exact_paise), Money(payable.cgst_paise)],
        ["SGST", Money(payable.sgst_exact_paise), Money(payable.sgst_paise)],
        *(
            [[tr("Credit carried forward"), Money(payable.carried_forward_paise), Money(0)]]
            if payable.carried_forward_paise
            else []
        ),
        [tr("Total"), Money(payable.total_exact_paise), Money(payable.total_paise)],
    ]
    note = tr("Payable is rounded to the nearest rupee (CGST Act s.170); exact paise beside it.")
    return Section(title, [tr("Head"), tr("Exact"), tr("Payable")], rows, totals=1, note=note)


def _composition_sections(report: GstReport) -> list[Section]:
    t = report.turnover
    tax_split = report.composition_tax or tax.tax_on_turnover(0)
    return [
        Section(
            tr("CMP-08: outward supplies"),
            [tr("Description"), tr("Value"), "CGST", "SGST"],
            [
                [
                    tr("Taxable goods (turnover, net of returns)"),
                    Money(t.taxable_paise),
                    Money(tax_split.cgst_paise),
                    Money(tax_split.sgst_paise),
                ],
                [tr("Exempt goods (0 %)"), Money(t.exempt_paise), Money(0), Money(0)],
                [
                    tr("Total"),
                    Money(t.total_paise),
                    Money(tax_split.cgst_paise),
                    Money(tax_split.sgst_paise),
                ],
            ],
            totals=1,
            note=tr(
                "Composition tax is {composition_rate} of the turnover of taxable goods (0.5 % CGST + 0.5 % SGST), paid by the shop, not collected from customers."
            ).format(composition_rate=f"{tax.COMPOSITION_RATE} %"),
        ),
        _payable_section(report.payable, tr("Composition tax payable")),
        _turnover_section(report),
    ]


def _turnover_section(report: GstReport) -> Section:
    t = report.turnover
    return Section(
        tr("Turnover"),
        ["", tr("Amount")],
        [
            [tr("Sales"), Money(t.sales_paise)],
            [tr("Returns"), Money(-t.returns_paise)],
            [tr("Turnover this period"), Money(t.total_paise)],
            [
                tr("{financial_year} to date").format(financial_year=report.financial_year),
                Money(report.financial_year_turnover_paise),
            ],
        ],
    )


def gst_layout(report: GstReport) -> Layout:
    scheme = report.scheme
    if scheme == "regular":
        sections = _regular_sections(report)
    elif scheme == "composition":
        sections = _composition_sections(report)
    else:
        sections = [_turnover_section(report)]
        sections[0].note = tr(
            "Registration is required once a year's turnover passes {money} (₹20 lakh in special category states)."
        ).format(money=Money(tax.REGISTRATION_LIMIT_PAISE))
    if report.unclassified.lines:
        u = report.unclassified
        title = tr("Unclassified (bare amounts, at the shop's default rate)")
        if scheme == "regular":
            header = ["", tr("Entries"), tr("Taxable value"), "CGST", "SGST", tr("Value")]
            row = [tr("Unclassified"), u.lines, Money(u.taxable_paise), Money(u.cgst_paise)]
            row += [Money(u.sgst_paise), Money(u.value_paise)]
        else:
            header, row = (
                ["", tr("Entries"), tr("Value")],
                [tr("Unclassified"), u.lines, Money(u.value_paise)],
            )
        sections.append(Section(title, header, [row]))
    facts = provenance_facts(report)
    facts.insert(1, (tr("Scheme"), f"{scheme} ({tr(SCHEME_TITLES.get(scheme, scheme))})"))
    return Layout(
        title=tr("GST report {label}").format(label=report.period.label),
        facts=facts,
        sections=sections,
        warnings=[shown(warning) for warning in report.warnings],
    )
