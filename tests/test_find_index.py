"""The find index (kirana/find_index.py): `find` through it gives exactly what reading every
payload gives (`find.scan`), on random ledgers; verify compares it with the log; rebuild and the
CSV import's batched path keep it."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import find, recording
from kirana.errors import KiranaError
from kirana.ledger import open_ledger
from kirana.rebuild import rebuild
from kirana.verify import verify

# Latin of both cases, Devanagari (with its vowel signs and virama), look-alikes (Cyrillic а,
# Greek ο), letters whose case folding changes their length (ß, İ, ﬁ), quotes and backslashes.
ALPHABET = 'aAbBsS019 कखगाि्रमा аοßİﬁ"\\-/'
text = st.text(alphabet=ALPHABET, min_size=1, max_size=12)
NAMES = ["Priya", "PRIYA ji", "प्रिया", "Рriya", "Amit", "अमित", "Straße", "İsmail"]  # Р: Cyrillic
names = st.sampled_from(NAMES)
amounts = st.sampled_from([100, 50_000, 12_345, 99, 500_00])
day = st.integers(1, 28).map(lambda d: f"2025-09-{d:02d}")

operation = st.one_of(
    st.tuples(st.just("add"), names, st.none(), st.none(), day),
    st.tuples(st.just("sale"), names, amounts, st.one_of(st.none(), text), day),
    st.tuples(st.just("cash_sale"), st.none(), amounts, text, day),
    st.tuples(st.just("pay_upi"), names, amounts, text, day),
    st.tuples(st.just("pay_note"), names, amounts, text, day),
    st.tuples(st.just("rename"), names, st.none(), text, day),
    st.tuples(st.just("merge"), names, st.none(), names, day),
    st.tuples(st.just("void"), st.integers(1, 60), st.none(), text, day),
)


def perform(ledger, op) -> None:
    kind, who, amount, words, when = op
    try:
        if kind == "add":
            recording.add_customer(ledger, who)
        elif kind == "sale":
            recording.record_sale(
                ledger, who, method="credit", occurred_at=when, amount_paise=amount, note=words
            )
        elif kind == "cash_sale":
            recording.record_sale(
                ledger, None, method="cash", occurred_at=when, amount_paise=amount, note=words
            )
        elif kind == "pay_upi":
            recording.record_payment(
                ledger, who, amount, method="upi", occurred_at=when, reference="UTR" + words
            )
        elif kind == "pay_note":
            recording.record_payment(ledger, who, amount, occurred_at=when, note=words)
        elif kind == "rename":
            recording.update_customer(ledger, who, new_name=words + " Bhai")
        elif kind == "merge":
            recording.merge_customers(ledger, who, words, "same person")
        else:
            recording.record_void(ledger, who, words)
    except KiranaError:
        pass  # refused by the rules (a look-alike name, no such customer…): nothing appended


def needles(ledger, picks: list[tuple[int, int, int]], extra: list[str]) -> list[str]:
    """Parts of the ledger's own texts (names, notes, references), swapped in case, and more."""
    stored = [
        value
        for (value,) in ledger.conn.execute(
            "SELECT customer FROM events WHERE customer IS NOT NULL"
        )
    ] + [value for (value,) in ledger.conn.execute("SELECT text FROM find_terms")]
    found = list(extra)
    for which, start, size in picks:
        if stored:
            source = stored[which % len(stored)]
            part = source[start % max(len(source), 1) :][: 1 + size]
            found += [part, part.swapcase(), part.upper()]
    return [needle for needle in found if needle.strip()]


