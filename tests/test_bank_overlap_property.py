"""A property of the bank import: however a run of credits is cut into overlapping statements,
importing them all records each transfer once, exactly as importing the whole run does."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import recording
from kirana.io.bank_import import import_statement
from kirana.ledger import open_ledger

PAYERS = {"priya": "priya.s@okaxis", "amit": "9811122233@ybl", "ravi": "ravi.v@oksbi"}
HEADER = ["Date", "Narration", "Chq./Ref.No.", "Value Dt", "Withdrawal Amt.", "Deposit Amt."]
CREDITS = st.lists(
    st.tuples(st.sampled_from(sorted(PAYERS)), st.integers(1, 5_000_000), st.booleans()),
    min_size=1,
    max_size=10,
)


def _statement(path: Path, rows: list[tuple[int, tuple[str, int, bool]]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerows([["HDFC BANK Ltd."], [], HEADER])
        for number, (who, paise, credit) in rows:
            utr = f"5060{number:08d}"
            day = f"{1 + number % 9:02d}/03/25"
            amount = f"{paise // 100}.{paise % 100:02d}"
            narration = f"UPI-{who.upper()}-{PAYERS[who]}-UTIB0000553-{utr}-UPI"
            out.writerow([day, narration, f"0000{utr}", day, "" if credit else amount,
                          amount if credit else ""])  # fmt: skip
        out.writerow(["STATEMENT SUMMARY :-"])
    return path


def _payments(db: Path) -> list[tuple]:
    with open_ledger(db) as ledger:
        return sorted(
            (event.customer, event.amount_paise, event.data["reference"], event.occurred_at)
            for event in ledger.iter_events("type = ?", ("payment",))
        )


def _ledger(db: Path) -> None:
    with open_ledger(db) as ledger:
        recording.add_customer(ledger, "Priya Sharma", occurred_at="2025-01-01")
        recording.update_customer(ledger, "Priya Sharma", upi_ids=["priya.s@okaxis"])
        recording.add_customer(ledger, "Amit Kumar", "9811122233", occurred_at="2025-01-01")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CREDITS, st.data())
def test_overlapping_statements_count_each_transfer_once(credits, data):
    rows = list(enumerate(credits))
    first_end = data.draw(st.integers(0, len(rows)), label="first statement ends")
    second_start = data.draw(st.integers(0, first_end), label="second statement starts")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        whole, pieces = root / "whole.db", root / "pieces.db"
        _ledger(whole)
        _ledger(pieces)
        with open_ledger(whole) as ledger:
            import_statement(ledger, _statement(root / "all.csv", rows))
        with open_ledger(pieces) as ledger:
            for name, part in (("a.csv", rows[:first_end]), ("b.csv", rows[second_start:]),
                               ("a.csv", rows[:first_end])):  # fmt: skip
                import_statement(ledger, _statement(root / name, part))
        expected = _payments(whole)
        assert _payments(pieces) == expected
        paid = [c for c in credits if c[0] != "ravi" and c[2]]  # ravi is unknown: never guessed
        assert len(expected) == len(paid)
