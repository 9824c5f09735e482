"""The page_lines read model (issue 14): per khata entry, what its customer's page shows of it,
clustered by customer, so a statement of twenty thousand entries reads one range of small rows
instead of seeking, inflating and parsing every whole event.

A page line is the payload trimmed to what a page reads (page_lines.PAGE_KEYS): for payloads
the real builders make (every entry kind, notes, references, invoice and credit note numbers,
returns against a sale, voids, Devanagari text) the page says exactly what the whole payload
says. The table is written with every append and import, equals the replay (verify names a
wrong, missing or extra row by its entry), is refilled by rebuild, and migration 017 fills it
for an older ledger (the release fixtures then show the same pages)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from conftest import run_kirana_process as run_kirana
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kirana import page_lines, recording, statements
from kirana.errors import InputError
from kirana.events import (
    BALANCE_CONFIRMED,
    OPENING_BALANCE,
    PAYMENT,
    RETURN,
    SALE,
    VOID,
    canonical_json,
    dues_delta_of,
)
from kirana.i18n import in_language, translator
from kirana.import_keys import keyed
from kirana.ledger import open_ledger
from kirana.queries import statement_text
from kirana.read_model_tables import READ_MODEL_TABLES
from kirana.rebuild import rebuild
from kirana.rules import payloads
from kirana.verify import verify

FIXTURES = Path(__file__).parent / "fixtures"
ADVICE = "keep the file as evidence (kirana backup COPY.db), then run kirana rebuild"

words = st.text(
    alphabet=st.sampled_from("abcxyz AB0-/.आटाचीनीदूधसुनीता दीदी्ँ"), min_size=1, max_size=14
)
maybe_words = st.none() | words
qty = st.sampled_from(["1", "0.5", "2", "1.25", "10"])
item = st.tuples(
    words,
    qty,
    st.integers(1, 50_000),
    st.sampled_from(["0", "5", "12", "18"]),
    st.sampled_from(["", "1006", "07132000"]),
    st.sampled_from(["", "kg", "ग्राम", "pkt"]),
)
items = st.none() | st.lists(item, min_size=1, max_size=4)
amount = st.integers(1, 10_000_000)


def _lines(chosen):
    return [payloads.item_line(*fields) for fields in chosen] if chosen else None


@st.composite
def entry(draw) -> tuple[str, dict]:
    """(type, payload) of an entry, built by kirana/rules/payloads.py as a command builds it."""
    try:
        return _entry(draw)
    except InputError:  # text the builders refuse (all spaces, too long a total)
        assume(False)


def _entry(draw) -> tuple[str, dict]:
    kind = draw(st.sampled_from([SALE, PAYMENT, RETURN, OPENING_BALANCE, BALANCE_CONFIRMED, VOID]))
    number = f"/2025-26/{draw(st.integers(1, 9999)):04d}"
    if kind == SALE:
        chosen = draw(items)
        data = payloads.sale_data(
            draw(st.sampled_from(["cash", "upi", "card", "credit"])),
            has_customer=True,
            lines=_lines(chosen),
            amount_paise=None if chosen else draw(amount),
            reference=draw(maybe_words),
            note=draw(maybe_words),
            voucher=draw(st.none() | st.just("INV" + number)),
        )
    elif kind == PAYMENT:
        data = payloads.payment_data(
            draw(amount),
            method=draw(st.sampled_from(["cash", "upi", "card", "cheque", "bank"])),
            reference=draw(maybe_words),
            note=draw(maybe_words),
        )
    elif kind == RETURN:
        chosen = draw(items)
        data = payloads.return_data(
            draw(st.sampled_from(["khata", "cash", "upi"])),
            has_customer=True,
            lines=_lines(chosen),
            amount_paise=None if chosen else draw(amount),
            against=draw(st.none() | st.integers(1, 10**6)),
            reference=draw(maybe_words),
            note=draw(maybe_words),
            voucher=draw(st.none() | st.just("CN" + number)),
        )
    elif kind == OPENING_BALANCE:
        data = payloads.opening_data(draw(st.integers(-500_000, 500_000).filter(bool)))
    elif kind == BALANCE_CONFIRMED:
        data = payloads.confirmation_data(draw(st.integers(-500_000, 500_000)))
    else:
        data = payloads.void_data(draw(st.integers(1, 10**6)), draw(words))
    if draw(st.booleans()):  # recorded from an import row
        data = keyed(data, b"k" * 16, b"c" * 8)
    return kind, data


@settings(max_examples=400, deadline=None)
@given(entry=entry(), customer=st.none() | words)
def test_a_trimmed_payload_reads_on_a_page_as_the_whole_one(entry, customer):
    kind, data = entry
    line = page_lines.trimmed(data)
    assert page_lines.trimmed(line) == line
    assert set(line) <= set(page_lines.PAGE_KEYS)
    stored = page_lines.line_of(data)  # by orjson (loaded here), as rebuild and imports write it
    assert stored == canonical_json(line).encode()  # as one append writes it (no orjson)
    read = statements.loads_payload(stored)
    assert read == line
    delta = dues_delta_of(kind, data)
    assert dues_delta_of(kind, read) == delta
    assert (read.get("amount_paise"), read.get("note")) == (
        data.get("amount_paise"),
        data.get("note"),
    )
    assert statement_text(kind, customer, read, delta) == statement_text(
        kind, customer, data, delta
    )
    with in_language("hi"):
        tr = translator()
        hindi = statement_text(kind, customer, read, delta, tr)
        assert hindi == statement_text(kind, customer, data, delta, tr)


def test_a_sale_line_keeps_what_its_page_says():
    data = payloads.sale_data(
        "credit",
        has_customer=True,
        lines=[payloads.item_line("आटा", "2", 5000, "5", "1101", "kg"),
               payloads.item_line("oil", "1", 15000, "18")],
        note="दीदी को",
        voucher="INV/2025-26/0007",
    )  # fmt: skip
    assert page_lines.line_of(keyed(data, b"k" * 16, b"c" * 8)).decode() == (
        '{"amount_paise":25000,"items":[{"name":"आटा","qty":"2","unit":"kg"},'
        '{"name":"oil","qty":"1"}],"method":"credit","note":"दीदी को","voucher":"INV/2025-26/0007"}'
    )


def _khata(ledger) -> None:
    recording.add_customer(ledger, "Priya")
    recording.add_customer(ledger, "सुनीता")
    recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2025-01-02", amount_paise=500, note="n1"
    )
    recording.record_payment(ledger, "सुनीता", 200, occurred_at="2025-01-03", method="upi",
                             reference="UTR1")  # fmt: skip
    recording.record_sale(
        ledger, "सुनीता", method="credit", occurred_at="2024-12-30T09:15", amount_paise=900
    )
    recording.record_void(ledger, 3, "typed twice")
    recording.merge_customers(ledger, "सुनीता", "Priya", "same person")


def _pages(conn) -> list[tuple]:
    return list(conn.execute("SELECT * FROM page_lines"))


def test_every_entry_has_its_page_line_in_page_order(ledger):
    _khata(ledger)
    assert _pages(ledger.conn) == [
        (1, "2025-01-02", 3, "sale", "2025-01-02", "Priya",
         b'{"amount_paise":500,"method":"credit","note":"n1","voucher":"INV/2024-25/0001"}'),
        (1, "2025-03-10T18:00:00", 6, "void", "2025-03-10T18:00:00+05:30", "Priya",
         b'{"reason":"typed twice","target":3}'),
        (2, "2024-12-30T14:45:00", 5, "sale", "2024-12-30T09:15", "सुनीता",
         b'{"amount_paise":900,"method":"credit","voucher":"INV/2024-25/0002"}'),
        (2, "2025-01-03", 4, "payment", "2025-01-03", "सुनीता",
         b'{"amount_paise":200,"method":"upi","reference":"UTR1"}'),
    ]  # fmt: skip
    assert verify(ledger).ok
    appended = {t: sorted(ledger.conn.execute(f"SELECT * FROM {t}")) for t in READ_MODEL_TABLES}
    rebuild(ledger)
    assert {t: sorted(ledger.conn.execute(f"SELECT * FROM {t}")) for t in READ_MODEL_TABLES} == (
        appended
    )
    page = statements.statement(ledger, 1)
    latest = ledger.conn.execute("SELECT max(recorded_at) FROM events").fetchone()[0]
    whole = statements.statement(ledger, 1, known_at=latest)
    assert [line.described() for line in page.lines] == [line.described() for line in whole.lines]
    assert [line.seq for line in page.lines] == [5, 3, 4, 6]  # both names, in business order


@pytest.mark.parametrize(
    ("damage", "seq"),
    [
        ("UPDATE page_lines SET line = CAST('{\"amount_paise\":1}' AS BLOB) WHERE seq = 4", 4),
        ("UPDATE page_lines SET occurred_at = '2025-01-01' WHERE seq = 5", 5),
        ("DELETE FROM page_lines WHERE seq = 3", 3),
        ("UPDATE page_lines SET order_key = '2020-01-01' WHERE seq = 6", 6),
        ("INSERT INTO page_lines VALUES (1, '2025-02-01', 2, 'sale', '2025-02-01', 'Priya', x'7b7d')",
         2),
    ],
)  # fmt: skip
def test_verify_names_a_wrong_missing_or_extra_page_line_and_rebuild_mends_it(
    tmp_path, damage, seq
):
    path = tmp_path / "k.db"
    with open_ledger(path) as ledger:
        _khata(ledger)
    conn = sqlite3.connect(path)
    conn.execute(damage)
    conn.commit()
    conn.close()
    done = run_kirana("--db", path, "verify")
    assert done.exit_code == 1
    assert f"page_lines read model differs from replay at entry {seq}; {ADVICE}" in done.stdout
    assert run_kirana("--db", path, "rebuild").exit_code == 0
    assert run_kirana("--db", path, "verify").exit_code == 0


def test_an_imported_numbered_sale_has_its_number_on_its_page(tmp_path):
    path = tmp_path / "k.db"
    csv = tmp_path / "in.csv"
    csv.write_text(
        "date,type,customer,amount,method,items,reference,note,key\n"
        "2025-01-02 10:15,sale,Priya,,credit,atta:2:250;oil:1:180,,first,\n"
        "2025-01-03,payment,Priya,100,upi,,UTR 9,,\n"
        "2025-01-04,return,Priya,50,khata,,,back,\n",
        encoding="utf-8",
    )
    assert run_kirana("--db", path, "import", csv).exit_code == 0
    with open_ledger(path) as ledger:
        lines = [statements.loads_payload(row[-1]) for row in _pages(ledger.conn)]
        data = [ev.data for ev in ledger.iter_events() if ev.type in (SALE, PAYMENT, RETURN)]
        assert lines == [page_lines.trimmed(d) for d in data]
        assert lines[0][page_lines.invoices.FIELD].startswith("INV/")
        assert verify(ledger).ok


@pytest.mark.parametrize("release", ["release-0.1", "release-0.2"])
def test_the_migration_fills_page_lines_of_a_release_ledger(tmp_path, release):
    """An old ledger migrates through 017: its page lines equal what rebuild writes, and every
    customer's page (read from them) equals the page read whole from the events."""
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / release / f"{release}.db", path)
    with open_ledger(path) as ledger:
        migrated = sorted(_pages(ledger.conn))
        assert len(migrated) == ledger.conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        assert verify(ledger).ok
        latest = ledger.conn.execute("SELECT max(recorded_at) FROM events").fetchone()[0]
        ids = [
            i for (i,) in ledger.conn.execute("SELECT id FROM customers WHERE merged_into IS NULL")
        ]
        for customer_id in ids:
            for start in (None, date(2025, 3, 1)):
                page = statements.statement(ledger, customer_id, start)
                whole = statements.statement(ledger, customer_id, start, known_at=latest)
                assert [(l.seq, l.occurred_at, l.balance_paise, l.voided_by, l.described())
                        for l in page.lines] == [
                    (l.seq, l.occurred_at, l.balance_paise, l.voided_by, l.described())
                    for l in whole.lines
                ]  # fmt: skip
        rebuild(ledger)
        assert sorted(_pages(ledger.conn)) == migrated