def same(ledger, needle: str, limit: int) -> None:
    indexed = find.find(ledger, needle, limit=limit)
    scanned = find.scan(ledger, needle, limit=limit)
    assert [(f.event.seq, f.matched, f.voided_by) for f in indexed.found] == [
        (f.event.seq, f.matched, f.voided_by) for f in scanned.found
    ], needle
    assert indexed.more == scanned.more, needle


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(operation, min_size=1, max_size=25),
    picks=st.lists(
        st.tuples(st.integers(0, 99), st.integers(0, 20), st.integers(0, 6)), max_size=8
    ),
    extra=st.lists(st.one_of(text, st.sampled_from(["500", "₹123.45", "1", "ss", "SS", "i̇"]))),
    limit=st.integers(1, 6),
)
def test_find_through_the_index_is_the_scan(ops, picks, extra, limit, monkeypatch):
    monkeypatch.setenv("KIRANA_NOW", "2025-09-29T10:00")
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            perform(ledger, ("add", name, None, None, ""))  # the look-alike is refused
        for op in ops:
            perform(ledger, op)
        for needle in needles(ledger, picks, extra):
            same(ledger, needle, limit)
            same(ledger, needle, 1000)
        assert verify(ledger).ok
        rebuild(ledger)  # the batched path writes the same rows
        assert verify(ledger).ok
        for needle in needles(ledger, picks, extra)[:3]:
            same(ledger, needle, limit)


def shop(path: Path):
    ledger = open_ledger(path)
    recording.add_customer(ledger, "प्रिया")
    recording.record_payment(
        ledger, "प्रिया", 50_000, method="upi", occurred_at="2025-09-02", reference="526712345678"
    )
    recording.record_sale(
        ledger, "प्रिया", method="credit", occurred_at="2025-09-03", amount_paise=12_300,
        note="Bottle LEAKING",
    )  # fmt: skip
    return ledger


def test_find_uses_the_index_utr_devanagari_and_a_two_letter_needle(tmp_path):
    with shop(tmp_path / "k.db") as ledger:
        assert [f.event.seq for f in find.find(ledger, "6712").found] == [2]
        assert [f.event.seq for f in find.find(ledger, "प्रि").found] == [3, 2, 1]
        assert [f.event.seq for f in find.find(ledger, "ki").found] == [3]
        assert find.find(ledger, "leaking").found[0].matched == ["note"]
        rows = ledger.conn.execute("SELECT seq, amount, text FROM find_terms").fetchall()
        assert rows[1] == (2, 50_000, "प्रिया\n526712345678")


def test_verify_names_a_find_index_that_differs_and_rebuild_mends_it(tmp_path):
    path = tmp_path / "k.db"
    shop(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE find_terms SET text = 'other' WHERE seq = 2")
    with open_ledger(path) as ledger:
        problems = [p.message for p in verify(ledger).problems]
        advice = "keep the file as evidence (kirana backup COPY.db), then run kirana rebuild"
        assert problems == [f"find_terms read model differs from replay; {advice}"]
        rebuild(ledger)
        assert verify(ledger).ok
        assert [f.event.seq for f in find.find(ledger, "6712").found] == [2]
    with sqlite3.connect(path) as conn:  # the text index alone out of step with its rows
        conn.execute("INSERT INTO find_text (find_text, rowid, text) VALUES ('delete', 2, ?)",
                     ("प्रिया\n526712345678",))  # fmt: skip
    with open_ledger(path) as ledger:
        [problem] = verify(ledger).problems
        assert problem.message.startswith("find_text index does not find entry 2 by its text;")
        assert find.find(ledger, "6712").found == []
        rebuild(ledger)
        assert verify(ledger).ok


def test_the_csv_import_indexes_what_it_appends(kirana, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "date,type,customer,amount,method,reference,note\n"
        "2025-03-01,payment,Priya,500,upi,UTR998877,first\n"
        "2025-03-02,sale,Priya,120,credit,,दूध फटा\n",
        encoding="utf-8",
    )
    result = kirana("import", str(rows))
    assert result.exit_code == 0, result.stderr
    assert kirana("verify").exit_code == 0
    assert [m["seq"] for m in kirana("find", "998877", "--json").json()["matches"]] == [2]
    assert [m["seq"] for m in kirana("find", "दूध", "--json").json()["matches"]] == [3]
