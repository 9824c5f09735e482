"""Paths that must not grow with the ledger (issue 14): a command's confirmation guard reads the
confirmations alone, `rebuild` leaves the same file as the appends did (its indexes dropped and
made again), and streamed statements write what the whole statement writes."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana import recording
from kirana.rules.ledger_checks import ConfirmedDues


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def _plan(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> str:
    return " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_confirmation_guard_reads_the_confirmations_index_not_the_customers_entries(ledger):
    recording.add_customer(ledger, "Priya")
    recording.record_sale(ledger, "Priya", method="credit", occurred_at="2025-03-01",
                          amount_paise=500)  # fmt: skip
    recording.record_confirmation(ledger, "Priya", 500, occurred_at="2025-03-05")
    conn = ledger.conn
    indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert "events_confirmations" in indexes
    traced: list[str] = []
    conn.set_trace_callback(traced.append)
    try:
        dues = ConfirmedDues(conn, 1)
    finally:
        conn.set_trace_callback(None)
    assert list(dues.latest) == [1]
    (query,) = [sql for sql in traced if "balance_confirmed" in sql]
    plan = _plan(conn, query.replace("IN (1)", "IN (?)"), (1,))
    assert "USING INDEX events_confirmations" in plan
    assert "entries_by_customer" not in plan


def test_a_payment_dated_before_a_confirmation_is_still_refused(kirana):
    ok(kirana("customer", "add", "Priya"))
    ok(kirana("sale", "Priya", "--amount", "500", "--credit", "--on", "2025-03-01"))
    ok(kirana("confirm", "Priya", "500", "--on", "2025-03-05"))
    refused = kirana("pay", "Priya", "100", "--on", "2025-03-04")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: Priya confirmed ₹500.00 on 5 Mar 2025;")
    ok(kirana("pay", "Priya", "100", "--on", "2025-03-06"))


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def _tables(conn: sqlite3.Connection) -> dict[str, list]:
    from kirana.read_model_tables import READ_MODEL_TABLES

    return {t: sorted(conn.execute(f"SELECT * FROM {t}")) for t in READ_MODEL_TABLES}


def test_rebuild_makes_the_indexes_again_and_the_same_tables(kirana, db_path, tmp_path):
    ok(kirana("customer", "add", "Priya"))
    ok(kirana("customer", "add", "Imran"))
    rows = ["date,type,customer,amount,method,items,reference,note,key"]
    for day in range(1, 29):
        rows.append(f"2025-02-{day:02d},sale,Priya,{day}0,credit,,,,")
        rows.append(f"2025-02-{day:02d},payment,Imran,{day},upi,,UTR{day:04d},,")
    (tmp_path / "a.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ok(kirana("import", tmp_path / "a.csv"))
    ok(kirana("void", "5", "--reason", "typed twice"))
    ok(kirana("confirm", "Priya", "0", "--on", "2025-01-15"))
    conn = sqlite3.connect(db_path)
    schema, tables = _schema(conn), _tables(conn)
    conn.close()
    assert len(tables["import_keys"]) == 56 and len(tables["entry_references"]) == 28
    ok(kirana("rebuild"))
    conn = sqlite3.connect(db_path)
    assert _schema(conn) == schema  # every index made again, from its own definition
    assert _tables(conn) == tables
    assert conn.execute("SELECT name FROM sqlite_temp_master").fetchall() == []
    conn.close()
    assert ok(kirana("verify")).stdout.startswith("OK:")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_statement_laid_out_as_it_is_read_is_the_whole_page_in_every_format(
    kirana, db_path, monkeypatch, lang
):
    from kirana import settings
    from kirana.ledger import open_ledger
    from kirana.reports.render import render
    from kirana.reports.statement import statement_report

    ok(kirana("customer", "add", "Priya"))
    ok(kirana("sale", "Priya", "atta:2@45", "dal:1@120.50", "--credit", "--note", '=a, "b"',
              "--on", "2025-03-01"))  # fmt: skip
    ok(kirana("sale", "Priya", "--amount", "11", "--upi", "--ref", "UTR1", "--on", "2025-03-02"))
    ok(kirana("pay", "Priya", "30", "--card", "--ref", "SLIP9", "--on", "2025-03-03"))
    ok(kirana("return", "Priya", "--amount", "45", "--to", "khata", "--on", "2025-03-04"))
    ok(kirana("pay", "Priya", "5", "--on", "2025-03-05"))
    ok(kirana("void", "6", "--reason", "typed twice"))
    ok(kirana("confirm", "Priya", "135.50", "--on", "2025-03-06"))
    monkeypatch.setenv("KIRANA_LANG", lang)
    for fmt in ("csv", "json", "md", "html"):
        shown = ok(kirana("statement", "Priya", "--format", fmt)).stdout
        with settings.using(settings.Settings.from_environ()), open_ledger(db_path) as ledger:
            whole = render(statement_report(ledger, "Priya"), fmt)  # the page read as a list
        assert shown == whole, fmt


@given(
    st.text(alphabet=st.sampled_from("ab cdefghij  -/:"), max_size=60),
    st.integers(min_value=0, max_value=30),
)
def test_ascii_text_wraps_as_the_cell_counting_wrap_does(text, width):
    from kirana.reports.fixed_width import _wrap_ascii, _wrap_cells

    assert _wrap_ascii(text, width) == _wrap_cells(text, width)
