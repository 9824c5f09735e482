"""A statement's long formats made straight from its lines (reports/statement_rows.py) give the
same text as the generic path: for random khatas (credit, cash and UPI sales with items, units
and notes in any script, payments with references, refunds, returns, openings, voids, merges),
the page read with only the columns it shows equals the page read from whole events; its CSV
equals the Layout's CSV, its terminal rows the Layout's cells as text (English and Hindi), its
JSON the JSON built from the lines as before. Money formatted from its digits equals the
divmod formatting it replaced, and a fixed-width row padded in one pass equals the row padded
cell by cell."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import khata_histories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from khata_histories import NAMES, amounts

from kirana import recording, statements
from kirana.errors import InputError, LedgerError
from kirana.i18n import in_language
from kirana.ledger import open_ledger
from kirana.money import format_rupees, group_indian, money_json, rupees_in_words, rupees_str
from kirana.page_lines import trimmed
from kirana.reports import layout_statement, statement_rows
from kirana.reports.fixed_width import (
    Column,
    _lines,
    _plain_batch,
    _plain_lines,
    cell_width,
    row_template,
    wrap,
)
from kirana.reports.period import snapshot
from kirana.reports.render import csv_text as layout_csv
from kirana.reports.statement import statement_report

START = date(2024, 1, 1)
TEXTS = ["atta", "चीनी", "=SUM(A1)", "tea, 2 kg", 'say "hi"', "a\x1bb", "+91", "बिस्कुट पैक"]
days = st.integers(min_value=0, max_value=300)
text = st.sampled_from(TEXTS)
UNITS = {"atta": "kg", "oil": "l"}  # in the catalog with a unit; the others without one
item = st.tuples(
    st.sampled_from(["atta", "चीनी", "tea bag", "oil"]),
    st.sampled_from(["1", "0.5", "2"]),
    st.integers(1, 90_000),
)
operation = st.one_of(
    khata_histories.operations(max_day=300),
    st.tuples(
        st.just("items"),
        st.sampled_from(NAMES),
        st.tuples(
            st.lists(item, min_size=1, max_size=3), st.sampled_from(["credit", "cash", "upi"])
        ),
        days,
        st.one_of(st.none(), text),
    ),
    st.tuples(
        st.just("paid"),
        st.sampled_from(NAMES),
        st.tuples(amounts, st.sampled_from(["cash", "upi", "card"])),
        days,
        st.one_of(st.none(), text),
    ),
    st.tuples(
        st.just("refund"),
        st.sampled_from(NAMES),
        st.tuples(amounts, st.sampled_from(["cash", "upi", "khata"])),
        days,
        st.one_of(st.none(), text),
    ),
)


def _apply(ledger, op, live: list[int], merged: set[str], refs: list[int]) -> None:
    if op[0] not in ("items", "paid", "refund"):
        khata_histories.apply(ledger, op, live, merged, START)
        return
    kind, who, what, offset, note = op
    if who in merged:
        return
    when = khata_histories.day(START, offset)
    if kind == "items":
        lines, method = what
        words = [f"{name}:{qty}@{paise // 100}.{paise % 100:02d}" for name, qty, paise in lines]
        done = recording.sale_from_words(
            ledger, [who, *words], method=method, occurred_at=when, note=note
        )
    elif kind == "paid":
        amount, method = what
        refs.append(len(refs) + 1)
        reference = f"UTR{refs[-1]:06d}" if method != "cash" else None
        done = recording.record_payment(
            ledger, who, amount, method=method, occurred_at=when, reference=reference, note=note
        )
    else:
        amount, settlement = what
        done = recording.record_return(
            ledger, who, settlement=settlement, occurred_at=when, amount_paise=amount, note=note
        )
    live.append(done.event.seq)


def line_fields(page) -> list[tuple]:
    """What a page shows of each line (a page read from page_lines holds each payload trimmed
    to what a page reads; one read whole as known at a moment, the whole payload)."""
    return [
        (l.seq, l.occurred_at, l.debit_paise, l.credit_paise, l.balance_paise, l.voided_by,
         l.type, l.customer, trimmed(l.data), l.description, l.amount_paise, l.note)
        for l in page.lines
    ]  # fmt: skip


def json_as_before(report) -> str:
    """The statement's JSON as report_json built it before statement_rows (money_json per
    figure, the line's English description), written by json.dumps."""
    page = report.page
    lines = []
    for line in page.lines:
        amount = line.amount_paise
        lines.append(
            {
                "seq": line.seq,
                "occurred_at": line.occurred_at,
                "description": line.description,
                **money_json(line.debit_paise, "debit"),
                **money_json(line.credit_paise, "credit"),
                **money_json(line.balance_paise, "balance"),
                **(money_json(amount, "amount") if amount is not None else
                   {"amount_paise": None, "amount": None}),
                "note": line.note,
                "voided_by": line.voided_by,
            }
        )  # fmt: skip
    value = {
        "customer": page.customer,
        "from": page.start,
        "to": page.end,
        "head": report.head,
        **money_json(page.opening_paise, "opening"),
        **money_json(page.closing_paise, "closing"),
        "upi_link": report.upi_link,
        "lines": lines,
    }
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def assert_same_page(ledger, name: str) -> None:
    row = ledger.conn.execute("SELECT id FROM customers WHERE name = ?", (name,)).fetchone()
    latest = ledger.conn.execute("SELECT max(recorded_at) FROM events").fetchone()[0]
    narrow = statements.statement(ledger, row[0])
    whole = statements.statement(ledger, row[0], known_at=latest)
    assert line_fields(narrow) == line_fields(whole)
    assert (narrow.opening_paise, narrow.closing_paise) == (
        whole.opening_paise,
        whole.closing_paise,
    )
    lazy = statements.statement(ledger, row[0], lazy=True, start=date(2024, 3, 1))
    listed = statements.statement(ledger, row[0], start=date(2024, 3, 1))
    assert line_fields(lazy) == line_fields(listed)
    with snapshot(ledger):
        report = statement_report(ledger, name)
    assert statement_rows.json_text(report) == json_as_before(report)
    assert statement_rows.json_bytes(report) == json_as_before(report).encode()
    with in_language("en"):
        assert statement_rows.csv_text(report) == layout_csv(
            layout_statement.statement_layout(report)
        )
    for language in ("en", "hi"):
        with in_language(language):
            cells = [layout_statement.opening_cells(report.page)]
            cells += [layout_statement.line_cells(line) for line in report.page.lines]
            expected = [[str(cell) for cell in row] for row in cells]
            assert list(statement_rows.screen_rows(report.page)) == expected


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=30))
def test_every_format_of_a_page_equals_the_generic_path(ops):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        for name, unit in UNITS.items():
            recording.set_item(ledger, name, price_paise=100, gst="5", unit=unit,
                               effective_from="2023-01-01")  # fmt: skip
        live: list[int] = []
        merged: set[str] = set()
        refs: list[int] = []
        for op in ops:
            try:
                _apply(ledger, op, live, merged, refs)
            except (InputError, LedgerError):
                pass  # an entry the rules refuse (a return above the dues, a closed day)
        for name in NAMES:
            if name not in merged:
                assert_same_page(ledger, name)


