"""`kirana verify`: prove the log was not rewritten and the read models tell the truth.

Checks, each returning problems as values (a list of Problem, each tied to a seq):
the hash chain and seq numbering, the append-only triggers, read models == a full replay,
balance_confirmed assertions, SQLite's quick_check, and optionally an expected earlier head.
"""

from __future__ import annotations

from dataclasses import dataclass

from kirana import replay
from kirana.events import GENESIS_HASH, canonical_json_of_stored, hash_text
from kirana.replay import Problem
from kirana.store import APPEND_ONLY_TRIGGERS, Ledger, decode_payload, event_from_row


@dataclass
class VerifyResult:
    events: int
    head: dict
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_chain(ledger: Ledger) -> tuple[list[Problem], list]:
    """Re-hash every stored event. Returns problems and the decoded events (for the replay)."""
    problems: list[Problem] = []
    events = []
    prev_hash, expected_seq = GENESIS_HASH, 1
    cursor = ledger.conn.execute(
        "SELECT seq, id, type, schema, occurred_at, recorded_at, recorded_by, customer, data,"
        " prev_hash, hash FROM events ORDER BY seq"
    )
    for row in cursor:
        seq, stored_prev, stored_hash = row[0], row[9].hex(), row[10].hex()
        if seq != expected_seq:
            problems.append(Problem(seq, f"entry {expected_seq} is missing (next is {seq})"))
        if stored_prev != prev_hash:
            problems.append(Problem(seq, f"entry {seq}: prev_hash does not match entry {seq - 1}"))
        try:
            data_json = decode_payload(row[8])
            fields = (seq, row[1].hex(), *row[2:8], data_json)
            if hash_text(stored_prev, canonical_json_of_stored(*fields)) != stored_hash:
                problems.append(
                    Problem(seq, f"entry {seq}: content does not match its hash (edited?)")
                )
            events.append(event_from_row(row, data_json))
        except (ValueError, TypeError) as exc:
            problems.append(Problem(seq, f"entry {seq}: stored data is damaged ({exc})"))
        prev_hash, expected_seq = stored_hash, seq + 1
    return problems, events


def check_triggers(ledger: Ledger) -> list[Problem]:
    present = {
        name
        for (name,) in ledger.conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    return [
        Problem(0, f"append-only trigger {name} is missing: the log could be edited")
        for name in APPEND_ONLY_TRIGGERS
        if name not in present
    ]


def check_read_models(ledger: Ledger, state: replay.Khata) -> list[Problem]:
    """Stored balances, entries and voids must equal what a full replay gives."""
    conn = ledger.conn
    problems = []
    stored = dict(conn.execute("SELECT customer_id, balance_paise FROM balances"))
    if stored != state.balances:
        for cid in sorted(set(stored) | set(state.balances)):
            if stored.get(cid) != state.balances.get(cid):
                problems.append(
                    Problem(
                        cid,
                        f"balances read model for customer {cid} says {stored.get(cid)}"
                        f" paise, replay says {state.balances.get(cid)}; run kirana rebuild",
                    )
                )
    stored_voids = dict(conn.execute("SELECT target_seq, void_seq FROM voided"))
    if stored_voids != state.voided:
        problems.append(Problem(0, "voided read model differs from replay; run kirana rebuild"))
    live = {
        seq: (cid, delta)
        for seq, cid, delta in conn.execute(
            "SELECT seq, customer_id, delta_paise FROM entries WHERE delta_paise != 0"
        )
        if seq not in stored_voids
    }
    if live != state.counted:
        first = min(set(live.items()) ^ set(state.counted.items()))[0]
        problems.append(
            Problem(
                first,
                f"entries read model differs from replay at entry {first}; run kirana rebuild",
            )
        )
    names = {cid: c.name for cid, c in state.customers.items()}
    if dict(conn.execute("SELECT id, name FROM customers")) != names:
        problems.append(Problem(0, "customers read model differs from replay; run kirana rebuild"))
    return problems


def check_expected_head(ledger: Ledger, expect: str) -> list[Problem]:
    """`--expect-head HASH` or `SEQ:HASH` (a prefix of 8+ hex digits is enough)."""
    seq_text, _, hash_text = expect.rpartition(":")
    prefix = hash_text.strip().lower()
    if len(prefix) < 8:
        return [Problem(0, "--expect-head needs at least 8 hex digits of the hash")]
    if seq_text:
        event = ledger.get(int(seq_text)) if seq_text.strip().isdigit() else None
        found = bool(event and event.hash.startswith(prefix))
    else:
        row = ledger.conn.execute(
            "SELECT 1 FROM events WHERE hex(hash) LIKE ? LIMIT 1", (prefix.upper() + "%",)
        ).fetchone()
        found = bool(row)
    if found:
        return []
    return [
        Problem(0, f"the expected head {expect} is no longer in the chain: history was rewritten")
    ]


def verify(ledger: Ledger, expect_head: str | None = None) -> VerifyResult:
    problems, events = check_chain(ledger)
    problems += check_triggers(ledger)
    if not problems:
        state = replay.fold(events)
        problems += check_read_models(ledger, state)
        problems += replay.check_confirmations(events, state)
    quick = ledger.conn.execute("PRAGMA quick_check").fetchone()[0]
    if quick != "ok":
        problems.append(Problem(0, f"SQLite quick_check: {quick}"))
    if expect_head:
        problems += check_expected_head(ledger, expect_head)
    return VerifyResult(len(events), ledger.head(), problems)


def first_bad_seq(result: VerifyResult) -> int | None:
    seqs = [p.seq for p in result.problems if p.seq]
    return min(seqs) if seqs else None
