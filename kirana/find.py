"""`kirana find TEXT`: the entries a shopkeeper half remembers ("the ₹500 UPI payment with
reference 526712…", "where I wrote 'bottle leaking'").

An entry matches when TEXT (any case) is part of one of its texts: its customer's name as
recorded, or any name that customer has had; or any text its payload carries — reference
(UTR), note, reason, item names, an invoice number, a phone — found by walking the payload, so
a text field a later schema adds is searched without a change here (fields that hold a fixed
word, such as `method` or `unit`, are skipped: `upi` would match every UPI entry). When TEXT
reads as an amount (`500`, `₹1,250.50`), an entry whose amount is exactly that matches too.

Newest first; at most `limit` entries. Voided entries are found and marked.

The entries are looked up in the find index (kirana/find_index.py), which proposes every entry
that may match, newest first, and each is checked against the event itself here; `scan`, the
reference, reads every payload of the log instead (and is used for a needle the index cannot
hold: one with a NUL or a character SQLite cannot store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kirana import find_index
from kirana.events import Event
from kirana.i18n import tr
from kirana.queries import describe, voided_by
from kirana.store import Ledger
from kirana.store.codec import decode_payload


@dataclass
class Found:
    event: Event
    description: str
    matched: list[str]  # where: customer, amount, reference, note, items.name, invoice_no…
    voided_by: int | None

    def to_json(self) -> dict[str, Any]:
        from kirana.money import rupees_str

        data = self.event.data
        amount = data.get("amount_paise")
        return {
            "seq": self.event.seq,
            "type": self.event.type,
            "occurred_at": self.event.occurred_at,
            "recorded_at": self.event.recorded_at,
            "recorded_by": self.event.recorded_by,
            "customer": self.event.customer,
            "description": self.description,
            "amount_paise": amount,
            "amount": None if amount is None else rupees_str(amount),
            "reference": data.get("reference"),
            "note": data.get("note"),
            "voucher": data.get("voucher"),  # an invoice or credit note number
            "matched": self.matched,
            "voided_by": self.voided_by,
            "hash": self.event.hash,
        }


@dataclass
class FindResult:
    text: str
    amount_paise: int | None
    found: list[Found] = field(default_factory=list)
    more: bool = False  # stopped at the limit: older entries may match too


def find(ledger: Ledger, text: str, *, limit: int = 50) -> FindResult:
    """The newest `limit` entries matching `text` (see the module's docstring)."""
    needle, amount, people = _asked(ledger, text, limit)
    if not _indexable(needle):
        return scan(ledger, text, limit=limit)
    result = FindResult(text.strip(), amount)
    for seq in find_index.candidates(ledger.conn, needle, amount, people):
        try:
            event = ledger.get(seq)
        except (ValueError, TypeError, AttributeError):  # damaged: kirana verify names it
            continue
        matched = _matches(event, needle, amount, people) if event else []
        if not matched:
            continue
        if not _added(result, ledger, event, matched, limit):
            break
    return result


def _added(
    result: FindResult, ledger: Ledger, event: Event, matched: list[str], limit: int
) -> bool:
    """Add one match to `result`; False (and `more` set) when `limit` are already there."""
    if len(result.found) == limit:
        result.more = True
        return False
    result.found.append(Found(event, describe(event), matched, voided_by(ledger.conn, event.seq)))
    return True


def _asked(ledger: Ledger, text: str, limit: int) -> tuple[str, int | None, set[str]]:
    """The needle (case folded), the amount TEXT reads as, the names of the customers it names."""
    from kirana.errors import InputError

    needle = text.strip().casefold()
    if not needle:
        raise InputError(tr("say what to find, e.g. kirana find 4512AB or kirana find 500"))
    if limit < 1:
        raise InputError(tr("--limit must be 1 or more"))
    return needle, _as_amount(text), _names_of_customers_matching(ledger, needle)


def _indexable(needle: str) -> bool:
    if "\x00" in needle:
        return False
    try:
        needle.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no stored text holds one
        return False
    return True


def scan(ledger: Ledger, text: str, *, limit: int = 50) -> FindResult:
    """`find` by reading every payload of the log, newest first, until `limit` match: the
    reference the index must agree with."""
    needle, amount, people = _asked(ledger, text, limit)
    result = FindResult(text.strip(), amount)
    maybe = _quick_test(needle, amount, people)
    rows = ledger.conn.execute("SELECT seq, customer, data FROM events ORDER BY seq DESC")
    for seq, customer, stored in rows:
        try:
            payload = decode_payload(stored)
        except (ValueError, TypeError, AttributeError):  # damaged: kirana verify names it
            continue
        if not maybe(customer, payload):
            continue
        event = ledger.get(seq)
        matched = _matches(event, needle, amount, people)
        if not matched:
            continue
        if not _added(result, ledger, event, matched, limit):
            break
    return result


def _quick_test(needle: str, amount: int | None, people: set[str]):
    """A cheap first look at a stored row (its customer column and payload JSON text) that
    passes every row `_matches` could match, so only those are read whole. The payload text is
    canonical JSON (UTF-8 kept, `"` and `\\` escaped): a needle with either is not looked for
    in it, and every row is read whole."""
    plain = '"' not in needle and "\\" not in needle
    amounts = () if amount is None else (f'"amount_paise":{amount}', f'"amount_paise":-{amount}')

    def maybe(customer: str | None, payload: str) -> bool:
        if not plain:
            return True
        if customer and (needle in customer.casefold() or customer.casefold() in people):
            return True
        if any(a + "," in payload or a + "}" in payload for a in amounts):
            return True
        return needle in payload.casefold()

    return maybe


def _as_amount(text: str) -> int | None:
    from kirana.errors import InputError
    from kirana.money import parse_amount

    try:
        return parse_amount(text.strip())
    except (InputError, ValueError):
        return None


def _names_of_customers_matching(ledger: Ledger, needle: str) -> set[str]:
    """Every name (current and former, any case) of each customer one of whose names
    contains `needle`: an entry recorded under an old name is that customer's too."""
    rows = ledger.conn.execute("SELECT name_lower, customer_id FROM customer_names").fetchall()
    ids = {customer for name, customer in rows if needle in name.casefold()}
    return {name.casefold() for name, customer in rows if customer in ids}


def _matches(event: Event, needle: str, amount: int | None, people: set[str]) -> list[str]:
    matched = []
    if event.customer and (
        needle in event.customer.casefold() or event.customer.casefold() in people
    ):
        matched.append("customer")
    paise = event.data.get("amount_paise")
    if amount is not None and isinstance(paise, int) and abs(paise) == amount:
        matched.append("amount")
    for where, value in find_index.payload_texts(event.data):
        if needle in value.casefold() and where not in matched:
            matched.append(where)
    return matched
