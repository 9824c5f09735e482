"""Double-entry journals for the accountant's tools: hledger/ledger-cli and beancount.

Accounts:
- `Assets:Khata:<Customer>` one per customer (the dues they owe the shop);
- `Assets:Cash`, `Assets:UPI`, `Assets:Card`, `Assets:Bank` (cheque and bank transfer);
- `Income:Sales`, `Income:Sales-Returns` (goods taken back), `Equity:Opening-Balances`
  (dues carried over from the paper khata);
- `Liabilities:GST:Output-CGST`, `Liabilities:GST:Output-SGST`: the tax inside the prices of a
  shop under the regular scheme that day (kirana.reports.gst splits, line by line), so
  `hledger bal CGST` for a month is the GST report's CGST (a credit: negative).
Postings: credit sale Khata+ / Sales- (taxable value) / Output-CGST- / Output-SGST-; cash-type
sale Cash+ / the same; payment Cash+ / Khata-; return Sales-Returns+ / Output taxes+ / Khata-
(or Cash-/UPI-); opening Khata+ / Opening-Balances-.

Customer account names: hledger and ledger-cli take any Unicode, so their journal keeps the
customer's own name (Devanagari included): spaces collapsed, `:` (the account separator) and
`;` (a comment) written as `-` and `,`. Beancount needs `[A-Z][A-Za-z0-9-]*` components: the
ASCII letters and digits of the name, each word capitalised, joined by `-` (`Priya Madam` ->
`Priya-Madam`); a name with no ASCII letters becomes `Customer-<id>`, with the real name as
`name:` metadata on its `open`. A clash with an earlier customer (by id) gets `-<id>` appended.
Every name a customer ever had maps to the same account. Voided entries and their voids are
left out (they cancel). Each transaction is dated by its business date (a bare date as is);
amounts are rupees with two decimals in commodity INR.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

from kirana import dates
from kirana.events import OPENING_BALANCE, PAYMENT, RETURN, SALE, Event, upcast
from kirana.money import rupees_str
from kirana.queries import describe
from kirana.reports.gst import entry_splits
from kirana.reports.period import shop_info
from kirana.reports.tax import TaxSplit
from kirana.store import Ledger

CASH_ACCOUNTS = {
    "cash": "Assets:Cash",
    "upi": "Assets:UPI",
    "card": "Assets:Card",
    "cheque": "Assets:Bank",
    "bank": "Assets:Bank",
}
SALES = "Income:Sales"
RETURNS = "Income:Sales-Returns"
OPENING = "Equity:Opening-Balances"
CGST = "Liabilities:GST:Output-CGST"
SGST = "Liabilities:GST:Output-SGST"
FIXED_ACCOUNTS = (*sorted(set(CASH_ACCOUNTS.values())), SALES, RETURNS, OPENING, CGST, SGST)
KINDS = (SALE, PAYMENT, RETURN, OPENING_BALANCE)


def account_component(name: str, customer_id: int) -> str:
    """'Priya Madam' -> 'Priya-Madam'; valid as a beancount account component."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    component = "-".join(word[0].upper() + word[1:] for word in words)
    return component or f"Customer-{customer_id}"


def own_name_component(name: str) -> str:
    """A customer's own name as an hledger / ledger-cli account component."""
    return " ".join(name.replace(":", "-").replace(";", ",").split())


def customer_accounts(ledger: Ledger, *, own_names: bool = False) -> dict[str, str]:
    """Every customer name (lower case, former names too) -> its Assets:Khata account: the
    beancount-valid name, or (own_names) the customer's own name for hledger / ledger-cli."""
    by_id: dict[int, str] = {}
    used: set[str] = set()
    for customer_id, name in ledger.conn.execute("SELECT id, name FROM customers ORDER BY id"):
        if own_names:
            component = own_name_component(name)
        else:
            component = account_component(name, customer_id)
        if component.lower() in used:
            component = f"{component}-{customer_id}"
        used.add(component.lower())
        by_id[customer_id] = "Assets:Khata:" + component
    return {
        name_lower: by_id[customer_id]
        for name_lower, customer_id in ledger.conn.execute(
            "SELECT name_lower, customer_id FROM customer_names"
        )
        if customer_id in by_id
    }


