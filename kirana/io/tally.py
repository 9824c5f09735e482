"""`kirana export --format tally`: a TallyPrime import file (XML) for one period.

`ENVELOPE/HEADER/TALLYREQUEST` is `Import Data`; the body holds ledger masters, then vouchers:
- masters: each customer under Sundry Debtors (GSTIN and state when known; opening balance =
  dues at the start of the financial year), sales ledgers per GST rate (Sales Accounts), output
  CGST and SGST per rate (Duties & Taxes; only under the regular scheme in force on the period's
  last day: otherwise the whole value is sales), cash, UPI, card and bank collections, round
  off and the opening-dues adjustment;
- vouchers, in business-time order: Sales (the party, or the cash/UPI/card ledger), Credit Note
  (a return), Receipt (a payment) and Journal (opening dues). Each sums to zero in Tally's sign
  convention: a debit is negative with ISDEEMEDPOSITIVE Yes, a credit positive with No. A voided
  entry is a cancelled voucher (its number kept, no amounts). REMOTEID is `kirana-<event id>`,
  so importing a file again (or a later export of the same month) alters, never duplicates.
Ledger names come from DEFAULT_LEDGERS unless `shop set --tally-ledger KEY=NAME` renamed them.
Tax figures are the GST report's splits (kirana.io.gst_returns): one tax computation.
"""

from __future__ import annotations

from datetime import timedelta
from xml.sax.saxutils import escape, quoteattr

from kirana import catalog, customers, dates, queries
from kirana.events import OPENING_BALANCE, PAYMENT, RETURN, SALE
from kirana.io.gst_returns import ReturnPeriod, document_number, rupees, taxable
from kirana.reports import tax
from kirana.reports.gst import Heads
from kirana.reports.period import events_in, financial_year_start

FIXED_LEDGERS = {
    "cash": ("Cash", "Cash-in-Hand"),
    "upi": ("UPI Collections", "Bank Accounts"),
    "card": ("Card Collections", "Bank Accounts"),
    "bank": ("Bank", "Bank Accounts"),
    "roundoff": ("Round Off", "Indirect Expenses"),
    "opening": ("Khata Opening Dues", "Suspense A/c"),
}
METHOD_KEYS = {"cash": "cash", "upi": "upi", "card": "card", "cheque": "bank", "bank": "bank"}


def _rate_text(rate: str) -> str:
    return str(tax.rate_sort_key(rate).normalize()) if "." in rate else rate


def default_name(key: str) -> str:
    """The ledger a key names unless the shop renamed it: `sales@5` -> `Sales GST 5%`,
    `cgst@5` -> `Output CGST 2.5%`, `cash` -> `Cash`."""
    if key in FIXED_LEDGERS:
        return FIXED_LEDGERS[key][0]
    head, _, rate = key.partition("@")
    if head == "sales":
        return f"Sales GST {rate}%" if taxable(rate) else "Sales Exempt (0%)"
    half = _rate_text(str(tax.rate_sort_key(rate) / 2))
    return f"Output {head.upper()} {half}%"


class Ledgers:
    """Ledger names (the shop's mapping over the defaults) and the masters they need."""

    def __init__(self, mapping: dict, regular: bool = True):
        self.mapping = mapping
        self.regular = regular  # output tax ledgers only under the regular scheme
        self.used: dict[str, tuple[str, str]] = {}  # name -> (parent group, key)

    def name(self, key: str) -> str:
        name = self.mapping.get(key) or default_name(key)
        if key in FIXED_LEDGERS:
            parent = FIXED_LEDGERS[key][1]
        else:
            parent = "Sales Accounts" if key.startswith("sales@") else "Duties & Taxes"
        self.used.setdefault(name, (parent, key))
        return name


def _amount(paise: int) -> str:
    return rupees(paise).text


def _entry(ledger: str, paise: int) -> str:
    """One ALLLEDGERENTRIES.LIST line: `paise` positive = debit (Tally: negative, deemed
    positive), negative = credit."""
    deemed = "Yes" if paise > 0 else "No"
    return (
        "<ALLLEDGERENTRIES.LIST>"
        f"<LEDGERNAME>{escape(ledger)}</LEDGERNAME>"
        f"<ISDEEMEDPOSITIVE>{deemed}</ISDEEMEDPOSITIVE>"
        f"<AMOUNT>{_amount(-paise)}</AMOUNT>"
        "</ALLLEDGERENTRIES.LIST>"
    )