def format_rupees_as_before(paise: int, symbol: bool = True) -> str:
    sign = "-" if paise < 0 else ""
    rupees, rest = divmod(abs(paise), 100)
    return f"{sign}{'₹' if symbol else ''}{group_indian(str(rupees))}.{rest:02d}"


def rupees_str_as_before(paise: int) -> str:
    sign = "-" if paise < 0 else ""
    rupees, rest = divmod(abs(paise), 100)
    return f"{sign}{rupees}.{rest:02d}"


@given(st.one_of(st.integers(-1_000, 1_000), st.integers(-(10**20), 10**20)))
def test_money_from_its_digits_equals_divmod(paise):
    assert format_rupees(paise) == format_rupees_as_before(paise)
    assert format_rupees(paise, symbol=False) == format_rupees_as_before(paise, symbol=False)
    assert rupees_str(paise) == rupees_str_as_before(paise)


def test_money_is_still_only_integer_paise():
    for wrong in (True, 1.5, "5", None):
        for formatter in (format_rupees, rupees_str):
            try:
                formatter(wrong)
            except TypeError as exc:
                assert "money must be integer paise" in str(exc)
            else:
                raise AssertionError(f"{formatter.__name__}({wrong!r}) did not refuse it")


def _pad_as_before(text: str, width: int, right: bool) -> str:
    room = width - cell_width(text)
    if room <= 0:
        return text
    return " " * room + text if right else text + " " * room


