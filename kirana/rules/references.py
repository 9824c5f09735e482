"""The rule that one transfer is counted once: a live sale or payment that already carries a
transfer's reference (a UPI UTR, a card slip, a cheque or bank reference) refuses a second one
unless it says duplicate_ref. The commands, the CSV, JSONL and bank imports all ask here."""

from __future__ import annotations

import sqlite3

from kirana import queries
from kirana.errors import RuleError
from kirana.events import reference_key
from kirana.i18n import marked, shown, tr
from kirana.money import format_rupees
from kirana.store import Ledger, fetch_event


def entry_day(key: str) -> str:
    """'2025-09-15…' -> '15 Sep 2025' (the month in the language in force)."""
    from datetime import date

    from kirana.periods import short_day

    return short_day(date.fromisoformat(key[:10]))


class References:
    """Which live sale or payment already carries a transfer's reference (a UPI UTR, a card
    slip, a cheque or bank reference): the same transfer must not be counted twice. Read from
    the ledger for each check; an import also remembers the references of its own rows."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.look_up = bool(
            conn.execute("SELECT EXISTS (SELECT 1 FROM entry_references)").fetchone()[0]
        )
        self.mine: dict[tuple[str, str], tuple[str, int]] = {}  # key -> (where, seq)
        self._keys: dict[int, tuple[str, str]] = {}  # seq -> its key in `mine`

    def check(
        self, kind: str, data: dict, what: str = marked("this entry")
    ) -> tuple[str, str] | None:
        """Refuse a second live entry with the same (method, reference) unless it says
        duplicate_ref; returns the key to `add` once appended."""
        key = reference_key(kind, data)
        if key is None or data.get("duplicate_ref"):
            return key
        where = self.mine[key][0] if key in self.mine else None
        if where is None and self.look_up:
            found = self.conn.execute(
                "SELECT r.seq FROM entry_references r WHERE r.method = ? AND r.reference = ?"
                " AND NOT EXISTS (SELECT 1 FROM voided WHERE target_seq = r.seq)"
                " ORDER BY r.seq LIMIT 1",
                key,
            ).fetchone()
            where = _entry_shown(self.conn, found[0]) if found else None
        if where is not None:
            raise RuleError(
                tr(
                    "{method} reference {reference!r} is already on {where}; if {what} is another transfer with the same reference, record it with --duplicate-ref"
                ).format(
                    method=key[0].upper(),
                    reference=key[1],
                    where=shown(where),
                    what=tr(what),
                )
            )
        return key

    def add(self, key: tuple[str, str] | None, where: str, seq: int) -> None:
        """An import row's reference, where it is ('line 7 of this file') and its entry."""
        if key is not None and key not in self.mine:
            self.mine[key] = (where, seq)
            self._keys[seq] = key

    def forget_voided(self, voided: set[int] | None = None) -> None:
        """A reference whose entry was voided (by a later row of the import) is free again;
        `voided`: the entries voided since, when the caller knows them (nothing is asked)."""
        if voided is None:
            voided = voided_among(self.conn, list(self._keys))
        for seq in voided:
            key = self._keys.pop(seq, None)
            if key is not None:
                del self.mine[key]


def voided_among(conn: sqlite3.Connection, seqs: list[int]) -> set[int]:
    """Which of these entries have been voided (a look-up per entry, however long the log)."""
    if not seqs:
        return set()
    marks = ",".join("?" * len(seqs))
    rows = conn.execute(f"SELECT target_seq FROM voided WHERE target_seq IN ({marks})", seqs)
    return {seq for (seq,) in rows}


def _entry_shown(conn: sqlite3.Connection, seq: int) -> str:
    event = fetch_event(conn, seq)
    whose = f" from {event.customer}" if event.customer else ""
    amount = format_rupees(event.amount_paise)
    return (
        f"entry {seq} ({queries.describe(event)} {amount}{whose} on {entry_day(event.occurred_at)})"
    )


def check_reference(ledger: Ledger, kind: str, data: dict) -> None:
    """One entry (a command, a JSONL event): its reference is not on another live entry."""
    References(ledger.conn).check(kind, data)