def _party(conn, name: str | None, cache: dict) -> str | None:
    """A customer's ledger: their name now (a former or merged-away name finds them)."""
    if name is None:
        return None
    if name not in cache:
        row = customers.find_exact(conn, name)
        cache[name] = row.name if row else name
    return cache[name]


def _tax_lines(ledgers: Ledgers, by_rate: dict[str, Heads], sign: int) -> list[tuple[str, int]]:
    """Sales and output tax postings of a document's splits; sign -1 credits them (a sale).
    A shop not under the regular scheme collects no tax: the whole value is sales."""
    lines = []
    for rate in sorted(by_rate, key=tax.rate_sort_key):
        heads = by_rate[rate]
        if not ledgers.regular:
            lines.append((ledgers.name(f"sales@{rate}"), sign * heads.value_paise))
            continue
        lines.append((ledgers.name(f"sales@{rate}"), sign * heads.taxable_paise))
        if heads.cgst_paise or heads.sgst_paise:
            lines.append((ledgers.name(f"cgst@{rate}"), sign * heads.cgst_paise))
            lines.append((ledgers.name(f"sgst@{rate}"), sign * heads.sgst_paise))
    return lines


def _postings(event, by_rate, party: str | None, ledgers: Ledgers) -> tuple[str, list]:
    """(voucher type, [(ledger, paise debit-positive)]) of a live entry; sums to zero."""
    data, amount = event.data, event.amount_paise
    if event.type == SALE:
        debit = party if data["method"] == "credit" else ledgers.name(data["method"])
        return "Sales", [(debit, amount), *_tax_lines(ledgers, by_rate, -1)]
    if event.type == RETURN:
        settled = data["settlement"]
        credit = party if settled == "khata" else ledgers.name(settled)
        return "Credit Note", [*_tax_lines(ledgers, by_rate, 1), (credit, -amount)]
    if event.type == PAYMENT:
        cash = ledgers.name(METHOD_KEYS[data["method"]])
        return "Receipt", [(cash, amount), (party, -amount)]
    return "Journal", [(party, amount), (ledgers.name("opening"), -amount)]


def _voucher_number(event) -> str:
    if event.type in (SALE, RETURN):
        return document_number(event)
    return f"{'RCT' if event.type == PAYMENT else 'JV'}/{event.seq}"


def tally_xml(ledger, data: ReturnPeriod) -> tuple[str, int]:
    """The import file's text and how many vouchers it holds."""
    conn = ledger.conn
    shop = data.shop
    settings = catalog.shop_settings_on(conn, data.period.last_day, data.known_seq)
    ledgers = Ledgers(dict(settings.get("tally_ledgers") or {}), data.report.scheme == "regular")
    by_seq = {document.event.seq: document.by_rate for document in data.documents}
    kinds = (SALE, RETURN, PAYMENT, OPENING_BALANCE)
    events = list(events_in(ledger, data.period.start, data.period.end, kinds, data.known_seq))
    parties: dict[str, str | None] = {}
    vouchers = []
    for event in events:
        party = _party(conn, event.customer, parties)
        number = _voucher_number(event)
        cancelled = event.seq in data.voided
        kind = {SALE: "Sales", RETURN: "Credit Note", PAYMENT: "Receipt"}.get(event.type, "Journal")
        lines: list = []
        if not cancelled:
            kind, lines = _postings(event, by_seq.get(event.seq, {}), party, ledgers)
            lines = [(name, paise) for name, paise in lines if paise or name == party]
        day = dates.business_date(event.occurred_at).strftime("%Y%m%d")
        narration = f"kirana entry {event.seq}" + (" (voided)" if cancelled else "")
        party_tag = f"<PARTYLEDGERNAME>{escape(party)}</PARTYLEDGERNAME>" if party else ""
        vouchers.append(
            f"<TALLYMESSAGE><VOUCHER REMOTEID={quoteattr('kirana-' + event.id)}"
            f' VCHTYPE={quoteattr(kind)} ACTION="Create">'
            f"<DATE>{day}</DATE><VOUCHERTYPENAME>{escape(kind)}</VOUCHERTYPENAME>"
            f"<VOUCHERNUMBER>{escape(number)}</VOUCHERNUMBER>{party_tag}"
            f"<NARRATION>{escape(narration)}</NARRATION>"
            f"<ISCANCELLED>{'Yes' if cancelled else 'No'}</ISCANCELLED>"
            + "".join(_entry(name, paise) for name, paise in lines)
            + "</VOUCHER></TALLYMESSAGE>"
        )
    for key in ("cash", "upi", "card", "bank", "roundoff", "opening"):
        ledgers.name(key)
    masters = _party_masters(ledger, data, parties) + [
        _master(name, parent, _duty(key)) for name, (parent, key) in ledgers.used.items()
    ]
    company = f"<SVCURRENTCOMPANY>{escape(shop['name'])}</SVCURRENTCOMPANY>" if shop["name"] else ""
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<ENVELOPE>\n<HEADER><TALLYREQUEST>Import Data</TALLYREQUEST></HEADER>\n<BODY>\n"
        "<IMPORTDATA>\n<REQUESTDESC><REPORTNAME>All Masters</REPORTNAME>"
        f"<STATICVARIABLES>{company}</STATICVARIABLES></REQUESTDESC>\n<REQUESTDATA>\n"
        + "\n".join(masters + vouchers)
        + "\n</REQUESTDATA>\n</IMPORTDATA>\n</BODY>\n</ENVELOPE>\n"
    )
    return text, len(vouchers)


