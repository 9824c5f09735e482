"""`kirana rebuild` writes its read models as a bulk fill (kirana/rebuild.py), by other paths than
each append's `apply`: for random khata histories (sales with items and notes, UPI payments with
references, returns against sales, openings, voids, merges, renames, and rows of a CSV import
carrying import keys), every read model and the find index are row for row what the appends
left, `kirana find` answers the same, FTS5's config is left as it was, and verify is clean."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date
from pathlib import Path

import khata_histories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from khata_histories import NAMES

from kirana import find, recording
from kirana.errors import KiranaError
from kirana.io.csv_import import import_csv
from kirana.ledger import open_ledger
from kirana.read_model_tables import READ_MODEL_TABLES
from kirana.rebuild import rebuild
from kirana.rules import payloads
from kirana.verify import verify

START = date(2024, 1, 1)
RENAMED = "Sunil"
HEADER = "date,type,customer,amount,method,items,reference,note,key"
NEEDLES = ["priya", "ami", "UTR", "atta", "दाल", "1234", "zo", "ऋण"]
notes = st.sampled_from(["", "for Diwali", "दाल और चावल", "Ünïcödé ΣΑΣ", "x" * 40])


def _day(offset: int) -> str:
    return khata_histories.day(START, offset)


def extra_operations():
    """What khata_histories leaves out: item sales with notes, UPI payments, returns against a
    sale, and renames (of RENAMED, a customer khata_histories does not know)."""
    days = st.integers(min_value=0, max_value=300)
    who = st.sampled_from([*NAMES, RENAMED])
    return st.one_of(
        st.tuples(st.just("items"), who, notes, days),
        st.tuples(st.just("upi"), who, st.integers(1, 9999), days),
        st.tuples(st.just("rename"), st.just(RENAMED), st.integers(0, 3), st.just(0)),
        st.tuples(st.just("against"), who, st.integers(1, 500), days),
    )


def _apply_extra(ledger, op, live: list[int], names: dict[str, str]) -> None:
    kind, who, value, offset = op
    who = names.get(who, who)
    try:
        if kind == "items":
            lines = [payloads.item_line("atta", "2", 4500, "5", "1101", "kg"),
                     payloads.item_line("दाल", "1", 12050, "0", "", "kg")]  # fmt: skip
            done = recording.record_sale(ledger, who, method="credit", occurred_at=_day(offset),
                                         lines=lines, note=value or None)  # fmt: skip
        elif kind == "upi":
            done = recording.record_payment(ledger, who, value, occurred_at=_day(offset),
                                            method="upi", reference=f"UTR{value:06d}")  # fmt: skip
        elif kind == "rename":
            fresh = f"{RENAMED} {['Seth', 'ऋण', 'Bhai', 'Ji'][value]}"
            if fresh != who:
                recording.update_customer(ledger, who, new_name=fresh)
                names[RENAMED] = fresh
            return
        else:
            sales = [seq for seq in live if ledger.conn.execute(
                "SELECT 1 FROM events WHERE seq = ? AND type = 'sale'", (seq,)).fetchone()]  # fmt: skip
            if not sales:
                return
            done = recording.record_return(ledger, who, settlement="khata",
                                           occurred_at=_day(offset), amount_paise=value,
                                           against=sales[0])  # fmt: skip
            live.remove(sales[0])  # a sale with a return against it is voided after the return
    except KiranaError:  # a guard refusing the entry (merged away, more than the sale, ...)
        return
    live.append(done.event.seq)


def read_models(conn: sqlite3.Connection) -> dict[str, list]:
    tables = {t: sorted(conn.execute(f"SELECT * FROM {t}")) for t in READ_MODEL_TABLES}
    tables["find_terms"] = list(conn.execute("SELECT * FROM find_terms ORDER BY seq"))
    tables["find_text_config"] = sorted(conn.execute("SELECT * FROM find_text_config"))
    tables["schema"] = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    return tables


def found(ledger) -> dict[str, list[int]]:
    return {needle: [f.event.seq for f in find.find(ledger, needle).found] for needle in NEEDLES}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(
        st.one_of(khata_histories.operations(max_day=300), extra_operations()),
        min_size=1,
        max_size=30,
    ),
    imported=st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.sampled_from(["credit", "upi", "cash"]),
            st.integers(1, 50_000),
            st.integers(0, 300),
        ),
        max_size=12,
    ),
)
def test_rebuild_leaves_every_read_model_as_the_appends_did(ops, imported):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in [*NAMES, RENAMED]:
            recording.add_customer(ledger, name)
        live: list[int] = []
        merged: set[str] = set()
        names: dict[str, str] = {}
        half = len(ops) // 2
        for op in ops[:half]:
            _step(ledger, op, live, merged, names)
        if imported:  # import keys, references and a void's key, amid the commands
            rows = [
                f"{_day(day)},{'payment' if how == 'upi' else 'sale'},{who},"
                f"{paise // 100}.{paise % 100:02d},{how},,{f'UTR{i:05d}' if how == 'upi' else ''},,"
                for i, (who, how, paise, day) in enumerate(imported)
                if who not in merged
            ]
            source = Path(folder) / "in.csv"
            source.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
            if rows:
                import_csv(ledger, source)
        for op in ops[half:]:
            _step(ledger, op, live, merged, names)
        assert verify(ledger).ok
        appended, answers = read_models(ledger.conn), found(ledger)
        rebuild(ledger)
        assert read_models(ledger.conn) == appended
        assert found(ledger) == answers
        assert verify(ledger).ok


def _step(ledger, op, live, merged, names) -> None:
    if op[0] in {"items", "upi", "rename", "against"}:
        if op[1] not in merged:
            _apply_extra(ledger, op, live, names)
    else:
        khata_histories.apply(ledger, op, live, merged, START)


def test_rebuild_leaves_no_fts5_setting_behind(tmp_path):
    with open_ledger(tmp_path / "k.db") as ledger:
        recording.add_customer(ledger, "Priya")
        recording.record_sale(ledger, "Priya", method="credit", occurred_at="2025-03-01",
                              amount_paise=500, note="atta")  # fmt: skip
        before = sorted(ledger.conn.execute("SELECT * FROM find_text_config"))
        rebuild(ledger)
        assert sorted(ledger.conn.execute("SELECT * FROM find_text_config")) == before
        assert [f.event.seq for f in find.find(ledger, "atta").found] == [2]


def test_rebuild_builds_the_find_index_once_at_the_end(tmp_path):
    """The bulk fill's find index: find_terms' index made again after its rows, find_text built
    once with a large term buffer, never a row at a time (customers and voids included)."""
    with open_ledger(tmp_path / "k.db") as ledger:
        recording.add_customer(ledger, "Priya")
        sale = recording.record_sale(ledger, "Priya", method="credit",
                                     occurred_at="2025-03-01", amount_paise=500, note="atta")  # fmt: skip
        recording.record_void(ledger, sale.event.seq, "typed twice")
        recording.add_customer(ledger, "Amit")
        traced: list[str] = []
        ledger.conn.set_trace_callback(traced.append)
        try:
            rebuild(ledger)
        finally:
            ledger.conn.set_trace_callback(None)
    statements = [" ".join(sql.split()) for sql in traced]
    assert not [sql for sql in statements if sql.startswith("INSERT INTO find_text (rowid")]
    builds = [i for i, sql in enumerate(statements) if "VALUES ('rebuild')" in sql]
    assert len(builds) == 1
    sized = [i for i, sql in enumerate(statements) if "VALUES ('hashsize'" in sql]
    assert sized and sized[0] < builds[0]
    dropped = statements.index('DROP INDEX "find_terms_by_amount"')
    made = [i for i, sql in enumerate(statements) if sql.startswith("CREATE INDEX find_terms_by")]
    terms = [i for i, sql in enumerate(statements) if sql.startswith("INSERT INTO find_terms")]
    assert dropped < min(terms) and max(terms) < made[0]
