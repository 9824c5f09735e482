"""The imports' cheaper row rules (issue 14): the bank import appends through the CSV import's
batch (store.EventBatch), and a CSV void row is checked and forgotten without re-reading what
the import keeps (its confirmations, the references of its own rows) — with the same outcomes."""

from __future__ import annotations

import csv
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kirana import names, recording
from kirana.io import bank_import, csv_chunks, csv_import
from kirana.ledger import open_ledger
from kirana.rules import ledger_checks
from kirana.store import Ledger
from kirana.store.batch import EventBatch
from kirana.verify import verify

HEADER = "date,type,customer,amount,method,items,reference,note,key\n"


def _counting(monkeypatch, owner, name: str) -> list:
    calls: list = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _statement(path, credits: int, customers: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerows([["HDFC BANK Ltd."], ["Statement of account"], []])
        out.writerow(["Date", "Narration", "Chq./Ref.No.", "Value Dt", "Withdrawal Amt.",
                      "Deposit Amt.", "Closing Balance"])  # fmt: skip
        for i in range(credits):
            who, utr, day = i % customers, f"5{i:011d}", f"{1 + i % 28:02d}/02/25"
            out.writerow([day, f"UPI-CUSTOMER {who}-cust{who}@okaxis-UTIB0000553-{utr}-UPI",
                          f"0000{utr}", day, "", f"{100 + i}.00", "1,00,000.00"])  # fmt: skip
        out.writerows([[], ["STATEMENT SUMMARY :-"]])


def test_the_bank_import_appends_through_the_batch(ledger, tmp_path, monkeypatch):
    for c in range(3):
        recording.add_customer(ledger, f"Customer {c}", occurred_at="2025-01-01")
        recording.update_customer(ledger, f"Customer {c}", upi_ids=[f"cust{c}@okaxis"])
    recording.sale_from_words(ledger, ["Customer 1", "atta@500"], method="credit",
                              occurred_at="2025-01-05")  # fmt: skip
    path = tmp_path / "statement.csv"
    _statement(path, credits=20, customers=3)
    monkeypatch.setattr(bank_import, "FLUSH_EVERY", 6)  # written in several batches
    one_by_one = _counting(monkeypatch, Ledger, "append")
    batched = _counting(monkeypatch, EventBatch, "append")
    summary = bank_import.import_statement(ledger, path)
    assert (summary.appended, len(batched), one_by_one) == (20, 20, [])
    assert [p["seq"] for p in summary.payments] == list(range(8, 28))
    paid = {c: sum(100 + i for i in range(c, 20, 3)) * 100 for c in range(3)}
    rows = ledger.conn.execute("SELECT customer_id, balance_paise FROM balances ORDER BY 1")
    owed = {0: 0, 1: 50000, 2: 0}
    assert [b for _, b in rows] == [owed[c] - paid[c] for c in range(3)]
    again = bank_import.import_statement(ledger, path)
    assert (again.appended, again.duplicates) == (0, 20)
    assert verify(ledger).ok


def test_a_bad_credit_in_a_batch_appends_nothing(ledger, tmp_path):
    recording.add_customer(ledger, "Customer 0", occurred_at="2025-01-01")
    recording.update_customer(ledger, "Customer 0", upi_ids=["cust0@okaxis"])
    recording.record_confirmation(ledger, "Customer 0", 0, occurred_at="2025-02-10")
    path = tmp_path / "statement.csv"
    _statement(path, credits=20, customers=1)  # days 1-20 Feb: the 10th and before are refused
    problems: list = []
    try:
        bank_import.import_statement(ledger, path, on_problem=lambda *p: problems.append(p))
    except Exception as exc:  # noqa: BLE001 - the import's one error line
        assert str(exc) == "10 bad rows; nothing imported"
    assert len(problems) == 10
    assert ledger.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 3


def test_void_rows_reuse_what_the_import_keeps(ledger, tmp_path, monkeypatch):
    """A void row frees its target's reference for a later row, is refused under a
    confirmation, and neither re-reads the confirmations nor asks which references died."""
    recording.add_customer(ledger, "Priya", occurred_at="2025-01-01")
    recording.record_payment(ledger, "Priya", 1000, occurred_at="2025-01-02", method="upi",
                             reference="R0")  # fmt: skip
    recording.record_confirmation(ledger, "Priya", -1000, occurred_at="2025-01-03")
    path = tmp_path / "day.csv"
    path.write_text(
        HEADER
        + "2025-02-01,payment,Priya,10,upi,,R1,,\n"  # entry 4
        + "2025-02-02,void,,,,,4,wrong,\n"  # frees R1
        + "2025-02-03,payment,Priya,10,upi,,R1,,\n"  # so this is no repeat: entry 6
        + "2025-02-04,payment,Priya,10,upi,,R1,,\n"  # but this one is
        + "2025-02-05,void,,,,,2,under the confirmation,\n",
        encoding="utf-8",
    )
    reads = _counting(monkeypatch, ledger_checks.ConfirmedDues, "reload")
    asks = _counting(monkeypatch, ledger_checks, "voided_among")
    problems: list = []
    summary = csv_import.import_csv(
        ledger, path, skip_invalid=True, on_problem=lambda *p: problems.append(p)
    )
    assert (summary.appended, summary.rejected) == (3, 2)
    assert [line for line, _ in problems] == [5, 6]
    assert "already on line 4 of this file" in problems[0][1]
    assert problems[1][1] == (
        "Priya confirmed -₹10.00 on 3 Jan 2025; voiding entry 2 dated 2 Jan 2025 would change"
        " it. Record it with today's date, or void the confirmation first (kirana void 3"
        " --reason …)"
    )
    assert (reads, asks) == (["reload"], [])
    live = ledger.conn.execute(
        "SELECT count(*) FROM entry_references r"
        " WHERE NOT EXISTS (SELECT 1 FROM voided WHERE target_seq = r.seq)"
    ).fetchone()[0]
    assert live == 2  # R0 and the second R1
    assert verify(ledger).ok


@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_plain_ascii_text_is_never_invisible_and_controls_are_still_found(text):
    """The shortcut for printable ASCII (a bank's notes and references) finds what the
    character-by-character rule finds."""
    expected = next(
        ((i, c) for i, c in enumerate(text, 1)
         if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp") or c in names.BLANKS
         and not (c in names.JOINERS)),
        None,
    )  # fmt: skip
    if text.isascii():
        assert names._invisible(text) == expected


def _stored(db) -> list[tuple]:
    with open_ledger(db) as opened:
        rows = opened.conn.execute(
            "SELECT seq, type, occurred_at, customer, data FROM events ORDER BY seq"
        )
        return list(rows)


def _sales_file(path, repeat_at: int | None = None) -> int:
    """Sales and returns over two financial years, some with a key; the keyed row at
    `repeat_at` comes again later (a duplicate: the numbers after it move up by one)."""
    lines = []
    for i in range(400):
        day = f"2025-{3 + i % 2:02d}-{1 + i % 28:02d} {8 + i % 10:02d}:{i % 60:02d}"
        kind = "return" if i % 7 == 0 else "sale"
        lines.append(f"{day},{kind},Cust {i % 9},{10 + i},cash,,,,k-{i}")
        if i % 50 == 49:
            lines.append(f"2025-03-05,void,,,,,{i},wrong,")
    if repeat_at is not None:
        lines.insert(300, lines[repeat_at])
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def test_sales_encoded_ahead_are_stored_byte_for_byte_as_in_one_process(tmp_path, monkeypatch):
    """A sale's payload deflated in the encoding worker, against its number guessed ahead,
    is exactly the one the main process would store; a duplicate that moves the numbers on
    costs encodings in the main process, never a wrong byte."""
    monkeypatch.setenv("KIRANA_NOW", "2026-01-01T12:00:00")
    for repeat_at in (None, 20):
        path = tmp_path / f"sales-{repeat_at}.csv"
        _sales_file(path, repeat_at)
        alone, ahead = tmp_path / f"alone-{repeat_at}.db", tmp_path / f"ahead-{repeat_at}.db"
        with open_ledger(alone) as ledger:
            csv_import.import_csv(ledger, path, workers=0, new_customers=True)
        monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 1500)  # many chunks, a few ahead
        in_main = _counting(monkeypatch, csv_import, "encode_payload")
        with open_ledger(ahead) as ledger:
            summary = csv_import.import_csv(ledger, path, workers=2, new_customers=True)
            assert verify(ledger).ok
        monkeypatch.undo()
        monkeypatch.setenv("KIRANA_NOW", "2026-01-01T12:00:00")
        assert summary.duplicates == (0 if repeat_at is None else 1)
        assert [row[1:] for row in _stored(ahead)] == [row[1:] for row in _stored(alone)]
        sales = sum(1 for row in _stored(ahead) if row[1] in ("sale", "return"))
        if repeat_at is None:
            assert in_main == []  # every sale and return was encoded ahead
        else:
            assert 0 < len(in_main) < sales  # the rows after the duplicate, for a while