def _duty(key: str) -> str:
    """An output tax ledger is a GST duty ledger: Central Tax (CGST) or State Tax (SGST)."""
    head = {"cgst": "Central Tax", "sgst": "State Tax"}.get(key.partition("@")[0])
    return f"<TAXTYPE>GST</TAXTYPE><GSTDUTYHEAD>{head}</GSTDUTYHEAD>" if head else ""


def _master(name: str, parent: str, extra: str = "") -> str:
    return (
        f'<TALLYMESSAGE><LEDGER NAME={quoteattr(name)} ACTION="Create">'
        f"<NAME.LIST><NAME>{escape(name)}</NAME></NAME.LIST>"
        f"<PARENT>{escape(parent)}</PARENT>{extra}</LEDGER></TALLYMESSAGE>"
    )


def _party_masters(ledger, data: ReturnPeriod, parties: dict) -> list[str]:
    """Every customer (as known) under Sundry Debtors, with GSTIN, state and the dues at the
    start of the financial year as opening balance (a debit: negative)."""
    from kirana.io.gst_returns import Parties

    conn = ledger.conn
    gstins = Parties(ledger, data.known_seq)
    fy_start = financial_year_start(data.period.start)
    before = dates.as_of_bound_for_day(fy_start - timedelta(days=1))
    rows = conn.execute(
        "SELECT id, name FROM customers WHERE merged_into IS NULL"
        + (" AND id <= ?" if data.known_seq is not None else "")
        + " ORDER BY id",
        (data.known_seq,) if data.known_seq is not None else (),
    ).fetchall()
    masters = []
    for customer_id, name in rows:
        gstin = gstins.gstin(name, 2**62)
        opening = queries.balance(conn, customer_id, as_of=before, known_at=data.known_at)
        state = catalog.GST_STATES.get(gstin[:2]) if gstin else data.shop["state"]
        extra = f"<OPENINGBALANCE>{_amount(-opening)}</OPENINGBALANCE>"
        extra += (
            f"<ISBILLWISEON>Yes</ISBILLWISEON><LEDSTATENAME>{escape(state or '')}</LEDSTATENAME>"
        )
        if gstin:
            extra += "<GSTREGISTRATIONTYPE>Regular</GSTREGISTRATIONTYPE>"
            extra += f"<PARTYGSTIN>{gstin}</PARTYGSTIN>"
        else:
            extra += "<GSTREGISTRATIONTYPE>Unregistered/Consumer</GSTREGISTRATIONTYPE>"
        masters.append(_master(name, "Sundry Debtors", extra))
    return masters
