"""Double-entry journals for the accountant's tools: hledger/ledger-cli and beancount.

Accounts:
- `Assets:Khata:<Customer>` one per customer (the dues they owe the shop);
- `Assets:Cash`, `Assets:UPI`, `Assets:Card`, `Assets:Bank` (cheque and bank transfer);
- `Income:Sales`, `Income:Sales-Returns` (goods taken back), `Equity:Opening-Balances`
  (dues carried over from the paper khata).
Postings: credit sale Khata+ / Sales-; cash-type sale Cash+ / Sales-; payment Cash+ / Khata-;
return Sales-Returns+ / Khata- (or Cash-/UPI-); opening Khata+ / Opening-Balances-.

Customer account names are sanitised for beancount (and used as-is in the hledger journal, so
both agree): the ASCII letters and digits of the customer's current name, each word
capitalised, joined by `-` (`Priya Madam` -> `Priya-Madam`); a name with no ASCII letters
becomes `Customer-<id>`, and a clash with an earlier customer (by id) gets `-<id>` appended.
Every name a customer ever had maps to the same account. Voided entries and their voids are
left out (they cancel). Each transaction is dated by its business date (a bare date as is);
amounts are rupees with two decimals in commodity INR.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

from kirana import dates
from kirana.events import OPENING_BALANCE, PAYMENT, RETURN, SALE, Event
from kirana.money import rupees_str
from kirana.queries import describe
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
FIXED_ACCOUNTS = (*sorted(set(CASH_ACCOUNTS.values())), SALES, RETURNS, OPENING)
KINDS = (SALE, PAYMENT, RETURN, OPENING_BALANCE)


def account_component(name: str, customer_id: int) -> str:
    """'Priya Madam' -> 'Priya-Madam'; valid as a beancount account component."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    component = "-".join(word[0].upper() + word[1:] for word in words)
    return component or f"Customer-{customer_id}"


def customer_accounts(ledger: Ledger) -> dict[str, str]:
    """Every customer name (lower case, former names too) -> its Assets:Khata account."""
    by_id: dict[int, str] = {}
    used: set[str] = set()
    for customer_id, name in ledger.conn.execute("SELECT id, name FROM customers ORDER BY id"):
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


def postings(event: Event, khata: str | None) -> list[tuple[str, int]]:
    """(account, paise) pairs that sum to zero."""
    data, amount = event.data, event.data["amount_paise"]
    if event.type == SALE:
        debit = khata if data["method"] == "credit" else CASH_ACCOUNTS[data["method"]]
        return [(debit, amount), (SALES, -amount)]
    if event.type == PAYMENT:
        return [(CASH_ACCOUNTS[data["method"]], amount), (khata, -amount)]
    if event.type == RETURN:
        credit = khata if data["settlement"] == "khata" else CASH_ACCOUNTS[data["settlement"]]
        return [(RETURNS, amount), (credit, -amount)]
    return [(khata, amount), (OPENING, -amount)]


def _clean(text: str) -> str:
    return " ".join(text.replace(";", ",").replace("|", "/").split())


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def export_journal(ledger: Ledger, out: TextIO, *, beancount: bool) -> int:
    """Write an hledger/ledger-cli journal, or a beancount file; returns transactions written."""
    accounts = customer_accounts(ledger)
    first = ledger.conn.execute("SELECT min(substr(occurred_at, 1, 10)) FROM events").fetchone()[0]
    opened = first or dates.today().isoformat()
    if beancount:
        out.write('option "title" "kirana khata"\noption "operating_currency" "INR"\n\n')
        out.writelines(
            f"{opened} open {account} INR\n"
            for account in (*FIXED_ACCOUNTS, *sorted(set(accounts.values())))
        )
    else:
        out.write("; kirana khata export (hledger / ledger-cli journal)\n\n")
        out.writelines(
            f"account {account}\n" for account in (*FIXED_ACCOUNTS, *sorted(set(accounts.values())))
        )
    out.write("\n")
    where = f"type IN ({','.join('?' * len(KINDS))}) AND seq NOT IN (SELECT target_seq FROM voided)"
    count = 0
    for event in ledger.iter_events(where, KINDS):
        khata = accounts.get(event.customer.lower()) if event.customer else None
        day = dates.business_date(event.occurred_at).isoformat()
        what = describe(event)
        lines = postings(event, khata)
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
