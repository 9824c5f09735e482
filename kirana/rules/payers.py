"""Who paid: the rules that tie a transfer's payer (a UPI id, a name) to one customer.

- A UPI id (VPA) belongs to one customer: `check_upi_ids_free` refuses one that another customer
  carries (`customer update --upi-id`, the CSV import's `upi_id` column, a JSONL event).
- `Payers.match(vpa, name)`: the bank import's matching, never a guess: a UPI id a customer
  carries, else the customer whose phone is inside the VPA, else the customer with exactly the
  payer's name (or a former name); when the phone and the name point at different customers,
  or a phone is on several customers, the payer is ambiguous and left for review.
- `KnownTransfers`: the transfers (UTR/RRN) the ledger already counts, from the
  `entry_references` read model, so a statement imported twice, two statements that overlap
  and a UTR typed by hand with `pay --ref` count once.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from kirana import customers
from kirana.customers import CustomerRow
from kirana.errors import InputError
from kirana.i18n import Message, tr
from kirana.rules.identifiers import check_upi_id

_MOBILE = re.compile(r"(?<![0-9])(?:91)?([6-9][0-9]{9})(?![0-9])")
_TOKEN = re.compile(r"[A-Za-z0-9]{12,22}")


def upi_id_owner(conn: sqlite3.Connection, vpa: str) -> CustomerRow | None:
    """The customer who carries this UPI id (as they count now), or None."""
    found = conn.execute(
        "SELECT customer_id FROM customer_upi_ids WHERE vpa = ?", (vpa.lower(),)
    ).fetchone()
    return customers.by_id(conn, found[0]) if found else None


def upi_ids_of(conn: sqlite3.Connection, customer_id: int) -> list[str]:
    """A customer's UPI ids, in the order they were added."""
    rows = conn.execute(
        "SELECT vpa FROM customer_upi_ids WHERE customer_id = ? ORDER BY seq, vpa", (customer_id,)
    )
    return [vpa for (vpa,) in rows]


def check_upi_ids_free(conn: sqlite3.Connection, row: CustomerRow, vpas: list[str]) -> list[str]:
    """The UPI ids (checked, lower-cased) that `row` does not carry yet; InputError when one
    is another customer's: a UPI id names one payer."""
    new = []
    for typed in vpas:
        vpa = check_upi_id(typed)
        owner = upi_id_owner(conn, vpa)
        if owner is None:
            new.append(vpa)
        elif owner.id != row.id:
            raise InputError(
                tr(
                    "UPI id {vpa} is already {name}'s; a UPI id belongs to one customer (if they are one person: kirana customer merge '{other}' '{name}')"
                ).format(vpa=vpa, name=owner.name, other=row.name)
            )
    return list(dict.fromkeys(new))


@dataclass(frozen=True)
class Match:
    """A payer's customer (None: unknown or ambiguous), how it was found, or why not."""

    customer: CustomerRow | None
    how: str  # "upi id", "phone", "name"; or "unknown", "ambiguous"
    why: str = ""


class Payers:
    """The ledger's customers by UPI id, phone and name, read once for an import (a customer
    added or given a UPI id by the import itself is told with `learn`)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.by_vpa = dict(conn.execute("SELECT vpa, customer_id FROM customer_upi_ids"))
        self.by_phone: dict[str, set[int]] = {}
        self.rows = {row.id: row for row in customers.all_customers(conn)}
        for row in self.rows.values():
            if row.phone:
                self.by_phone.setdefault(row.phone[-10:], set()).add(row.id)
        self.by_name = dict(conn.execute("SELECT name_lower, customer_id FROM customer_names"))

    def learn(self, vpa: str, customer_id: int) -> None:
        self.by_vpa[vpa] = customer_id

    def match(self, vpa: str | None, name: str | None) -> Match:
        if vpa and vpa.lower() in self.by_vpa:
            return Match(self._row(self.by_vpa[vpa.lower()]), "upi id")
        found: dict[int, str] = {}
        local = (vpa or "").partition("@")[0]
        for mobile in {m.group(1) for m in _MOBILE.finditer(local)}:
            owners = self.by_phone.get(mobile, set())
            if len(owners) > 1:
                shown = ", ".join(sorted(self._row(c).name for c in owners))
                return Match(
                    None,
                    "ambiguous",
                    Message("phone {phone} is on {names}", phone=mobile, names=shown),
                )
            for owner in owners:
                found.setdefault(owner, "phone")
        spoken = " ".join((name or "").split()).lower()
        if spoken and spoken in self.by_name:
            found.setdefault(self.by_name[spoken], "name")
        if len(found) == 1:
            ((customer_id, how),) = found.items()
            return Match(self._row(customer_id), how)
        if found:
            shown = " or ".join(sorted(self._row(c).name for c in found))
            return Match(None, "ambiguous", Message("could be {names}", names=shown))
        return Match(None, "unknown", Message("no customer has this UPI id, phone or name"))

    def _row(self, customer_id: int) -> CustomerRow:
        row = self.rows.get(customer_id)
        if row is None:  # a merged-away id, or a customer added after this was read
            row = customers.by_id(self.conn, customer_id)
        return row


class KnownTransfers:
    """Transfer references already on a live entry: each reference as typed, and every
    12-to-22-character run of letters and digits in it (`pay --ref 'UPI 421356789012'`
    counts the UTR 421356789012). Read once for an import; `add` the import's own."""

    def __init__(self, conn: sqlite3.Connection):
        self.seen: dict[str, int] = {}
        for seq, reference in conn.execute(
            "SELECT r.seq, r.reference FROM entry_references r"
            " WHERE NOT EXISTS (SELECT 1 FROM voided WHERE target_seq = r.seq)"
        ):
            self.add(reference, seq)

    def add(self, reference: str, seq: int) -> None:
        for token in {reference.upper(), *(t.upper() for t in _TOKEN.findall(reference))}:
            self.seen.setdefault(token, seq)

    def entry_of(self, utr: str) -> int | None:
        """The entry that already carries this UTR, or None."""
        return self.seen.get(utr.upper())