def lines_as_before(row, columns, sizes, header=False) -> list[str]:
    """fixed_width._lines as it was: every cell padded by measuring it again."""
    used = [cell_width(cell) for cell in row]
    if all(cells <= size for cells, size in zip(used, sizes, strict=True)):
        return ["  ".join(_pad_as_before(c, s, col.right)
                          for c, s, col in zip(row, sizes, columns)).rstrip()]  # fmt: skip
    parts = [
        [cell] if col.right and not header else wrap(cell, size)
        for cell, size, col in zip(row, sizes, columns, strict=True)
    ]
    out = []
    for line_no in range(max(len(p) for p in parts)):
        cells = [
            _pad_as_before(p[line_no] if line_no < len(p) else "", size, col.right)
            for p, size, col in zip(parts, sizes, columns, strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    return out


cell = st.one_of(
    st.sampled_from(["", "₹1,23,456.00", "advance ₹5.00", "अग्रिम ₹5.00", "2025-03-01 10:00"]),
    st.text(alphabet="ab ₹,.क्षि漢\u0301 ", max_size=30),
    st.text(alphabet="ab ₹,.0 ", max_size=30),
    st.integers(0, 10**9).map(str),
)


@given(
    rows=st.lists(st.lists(cell, min_size=4, max_size=4), min_size=1, max_size=5),
    sizes=st.lists(st.integers(0, 25), min_size=4, max_size=4),
    right=st.lists(st.booleans(), min_size=4, max_size=4),
    header=st.booleans(),
)
def test_a_row_padded_in_one_pass_is_the_row_padded_cell_by_cell(rows, sizes, right, header):
    columns = [Column(f"c{i}", right=r) for i, r in enumerate(right)]
    template = row_template(columns, sizes)
    for row in rows:
        drawn = _lines(row, columns, sizes, header)
        assert drawn == lines_as_before(row, columns, sizes, header)
        plain = _plain_lines(row, template)  # for body rows only (a header's numbers wrap)
        assert header or plain is None or plain == drawn


plain_cell = st.one_of(
    st.sampled_from(["", "₹1,23,456.00", "advance ₹5.00", "2025-03-01 10:00"]),
    st.text(alphabet="ab ₹,.0Z-", max_size=30),
    st.integers(0, 10**9).map(str),
)


@given(
    rows=st.lists(
        st.lists(st.one_of(plain_cell, cell), min_size=4, max_size=4), min_size=1, max_size=8
    ),
    sizes=st.lists(st.integers(0, 25), min_size=4, max_size=4),
    right=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_rows_padded_in_a_batch_are_each_row_padded_cell_by_cell(rows, sizes, right):
    """A batch of rows of ASCII text and rupee signs is drawn at once, the rows whose text is
    wider than its column (a statement's long descriptions) wrapped among them: the lines are
    each row's own, in order; a batch holding any other row is left to be drawn row by row."""
    columns = [Column(f"c{i}", right=r) for i, r in enumerate(right)]
    batch = _plain_batch(rows, row_template(columns, sizes))
    joined = "".join(map("".join, rows))
    plain = joined.isprintable() and joined.replace("₹", "").isascii()
    assert (batch is not None) == plain
    if batch is not None:
        assert batch == [line for row in rows for line in _lines(row, columns, sizes)]


def rupees_in_words_as_before(paise: int) -> str:
    """money.rupees_in_words as it was, through num2words(…, lang="en_IN")."""
    from num2words import num2words

    rupees, rest = divmod(abs(paise), 100)

    def words(number: int) -> str:
        spoken = num2words(number, lang="en_IN").replace(",", "")
        return " ".join(w if w == "and" else w.title() for w in spoken.split())

    if rupees and rest:
        text = f"Rupees {words(rupees)} and {words(rest)} Paise"
    elif rest:
        text = f"{words(rest)} Paise"
    else:
        text = f"Rupees {words(rupees)}"
    return f"{'Minus ' if paise < 0 else ''}{text} Only"


@given(st.one_of(st.integers(-100_000, 100_000), st.integers(-(10**12) + 1, 10**12 - 1)))
def test_dues_in_words_are_num2words_indian_english(paise):
    # below num2words' bound (₹1,000 crore); beyond it kirana counts the crores (test_money.py)
    assert rupees_in_words(paise) == rupees_in_words_as_before(paise)
