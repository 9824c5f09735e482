"""The GST report's figures (docs/gst.md) under the shop's scheme in force: render-free data only.

- regular: per-rate slabs (taxable value, CGST, SGST, invoice value) of sales, less returns as
  credit notes in the month of the return; nil/exempt (0 %) supplies; HSN summary; GSTR-1
  Table 7 (B2CS) and GSTR-3B 3.1(a)/(c); tax payable rounded to the rupee (s.170) beside the
  exact paise. Intra-state supplies only (a counter shop), so IGST is zero.
- composition: the CMP-08 figures: turnover of taxable goods, exempt turnover, 1 % tax.
- unregistered: turnover only.
All tax arithmetic is in tax.py. Each line is taxed at the rate stored on the event (what was
charged), never at today's catalog rate. Sales and returns with a bare amount (no items) are
"unclassified": taxed at the shop's default rate in force on their date, with a warning.
The scheme is the one in force on the period's last day; a change inside the period is warned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kirana.events import RETURN, SALE, Event, upcast
from kirana.i18n import Message, marked
from kirana.money import format_rupees
from kirana.reports import tax
from kirana.reports.period import (
    Period,
    business_day_reader,
    events_in,
    financial_year_label,
    financial_year_start,
    parse_period,
    provenance,
    shop_info,
    snapshot,
    voided_targets,
)
from kirana.reports.tax import TaxSplit
from kirana.rules.closed_periods import CloseReport, close_warnings, closes_of

UNCLASSIFIED = "unclassified"


@dataclass
class Heads:
    """Value, taxable value, CGST and SGST of some lines (value = taxable + CGST + SGST)."""

    value_paise: int = 0
    taxable_paise: int = 0
    cgst_paise: int = 0
    sgst_paise: int = 0
    lines: int = 0

    def add(self, split: TaxSplit, sign: int = 1) -> None:
        self.value_paise += sign * split.total_paise
        self.taxable_paise += sign * split.taxable_paise
        self.cgst_paise += sign * split.cgst_paise
        self.sgst_paise += sign * split.sgst_paise
        self.lines += 1

    def minus(self, other: Heads) -> Heads:
        return Heads(
            self.value_paise - other.value_paise,
            self.taxable_paise - other.taxable_paise,
            self.cgst_paise - other.cgst_paise,
            self.sgst_paise - other.sgst_paise,
            self.lines + other.lines,
        )

    @property
    def tax_paise(self) -> int:
        return self.cgst_paise + self.sgst_paise


@dataclass
class Slab:
    rate: str
    sales: Heads
    credit_notes: Heads

    @property
    def net(self) -> Heads:
        return self.sales.minus(self.credit_notes)


@dataclass
class HsnRow:
    hsn: str
    description: str
    unit: str
    rate: str
    qty: Decimal
    heads: Heads
    names: set[str] = field(default_factory=set, repr=False)


@dataclass
class Payable:
    """Tax payable on outward supplies (before input tax credit), exact and rounded (s.170)."""

    cgst_exact_paise: int
    sgst_exact_paise: int

    @property
    def cgst_paise(self) -> int:
        """Rounded to the rupee; never below nil (credit notes beyond sales carry forward)."""
        return tax.round_to_rupee(max(self.cgst_exact_paise, 0))

    @property
    def sgst_paise(self) -> int:
        return tax.round_to_rupee(max(self.sgst_exact_paise, 0))

    @property
    def carried_forward_paise(self) -> int:
        """Tax on credit notes beyond this period's sales: nothing to pay, and a credit."""
        return max(-self.cgst_exact_paise, 0) + max(-self.sgst_exact_paise, 0)

    @property
    def total_exact_paise(self) -> int:
        return self.cgst_exact_paise + self.sgst_exact_paise

    @property
    def total_paise(self) -> int:
        return self.cgst_paise + self.sgst_paise


@dataclass
class Turnover:
    """Sales less returns, split by whether the goods are taxable or nil/exempt (0 %)."""

    taxable_paise: int = 0
    exempt_paise: int = 0
    sales_paise: int = 0
    returns_paise: int = 0

    @property
    def total_paise(self) -> int:
        return self.taxable_paise + self.exempt_paise


@dataclass
class GstReport:
    period: Period
    shop: dict
    scheme: str
    head: dict
    generated_at: str
    turnover: Turnover
    slabs: list[Slab]
    hsn: list[HsnRow]
    unclassified: Heads
    financial_year: str
    financial_year_turnover_paise: int
    composition_tax: TaxSplit | None = None
    warnings: list[str] = field(default_factory=list)
    closes: list[CloseReport] = field(default_factory=list)  # closes covering the period

    @property
    def taxable_slabs(self) -> list[Slab]:
        return [s for s in self.slabs if tax.rate_sort_key(s.rate) > 0]

    @property
    def exempt(self) -> Heads:
        zero = [s.net for s in self.slabs if tax.rate_sort_key(s.rate) == 0]
        return zero[0] if zero else Heads()

    @property
    def net_total(self) -> Heads:
        total = Heads()
        for slab in self.taxable_slabs:
            net = slab.net
            total.add(TaxSplit(net.taxable_paise, net.cgst_paise, net.sgst_paise))
        return total

    @property
    def payable(self) -> Payable:
        if self.scheme == "composition" and self.composition_tax is not None:
            return Payable(self.composition_tax.cgst_paise, self.composition_tax.sgst_paise)
        if self.scheme == "regular":
            total = self.net_total
            return Payable(total.cgst_paise, total.sgst_paise)
        return Payable(0, 0)


