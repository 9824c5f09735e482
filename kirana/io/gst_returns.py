"""What the return files (GSTR-1, GSTR-3B, CMP-08) and the Tally export share: the period's
taxed entries grouped as documents, B2B or B2C, the GST unit codes, and numbers written exactly.

The figures are kirana.reports.gst's (one tax computation): `gst.taxed_entries` splits every
line once; the files only group those splits (by invoice, by rate, by HSN code), so their sums
equal `kirana report gst` to the paisa. A sale or return is B2B when its customer carried a
GSTIN when it was recorded (`customer add/update --gstin`); everything else is B2C.
Every supply is intra-state (the shop's own state is the place of supply: a counter shop), so
IGST is nil and B2C large (inter-state, invoice-wise) never arises.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal

from kirana import catalog, dates, invoices, queries
from kirana.errors import InputError
from kirana.events import CUSTOMER_ADDED, CUSTOMER_UPDATED, SALE
from kirana.i18n import tr
from kirana.reports import tax
from kirana.reports.gst import GstReport, Heads, HsnRow, TaxedEntry, add_hsn, gst_report
from kirana.reports.gst import taxed_entries as gst_taxed_entries
from kirana.reports.period import Period, parse_period, snapshot
from kirana.reports.tax import TaxSplit

# GST unit quantity codes (the portal's UQC list) for the units a shop types.
UQC = {
    "kg": "KGS",
    "kgs": "KGS",
    "g": "GMS",
    "gm": "GMS",
    "gms": "GMS",
    "gram": "GMS",
    "grams": "GMS",
    "quintal": "QTL",
    "qtl": "QTL",
    "tonne": "TON",
    "ton": "TON",
    "l": "LTR",
    "ltr": "LTR",
    "litre": "LTR",
    "liter": "LTR",
    "ml": "MLT",
    "kl": "KLR",
    "pcs": "PCS",
    "pc": "PCS",
    "piece": "PCS",
    "pieces": "PCS",
    "nos": "NOS",
    "no": "NOS",
    "unit": "UNT",
    "units": "UNT",
    "dozen": "DOZ",
    "doz": "DOZ",
    "pack": "PAC",
    "packet": "PAC",
    "pkt": "PAC",
    "box": "BOX",
    "bottle": "BTL",
    "btl": "BTL",
    "bag": "BAG",
    "bundle": "BDL",
    "can": "CAN",
    "carton": "CTN",
    "pair": "PRS",
    "set": "SET",
    "roll": "ROL",
    "tube": "TUB",
    "tin": "TIN",
    "m": "MTR",
    "mtr": "MTR",
    "metre": "MTR",
    "cm": "CMS",
    "sqm": "SQM",
    "": "OTH",  # a bare amount (no items): "others"
}


def uqc(unit: str, where: str) -> str:
    """The GST unit code of a unit as stored; an unknown unit is an error naming where."""
    code = UQC.get(unit.strip().lower())
    if code is None:
        known = ", ".join(sorted(key for key in UQC if key))
        raise InputError(
            tr(
                "unit {unit!r} ({where}) has no GST unit code (UQC); kirana knows {known}. Record the item with one of these units (kirana item set NAME --unit kg)"
            ).format(unit=unit, where=where, known=known)
        )
    return code


# ---- numbers written exactly ---------------------------------------------------------------
class Number:
    """A JSON number written as given (`9.52`, `100.00`, `0.25`): no float ever."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def rupees(paise: int) -> Number:
    """Paise as a JSON number of rupees with two decimals: 952 -> 9.52, -800 -> -8.00."""
    sign = "-" if paise < 0 else ""
    whole, part = divmod(abs(paise), 100)
    return Number(f"{sign}{whole}.{part:02d}")


def rate(text: str) -> Number:
    return Number(str(Decimal(text).normalize()) if Decimal(text) % 1 else str(int(Decimal(text))))


def quantity(value: Decimal) -> Number:
    return Number(f"{value.quantize(Decimal('0.001'))}".rstrip("0").rstrip(".") or "0")