@pytest.mark.parametrize("form", ["csv", "json", "screen"])
def test_a_page_line_changed_behind_kirana_is_an_error_not_a_wrong_page(tmp_path, form):
    """A statement shows its lines from page_lines but its closing dues from the balances: a
    line whose amount was changed in the file makes the page not add up, and the statement
    says so (after the lines it has drawn) instead of ending as if it did."""
    path = tmp_path / "k.db"
    with open_ledger(path) as ledger:
        _khata(ledger)
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE page_lines SET line = CAST(replace(CAST(line AS TEXT), '900', '99900') AS BLOB)"
        " WHERE seq = 5"
    )
    conn.commit()
    conn.close()
    args = ["--format", form] if form != "screen" else ["--all"]
    done = run_kirana("--db", path, "statement", "सुनीता", *args)
    assert done.exit_code == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: the khata page of Priya does not add up to their dues (₹997.00 against ₹7.00):"
        " a read model is damaged; run kirana verify, then kirana rebuild"
    )
    assert "Traceback" not in done.stderr


def test_a_page_line_that_does_not_parse_names_its_entry(tmp_path):
    path = tmp_path / "k.db"
    with open_ledger(path) as ledger:
        _khata(ledger)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE page_lines SET line = x'00ff' WHERE seq = 4")
    conn.commit()
    conn.close()
    done = run_kirana("--db", path, "statement", "Priya", "--format", "csv")
    assert done.exit_code == 1
    assert done.stderr.strip() == (
        "Error: the page line of entry 4 (page_lines read model) is damaged; run kirana verify,"
        " then kirana rebuild"
    )