def gst_report(ledger, text: str, known_seq: int | None = None) -> GstReport:
    """Compute the GST report for 'YYYY-MM' or 'YYYY-Qn' from the ledger (as known at entry
    `known_seq`, when given: later entries and voids are left out)."""
    period = parse_period(text, allow_quarter=True)
    with snapshot(ledger):
        return _compute(ledger, period, known_seq)


@dataclass
class TaxedEntry:
    """One live sale (sign 1) or return (sign -1) of the period with its taxed lines: (line,
    rate, split). The one tax computation: the report sums these; the return files
    (kirana.io.gst_returns) group them by invoice and by B2B / B2C."""

    event: Event
    sign: int
    lines: list[tuple[dict, str, TaxSplit]]
    bare: bool


def taxed_entries(ledger, period: Period, known_seq: int | None = None) -> Iterator[TaxedEntry]:
    """The period's live sales and returns, in business-time order, each line split."""
    conn = ledger.conn
    voided = voided_targets(conn, known_seq)
    default_rates: dict = {}
    day_of = business_day_reader()
    for raw in events_in(ledger, period.start, period.end, (SALE, RETURN), known_seq):
        if raw.seq in voided:
            continue
        event = upcast(raw)
        day = day_of(event.occurred_at)
        if day not in default_rates:
            default_rates[day] = shop_info(conn, _date(day), known_seq)["default_gst_rate"]
        lines, bare = _line_rate_and_lines(ledger, event, default_rates[day])
        taxed = [
            (line, rate, tax.split_inclusive(line["total_paise"], rate)) for line, rate in lines
        ]
        yield TaxedEntry(event, 1 if event.type == SALE else -1, taxed, bare)


def entry_splits(ledger, event, default_rate: str) -> list[TaxSplit]:
    """The tax splits of one sale or return's lines (as the report takes them), for the
    journals' output tax postings."""
    lines, _bare = _line_rate_and_lines(ledger, event, default_rate)
    return [tax.split_inclusive(line["total_paise"], rate) for line, rate in lines]


def _line_rate_and_lines(ledger, event, default_rate: str) -> tuple[list[tuple[dict, str]], bool]:
    """[(line, rate)] of a sale or return; a bare amount becomes one unclassified line.

    A bare-amount return against an itemised sale whose lines share one rate and HSN takes
    that rate and HSN (the credit note follows the invoice); otherwise it is unclassified."""
    items = event.data.get("items")
    if items:
        return [(line, str(line.get("gst_rate", default_rate))) for line in items], False
    line = {"name": UNCLASSIFIED, "qty": "0", "unit": "", "hsn": "", "total_paise": 0}
    line["total_paise"] = event.amount_paise
    against = event.data.get("against") if event.type == RETURN else None
    sale = ledger.get(against) if against else None
    sale_items = sale.data.get("items") if sale is not None else None
    if sale_items:
        charged = {
            (str(i.get("gst_rate", default_rate)), i.get("hsn") or "", i.get("unit") or "")
            for i in sale_items
        }
        if len(charged) == 1:
            rate, code, unit = charged.pop()
            names = {i["name"] for i in sale_items}
            name = names.pop() if len(names) == 1 else f"return against #{against}"
            return [({**line, "name": name, "hsn": code, "unit": unit}, rate)], False
    return [(line, default_rate)], True


def _compute(ledger, period: Period, known_seq: int | None) -> GstReport:
    conn = ledger.conn
    shop = shop_info(conn, period.last_day, known_seq)
    scheme = shop["scheme"]
    sales: dict[str, Heads] = defaultdict(Heads)
    notes: dict[str, Heads] = defaultdict(Heads)
    hsn: dict[tuple[str, str, str], HsnRow] = {}
    unclassified = Heads()
    turnover = Turnover()
    taxable_rates: dict[str, bool] = {}
    for entry in taxed_entries(ledger, period, known_seq):
        sign = entry.sign
        if sign > 0:
            turnover.sales_paise += entry.event.amount_paise
        else:
            turnover.returns_paise += entry.event.amount_paise
        for line, rate, split in entry.lines:
            (sales if sign > 0 else notes)[rate].add(split)
            if entry.bare:
                unclassified.add(split, sign)
            if rate not in taxable_rates:
                taxable_rates[rate] = tax.rate_sort_key(rate) > 0
            if taxable_rates[rate]:
                turnover.taxable_paise += sign * line["total_paise"]
            else:
                turnover.exempt_paise += sign * line["total_paise"]
            add_hsn(hsn, line, rate, split, sign)
    rates = sorted(set(sales) | set(notes), key=tax.rate_sort_key)
    slabs = [Slab(rate, sales.get(rate, Heads()), notes.get(rate, Heads())) for rate in rates]
    fy_turnover = _financial_year_turnover(ledger, period, known_seq)
    meta = provenance(ledger, known_seq)
    report = GstReport(
        period=period,
        shop=shop,
        scheme=scheme,
        head=meta["head"],
        generated_at=meta["generated_at"],
        turnover=turnover,
        slabs=slabs,
        hsn=sorted_hsn(hsn),
        unclassified=unclassified,
        financial_year=financial_year_label(period.last_day),
        financial_year_turnover_paise=fy_turnover,
    )
    if scheme == "composition":
        report.composition_tax = tax.tax_on_turnover(turnover.taxable_paise)
    report.warnings = _warnings(conn, report, known_seq)
    report.closes = closes_of(ledger, period, known_seq)
    report.warnings += close_warnings(report.closes, f"report gst {period.label}")
    return report


