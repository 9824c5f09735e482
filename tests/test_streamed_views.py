"""Long lists stream (issue 14): statement, dues, aging, balance for everyone and log are drawn
row by row at a fixed width (kirana.reports.fixed_width), stay within 80 columns on an
80-column screen, and the terminal's statement opens on the newest entries with the dues
before them, saying how to see all. JSON and CSV keep every entry."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kirana import recording
from kirana.reports.fixed_width import Column, cell_width, write_table


def _busy_priya(ledger, sales: int = 70) -> None:
    """Priya: 70 credit sales of ₹10 on successive days from 2024-01-01, then a ₹50 payment;
    one of the sales voided."""
    recording.add_customer(ledger, "Priya Madam", None, None)
    for n in range(sales):
        day = f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}"
        recording.record_sale(
            ledger, "Priya", method="credit", occurred_at=day, amount_paise=1000 + n
        )
    recording.record_payment(ledger, "Priya", 5000, occurred_at="2024-03-20")
    recording.record_void(ledger, 3, "typed twice")


ENTRY = re.compile(r"^20\d\d-\d\d-\d\d(?: \d\d:\d\d)?\s+(\d+)\s")


def _entries(text: str) -> list[int]:
    return [int(m.group(1)) for line in text.splitlines() if (m := ENTRY.match(line))]


def test_statement_on_screen_shows_the_newest_50_with_the_dues_before_them(ledger, kirana):
    _busy_priya(ledger)
    whole = kirana("statement", "Priya", "--format", "json").json()
    assert len(whole["lines"]) == 72  # 70 sales, the payment, the void: JSON keeps them all
    text = kirana("statement", "Priya").stdout
    newest = whole["lines"][-50:]
    assert _entries(text) == [line["seq"] for line in newest]
    before = whole["lines"][-51]["balance_paise"]  # the running dues just before the window
    opening = next(line for line in text.splitlines() if "Opening dues" in line)
    assert opening.split()[-1] == f"₹{before // 100:,}.{before % 100:02d}"
    assert "Closing dues" in text and whole["closing"] in text.replace(",", "")
    assert (
        "Showing the newest 50 of 72 entries; see them all with"
        " kirana statement 'Priya Madam' --all (or --from DAY)." in text
    )


def test_statement_all_and_from_show_every_entry(ledger, kirana):
    _busy_priya(ledger)
    for args in (("--all",), ("--from", "2024-01-01")):
        text = kirana("statement", "Priya", *args).stdout
        assert len(_entries(text)) == 72
        assert "Showing the newest" not in text
        assert "[VOIDED by #73]" in text


def test_statement_csv_and_md_still_hold_every_entry(ledger, kirana):
    _busy_priya(ledger)
    csv_text = kirana("statement", "Priya", "--format", "csv").stdout
    assert len(csv_text.splitlines()) == 1 + 72 + 2  # header, entries, opening and closing
    md = kirana("statement", "Priya", "--format", "md").stdout
    assert (
        "Showing the newest" not in md
        and len([line for line in md.splitlines() if line.startswith("| 20")]) == 72
    )


def test_lists_fit_80_columns(ledger, kirana, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _busy_priya(ledger)
    recording.add_customer(ledger, "Sunita Didi Andheri East Wale", "9876543210", None)
    recording.record_sale(
        ledger, "Sunita", method="credit", occurred_at="2024-01-05", amount_paise=123456789
    )
    for args in (
        ("statement", "Priya"),
        ("statement", "Priya", "--all"),
        ("dues",),
        ("dues", "--aging"),
        ("balance",),
        ("log", "--last", "30"),
    ):
        result = kirana(*args)
        assert result.exit_code == 0, result.stderr
        widths = [cell_width(line) for line in result.stdout.splitlines()]
        assert max(widths) <= 80, (args, result.stdout)


def test_dues_and_aging_keep_their_rows_and_totals(ledger, kirana):
    _busy_priya(ledger, sales=3)
    recording.add_customer(ledger, "Rohit", None, None)
    recording.record_sale(
        ledger, "Rohit", method="credit", occurred_at="2025-03-01", amount_paise=9900
    )
    dues = kirana("dues").stdout.splitlines()
    assert dues[0] == "Dues" and dues[3].split() == ["Rohit", "₹99.00"]
    foot = [line.split() for line in dues if line.startswith(("Owed", "Advances", "Net"))]
    assert foot == [  # Priya's 10.00 + 10.02 - 50.00 is an advance, in words and in the foot
        ["Owed", "(1", "customer)", "₹99.00"],
        ["Advances", "(1", "customer)", "₹29.98"],
        ["Net", "(owed", "−", "advances)", "₹69.02"],
    ]
    assert any(line.split() == ["Priya", "Madam", "advance", "₹29.98"] for line in dues)
    aging = kirana("dues", "--aging").stdout
    assert "Dues by age as of 2025-03-10" in aging and "2025-03-01 (9 d)" in aging
    assert "advance" in aging


# ---- the renderer ----------------------------------------------------------------------------
def test_rows_are_written_before_the_last_one_is_read():
    out = io.StringIO()
    seen_when: list[int] = []

    def rows():
        for n in range(5000):
            if n == 4000:
                seen_when.append(len(out.getvalue()))
            yield [str(n), f"row {n}"]

    count = write_table(out, [Column("#", right=True), Column("What", flex=True)], rows(), width=80)
    assert count == 5000
    assert seen_when[0] > 0  # lines were on their way long before the last row was read
    assert out.getvalue().splitlines()[-1] == "4999  row 4999"


def test_text_wraps_and_numbers_never_do():
    out = io.StringIO()
    write_table(
        out,
        [Column("Name", flex=True), Column("Dues", right=True)],
        [["Sunita Didi Andheri East Wale Ki Dukaan", "₹1,23,45,678.90"]],
        width=30,
        footer=[["Total", "₹1,23,45,678.90"]],
        notes=["a note"],
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Name") and set(lines[1]) == {"─"}
    assert lines[2].endswith("₹1,23,45,678.90") and lines[2].startswith("Sunita")
    assert all(cell_width(line) <= 30 for line in lines)
    name_width = len(lines[2]) - len("₹1,23,45,678.90") - 2
    body = " ".join(line[:name_width].strip() for line in lines[2:-3])
    assert body == "Sunita Didi Andheri East Wale Ki Dukaan"
    assert lines[-2].startswith("Total") and lines[-1] == "a note"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=0, max_size=40), st.integers(-(10**12), 10**12)),
        max_size=30,
    ),
    st.integers(min_value=20, max_value=120),
)
def test_every_cell_shows_visibly_and_whole(rows, width):
    """Whatever the text, no hidden character reaches the screen and no character is lost."""
    from kirana.money import format_rupees
    from kirana.safe_text import visible

    out = io.StringIO()
    write_table(
        out,
        [Column("Customer", flex=True), Column("Dues", right=True)],
        ([name, format_rupees(paise)] for name, paise in rows),
        width=width,
    )
    text = out.getvalue()
    for line in text.splitlines():
        assert visible(line) == line
    for _, paise in rows:
        assert format_rupees(paise) in text
        text = text.replace(format_rupees(paise), "", 1)
    rest = iter(text)
    for name, _ in rows:  # every character of every name, in order
        for char in "".join(visible(name).split()):
            assert char in rest


def test_statement_on_screen_writes_an_advance_in_words(ledger, kirana):
    _busy_priya(ledger, sales=3)  # ₹10.00 + ₹10.02 - ₹50.00 (the ₹10.01 sale voided)
    text = kirana("statement", "Priya").stdout
    closing = next(line for line in text.splitlines() if "Closing dues" in line)
    assert closing.split()[-2:] == ["advance", "₹29.98"]
    assert "closing dues: advance ₹29.98." in text


def test_statement_as_known_at_on_screen_is_the_whole_page_then(ledger, kirana):
    _busy_priya(ledger)
    now = kirana("statement", "Priya", "--as-known-at", "2099-01-01").stdout
    assert len(_entries(now)) == 72 and "Showing the newest" not in now
    before = kirana("statement", "Priya", "--as-known-at", "2000-01-01").stdout
    assert _entries(before) == [] and "Closing dues" in before
