"""`kirana export --format gstr1|gstr3b|cmp08`: the GST return files of a period, as JSON.

- gstr1: the GST portal's GSTR-1 JSON (offline-tool shape, field list in docs/accountant.md):
  `b2b` (invoice-wise, customers with a GSTIN), `cdnr` (their credit notes), `b2cs` (the rest,
  per rate, net of B2C credit notes), `nil` (0 % supplies, B2B and B2C), `hsn` (`hsn_b2b`,
  `hsn_b2c`: Table 12), `doc_issue` (Table 13, from the invoice series; voided = cancelled).
- gstr3b: Table 3.1 (`sup_details`): (a) outward taxable supplies, (c) nil rated and exempted.
- cmp08: a composition shop's quarterly statement: outward supplies (exempt included) and
  the 1 % tax on the taxable part, exact and payable.
Amounts are JSON numbers with two decimals; every figure is a sum of kirana.reports.gst splits.
"""

from __future__ import annotations

import shlex

from kirana.events import SALE
from kirana.i18n import tr
from kirana.io.gst_returns import (
    Document,
    ReturnPeriod,
    heads_json,
    hsn_rows,
    is_sale,
    need_registered,
    portal_date,
    quantity,
    rate,
    rupees,
    taxable,
    uqc,
)
from kirana.reports import tax
from kirana.reports.gst import Heads

DOC_TYPES = {SALE: (1, "Invoices for outward supply"), "return": (5, "Credit Note")}


def fp(data: ReturnPeriod) -> str:
    """The return period as the portal writes it: MMYYYY of the period's last month."""
    return data.period.last_day.strftime("%m%Y")


def gstr1(data: ReturnPeriod) -> dict:
    need_registered(data, "regular", "GSTR-1")
    b2b = [d for d in data.documents if d.gstin]
    b2c = [d for d in data.documents if not d.gstin]
    return {
        "gstin": data.shop["gstin"],
        "fp": fp(data),
        "b2b": _by_party(data, [d for d in b2b if is_sale(d)], note=False),
        "cdnr": _by_party(data, [d for d in b2b if not is_sale(d)], note=True),
        "b2cs": _b2cs(data, b2c),
        "nil": {"inv": [_nil("INTRAB2B", b2b), _nil("INTRAB2C", b2c)]},
        "hsn": {"hsn_b2b": _hsn(b2b), "hsn_b2c": _hsn(b2c)},
        "doc_issue": {"doc_det": _doc_issue(data)},
    }


def missing_hsn(data: ReturnPeriod) -> list[str]:
    """One warning per item sold or returned in the period without an HSN code (its row of the
    HSN summary, Table 12, has an empty hsn_sc), saying how to fix it."""
    from kirana.i18n import tr
    from kirana.reports.gst import UNCLASSIFIED

    names: dict[str, str] = {}
    for document in data.documents:
        for line, _, _ in document.entry.lines:
            name = line["name"]
            if not line.get("hsn") and name != UNCLASSIFIED:
                names.setdefault(name.lower(), name)
    message = tr(
        "item {name!r} has no HSN code, so its GSTR-1 HSN row (Table 12) has an empty hsn_sc:"
        " fill it in before filing, and give the item its code for later sales:"
        " kirana item set {quoted} --price PRICE --gst RATE --hsn CODE"
    )
    return [
        message.format(name=name, quoted=shlex.quote(name)) for _, name in sorted(names.items())
    ]


def _items(document: Document) -> list[dict]:
    rates = sorted((r for r in document.by_rate if taxable(r)), key=tax.rate_sort_key)
    return [
        {"num": index, "itm_det": {"rt": rate(r), **heads_json(document.by_rate[r])}}
        for index, r in enumerate(rates, start=1)
    ]


def _by_party(data: ReturnPeriod, documents: list[Document], *, note: bool) -> list[dict]:
    parties: dict[str, list[dict]] = {}
    for document in documents:
        items = _items(document)
        if not items:
            continue  # only nil-rated goods: Table 8, not Table 4 / 9B
        head = {
            "val": rupees(document.event.amount_paise),
            "pos": data.state_code,
            "rchrg": "N",
            "inv_typ": "R",
            "itms": items,
        }
        when = portal_date(document.event.occurred_at)
        if note:
            row = {"ntty": "C", "nt_num": document.number, "nt_dt": when, **head}
        else:
            row = {"inum": document.number, "idt": when, **head}
        parties.setdefault(document.gstin, []).append(row)
    key = "nt" if note else "inv"
    return [{"ctin": gstin, key: rows} for gstin, rows in sorted(parties.items())]