def sorted_hsn(rows: dict) -> list[HsnRow]:
    """HSN rows as the report lists them: by code (rows without one last), then rate."""
    return sorted(rows.values(), key=lambda r: (r.hsn or "~", tax.rate_sort_key(r.rate)))


def _date(day: str) -> date:
    return date.fromisoformat(day)


def add_hsn(hsn: dict, line: dict, rate: str, split: TaxSplit, sign: int) -> None:
    code = line.get("hsn") or ""
    unit = line.get("unit") or ""
    key = (code, unit, rate)
    row = hsn.get(key)
    name = line["name"]
    if row is None:
        description = name if code or name == UNCLASSIFIED else "(no HSN)"
        row = hsn[key] = HsnRow(code, description, unit, rate, Decimal(0), Heads())
        row.names = {name.lower()}
    elif code and len(row.description) < 40 and name.lower() not in row.names:
        row.names.add(name.lower())
        row.description += ", " + name
    row.qty += sign * Decimal(line.get("qty") or 0)
    row.heads.add(split, sign)


def _financial_year_turnover(ledger, period: Period, known_seq: int | None = None) -> int:
    """Sales less returns from 1 April of the period's financial year to the period's end
    (the daily_sales read model: voided entries already taken out; as known at `known_seq`,
    the entries themselves)."""
    start = financial_year_start(period.last_day)
    if known_seq is not None:
        year = Period("", "", start, period.end)
        return sum(e.sign * e.event.amount_paise for e in taxed_entries(ledger, year, known_seq))
    row = ledger.conn.execute(
        "SELECT coalesce(sum(sales_paise - returns_paise), 0) FROM daily_sales"
        " WHERE day >= ? AND day < ?",
        (start.isoformat(), period.end.isoformat()),
    ).fetchone()
    return row[0]


def _warnings(conn, report: GstReport, known_seq: int | None = None) -> list[str]:
    warnings = []
    period, shop = report.period, report.shop
    schemes = {shop_info(conn, day, known_seq)["scheme"] for day in period.days()}
    if len(schemes) > 1:
        warnings.append(
            Message(
                "the GST scheme changed during {period} ({schemes}); this report uses"
                " '{scheme}', in force on {day}; run it month by month around the change",
                period=period.label,
                schemes=", ".join(sorted(schemes)),
                scheme=report.scheme,
                day=period.last_day.isoformat(),
            )
        )
    if report.unclassified.lines and report.scheme != "unregistered":
        warnings.append(
            Message(
                "{count} sale/return entries with a bare amount ({amount} net) have no items;"
                " they are taxed as '{unclassified}' at the shop's default rate ({rate} %);"
                " record items to classify them",
                count=report.unclassified.lines,
                amount=format_rupees(report.unclassified.value_paise),
                unclassified=UNCLASSIFIED,
                rate=shop["default_gst_rate"],
            )
        )
    if report.scheme in ("regular", "composition") and not shop["gstin"]:
        warnings.append(Message("the shop's GSTIN is not set; kirana shop set --gstin GSTIN"))
    fy = report.financial_year_turnover_paise
    limit = {
        "composition": (tax.COMPOSITION_LIMIT_PAISE, Message("the composition limit")),
        "unregistered": (tax.REGISTRATION_LIMIT_PAISE, Message("the GST registration threshold")),
    }.get(report.scheme)
    if limit and tax.near_limit(fy, limit[0]):
        template = (
            marked("{year} turnover so far {amount} is over {limit} of {limit_amount} a year")
            if fy > limit[0]
            else marked(
                "{year} turnover so far {amount} is nearing {limit} of {limit_amount} a year"
            )
        )
        warnings.append(
            Message(
                template,
                year=report.financial_year,
                amount=format_rupees(fy),
                limit=limit[1],
                limit_amount=format_rupees(limit[0]),
            )
        )
    if report.scheme == "regular" and report.payable.total_exact_paise < 0:
        warnings.append(
            Message("credit notes exceed sales this period: the tax figures are negative")
        )
    return warnings