def to_json(value, indent: int = 0) -> str:
    """JSON text of dicts, lists, str, int, bool and Number (written as is), indented."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, Number):
        return value.text
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{to_json(str(k))}: {to_json(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + to_json(v, indent + 1) for v in value) + f"\n{pad}]"
    import json

    return json.dumps(value, ensure_ascii=False)


# ---- documents ---------------------------------------------------------------------------------
def document_number(event) -> str:
    """A sale's invoice or a return's credit note number; an entry recorded before numbers
    (schema 1 or 2) is `ENTRY-<seq>`, which no series uses."""
    return event.data.get(invoices.FIELD) or f"ENTRY-{event.seq}"


def portal_date(occurred_at: str) -> str:
    """dd-mm-yyyy of the business date, as the portal writes dates."""
    return dates.business_date(occurred_at).strftime("%d-%m-%Y")


@dataclass
class Document:
    """One live sale or return of the period: its number, date, party and splits by rate."""

    entry: TaxedEntry
    gstin: str | None  # the customer's GSTIN when it was recorded: B2B
    by_rate: dict[str, Heads] = field(default_factory=dict)

    @property
    def event(self):
        return self.entry.event

    @property
    def number(self) -> str:
        return document_number(self.entry.event)


class Parties:
    """Customers' GSTINs as they stood at each entry (names are never reused, so a name
    finds one customer for ever)."""

    def __init__(self, ledger, known_seq: int | None):
        self.ids: dict[str, int] = {}
        self.history: dict[int, list[tuple[int, str]]] = {}
        where = "type IN (?, ?)" + (" AND seq <= ?" if known_seq is not None else "")
        params = (CUSTOMER_ADDED, CUSTOMER_UPDATED) + (
            (known_seq,) if known_seq is not None else ()
        )
        for event in ledger.iter_events(where, params):
            data = event.data
            if event.type == CUSTOMER_ADDED:
                self.ids[event.customer.lower()] = event.seq
            customer_id = self.ids[event.customer.lower()]
            if "name" in data:
                self.ids[data["name"].lower()] = customer_id
            if "gstin" in data:
                self.history.setdefault(customer_id, []).append((event.seq, data["gstin"]))

    def gstin(self, name: str | None, seq: int) -> str | None:
        if name is None:
            return None
        found = self.history.get(self.ids.get(name.lower(), -1), [])
        at = bisect.bisect_left(found, (seq, ""))
        return found[at - 1][1] if at else None


@dataclass
class ReturnPeriod:
    """Everything the files of one period need, read in one snapshot."""

    period: Period
    report: GstReport
    documents: list[Document]
    numbered: list  # every sale and return of the period, voided ones too (Table 13)
    voided: set[int]
    known_seq: int | None
    state_code: str
    known_at: str | None = None

    @property
    def shop(self) -> dict:
        return self.report.shop


def read_period(ledger, text: str | None, known_at: str | None, *, what: str) -> ReturnPeriod:
    """The period's report and documents, as known at `known_at` (a recorded_at bound)."""
    if not text:
        raise InputError(
            tr("{what} needs --period: a month like 2025-09 or a quarter like 2025-Q3").format(
                what=what
            )
        )
    period = parse_period(text, allow_quarter=True)
    with snapshot(ledger):
        known_seq = queries.known_at_seq(ledger.conn, known_at) if known_at else None
        report = gst_report(ledger, period.label, known_seq)
        parties = Parties(ledger, known_seq)
        documents = []
        for entry in gst_taxed_entries(ledger, period, known_seq):
            document = Document(entry, parties.gstin(entry.event.customer, entry.event.seq))
            for _line, line_rate, split in entry.lines:
                document.by_rate.setdefault(line_rate, Heads()).add(split)
            documents.append(document)
        from kirana.reports.period import events_in, voided_targets

        voided = set(voided_targets(ledger.conn, known_seq))
        numbered = list(events_in(ledger, period.start, period.end, ("sale", "return"), known_seq))
    return ReturnPeriod(
        period, report, documents, numbered, voided, known_seq, _state_code(report), known_at
    )


def _state_code(report: GstReport) -> str:
    shop = report.shop
    code = shop["gstin"][:2] if shop["gstin"] else catalog.state_code(shop["state"] or "")
    return code or ""


def need_registered(data: ReturnPeriod, scheme: str, what: str) -> None:
    """The files a scheme files: GSTR-1/3B for regular, CMP-08 for composition."""
    if not data.shop["gstin"]:
        raise InputError(
            tr("{what} needs the shop's GSTIN; kirana shop set --gstin GSTIN").format(what=what)
        )
    if data.report.scheme != scheme:
        files = {"regular": "GSTR-1 and GSTR-3B", "composition": "CMP-08 (quarterly)"}
        hint = files.get(data.report.scheme, "no GST return")
        raise InputError(
            tr(
                "the shop's GST scheme on {day} is '{scheme}', which files {hint}, not {what}; kirana shop set --scheme sets it"
            ).format(
                day=data.period.last_day.isoformat(),
                scheme=data.report.scheme,
                hint=hint,
                what=what,
            )
        )


def heads_json(heads: Heads | TaxSplit, *, value: bool = False) -> dict:
    """txval, iamt, camt, samt, csamt of some splits (IGST and cess are nil)."""
    found = {
        "txval": rupees(heads.taxable_paise),
        "iamt": rupees(0),
        "camt": rupees(heads.cgst_paise),
        "samt": rupees(heads.sgst_paise),
        "csamt": rupees(0),
    }
    return {"val": rupees(heads.total_paise), **found} if value else found


def taxable(rate_text: str) -> bool:
    return tax.rate_sort_key(rate_text) > 0


def hsn_rows(documents: list[Document]) -> list[HsnRow]:
    """The HSN summary (net of credit notes) of some documents, as `report gst` builds it."""
    from kirana.reports.gst import sorted_hsn

    rows: dict = {}
    for document in documents:
        for line, line_rate, split in document.entry.lines:
            add_hsn(rows, line, line_rate, split, document.entry.sign)
    return sorted_hsn(rows)


def is_sale(document: Document) -> bool:
    return document.event.type == SALE