def _b2cs(data: ReturnPeriod, documents: list[Document]) -> list[dict]:
    net: dict[str, Heads] = {}
    for document in documents:
        for r, heads in document.by_rate.items():
            if taxable(r):
                total = net.setdefault(r, Heads())
                sign = 1 if is_sale(document) else -1
                total.value_paise += sign * heads.value_paise
                total.taxable_paise += sign * heads.taxable_paise
                total.cgst_paise += sign * heads.cgst_paise
                total.sgst_paise += sign * heads.sgst_paise
    return [
        {
            "sply_ty": "INTRA",
            "pos": data.state_code,
            "typ": "OE",
            "rt": rate(r),
            **heads_json(net[r]),
        }
        for r in sorted(net, key=tax.rate_sort_key)
    ]


def _nil(kind: str, documents: list[Document]) -> dict:
    total = 0
    for document in documents:
        sign = 1 if is_sale(document) else -1
        total += sum(sign * h.value_paise for r, h in document.by_rate.items() if not taxable(r))
    return {
        "sply_ty": kind,
        "nil_amt": rupees(total),
        "expt_amt": rupees(0),
        "ngsup_amt": rupees(0),
    }


def _hsn(documents: list[Document]) -> list[dict]:
    rows = []
    for index, row in enumerate(hsn_rows(documents), start=1):
        where = f"HSN {row.hsn or '(none)'}, {row.description}"
        rows.append(
            {
                "num": index,
                "hsn_sc": row.hsn,
                "desc": row.description[:30],
                "uqc": uqc(row.unit, where),
                "qty": quantity(row.qty),
                "rt": rate(row.rate),
                **heads_json(row.heads),
            }
        )
    return rows


def _doc_issue(data: ReturnPeriod) -> list[dict]:
    """Table 13: per document type and series, the first and last number, how many, how many
    cancelled (voided), and the net issued. Entries recorded before numbers are left out."""
    from kirana import invoices

    series: dict[tuple[str, str], list[tuple[int, str, bool]]] = {}
    for event in data.numbered:
        number = event.data.get(invoices.FIELD)
        if number is None:
            continue
        name, position = invoices.parse_number(number)
        series.setdefault((event.type, name), []).append(
            (position, number, event.seq in data.voided)
        )
    found = []
    for kind in (SALE, "return"):
        doc_num, doc_typ = DOC_TYPES[kind]
        docs = []
        for (_kind, _name), numbers in sorted(series.items()):
            if _kind != kind:
                continue
            numbers.sort()
            cancelled = sum(1 for *_, void in numbers if void)
            docs.append(
                {
                    "num": len(docs) + 1,
                    "from": numbers[0][1],
                    "to": numbers[-1][1],
                    "totnum": len(numbers),
                    "cancel": cancelled,
                    "net_issue": len(numbers) - cancelled,
                }
            )
        if docs:
            found.append({"doc_num": doc_num, "doc_typ": doc_typ, "docs": docs})
    return found


def gstr3b(data: ReturnPeriod) -> dict:
    """Table 3.1 of GSTR-3B: the report's net taxable supplies and its nil / exempt value."""
    need_registered(data, "regular", "GSTR-3B")
    report = data.report
    zero = {"txval": rupees(0), "iamt": rupees(0), "csamt": rupees(0)}
    nil = {"txval": rupees(report.exempt.value_paise)}
    return {
        "gstin": data.shop["gstin"],
        "ret_period": fp(data),
        "sup_details": {
            "osup_det": heads_json(report.net_total),
            "osup_zero": zero,
            "osup_nil_exmp": nil,
            "isup_rev": heads_json(Heads()),
            "osup_nongst": {"txval": rupees(0)},
        },
    }


_TAX = ("iamt", "camt", "samt", "csamt")


def cmp08(data: ReturnPeriod) -> dict:
    """CMP-08 Table 3 (outward supplies, exempt included, and the tax on them) for a quarter."""
    need_registered(data, "composition", "CMP-08")
    if data.period.kind != "quarter":
        from kirana.errors import InputError

        raise InputError(
            tr("CMP-08 is quarterly; give --period {year}-Q{value}").format(
                year=data.period.start.year, value=(data.period.start.month - 1) // 3 + 1
            )
        )
    from kirana.reports.period import financial_year_label, financial_year_quarter

    report = data.report
    tax = report.composition_tax
    payable = report.payable
    return {
        "gstin": data.shop["gstin"],
        "fy": financial_year_label(data.period.last_day).removeprefix("FY "),
        "qtr": financial_year_quarter(data.period.start)[-2:],
        "ret_period": fp(data),
        "outward": {
            "txval": rupees(report.turnover.total_paise),
            "taxable_turnover": rupees(report.turnover.taxable_paise),
            "exempt_turnover": rupees(report.turnover.exempt_paise),
            "iamt": rupees(0),
            "camt": rupees(tax.cgst_paise),
            "samt": rupees(tax.sgst_paise),
            "csamt": rupees(0),
        },
        "inward_rev": {"txval": rupees(0), **{k: rupees(0) for k in _TAX}},
        "tax_payable": {
            "camt": rupees(payable.cgst_paise),
            "samt": rupees(payable.sgst_paise),
            "iamt": rupees(0),
            "csamt": rupees(0),
        },
    }