def postings(
    event: Event, khata: str | None, splits: list[TaxSplit] | None = None
) -> list[tuple[str, int]]:
    """(account, paise) pairs that sum to zero; `splits` (the lines' tax, under the regular
    scheme) move the CGST and SGST out of the sale or return into the output tax accounts."""
    data, amount = event.data, event.data["amount_paise"]
    cgst = sum(split.cgst_paise for split in splits or [])
    sgst = sum(split.sgst_paise for split in splits or [])
    taxes = [(CGST, cgst), (SGST, sgst)] if cgst or sgst else []
    if event.type == SALE:
        debit = khata if data["method"] == "credit" else CASH_ACCOUNTS[data["method"]]
        return [
            (debit, amount),
            (SALES, -(amount - cgst - sgst)),
            *((account, -paise) for account, paise in taxes),
        ]
    if event.type == PAYMENT:
        return [(CASH_ACCOUNTS[data["method"]], amount), (khata, -amount)]
    if event.type == RETURN:
        credit = khata if data["settlement"] == "khata" else CASH_ACCOUNTS[data["settlement"]]
        return [(RETURNS, amount - cgst - sgst), *taxes, (credit, -amount)]
    return [(khata, amount), (OPENING, -amount)]


class OutputTax:
    """The tax splits of sales and returns on days the shop was under the regular scheme (the
    GST report's rule and arithmetic: kirana.reports.gst)."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.shop: dict[str, dict] = {}

    def splits(self, event: Event, day: str) -> list[TaxSplit]:
        if event.type not in (SALE, RETURN):
            return []
        if day not in self.shop:
            self.shop[day] = shop_info(self.ledger.conn, dates.business_date(day))
        shop = self.shop[day]
        if shop["scheme"] != "regular":
            return []
        return entry_splits(self.ledger, upcast(event), shop["default_gst_rate"])


def _clean(text: str) -> str:
    return " ".join(text.replace(";", ",").replace("|", "/").split())


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def export_journal(ledger: Ledger, out: TextIO, *, beancount: bool) -> int:
    """Write an hledger/ledger-cli journal, or a beancount file; returns transactions written."""
    accounts = customer_accounts(ledger, own_names=not beancount)
    first = ledger.conn.execute("SELECT min(substr(occurred_at, 1, 10)) FROM events").fetchone()[0]
    opened = first or dates.today().isoformat()
    if beancount:
        out.write('option "title" "kirana khata"\noption "operating_currency" "INR"\n\n')
        out.writelines(f"{opened} open {account} INR\n" for account in FIXED_ACCOUNTS)
        real_names = {
            account: name
            for account, name in _current_names(ledger, accounts).items()
            if account.removeprefix("Assets:Khata:") != name
        }
        for account in sorted(set(accounts.values())):
            out.write(f"{opened} open {account} INR\n")
            if account in real_names:
                out.write(f"  name: {_quoted(real_names[account])}\n")
    else:
        out.write("; kirana khata export (hledger / ledger-cli journal)\n\n")
        out.writelines(
            f"account {account}\n" for account in (*FIXED_ACCOUNTS, *sorted(set(accounts.values())))
        )
    out.write("\n")
    where = f"type IN ({','.join('?' * len(KINDS))}) AND seq NOT IN (SELECT target_seq FROM voided)"
    count = 0
    output_tax = OutputTax(ledger)
    for event in ledger.iter_events(where, KINDS):
        khata = accounts.get(event.customer.lower()) if event.customer else None
        day = dates.business_date(event.occurred_at).isoformat()
        what = describe(event)
        lines = postings(event, khata, output_tax.splits(event, day))
        if beancount:
            payee = f"{_quoted(event.customer)} " if event.customer else ""
            out.write(f"{day} * {payee}{_quoted(what)}\n  entry: {event.seq}\n")
            out.writelines(f"  {account}  {rupees_str(paise)} INR\n" for account, paise in lines)
        else:
            title = f"{event.customer} | {what}" if event.customer else what
            out.write(f"{day} * ({event.seq}) {_clean(title)}\n")
            out.writelines(f"    {account}  {rupees_str(paise)} INR\n" for account, paise in lines)
        out.write("\n")
        count += 1
    return count


def _current_names(ledger: Ledger, accounts: dict[str, str]) -> dict[str, str]:
    """Each customer account -> the customer's name now (for beancount's `name:` metadata)."""
    return {
        accounts[name.lower()]: name
        for (name,) in ledger.conn.execute("SELECT name FROM customers WHERE merged_into IS NULL")
        if name.lower() in accounts
    }
