"""`report month` (issue 3 acceptance 1, 5, 6): hand-computed figures, reconciliation for random
ledgers, golden renders, every format, spreadsheet-formula safety, provenance.

Golden files live in tests/golden/. To regenerate them after an intended change:
    UPDATE_GOLDEN=1 python -m pytest -q tests/test_reports_month.py tests/test_reports_gst.py
then review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import dates, recording, replay
from kirana.catalog import make_line
from kirana.ledger import open_ledger
from kirana.reports.month import month_report
from kirana.reports.render import render

GOLDEN = Path(__file__).parent / "golden"
NAUGHTY = '=HYPERLINK("x")'


def build_march(ledger) -> dict:
    """The hand-built ledger; the comments carry the hand computation."""
    recording.set_shop(
        ledger,
        {
            "name": "Sharma General Store",
            "gstin": "27AAPFU0939F1ZV",
            "state": "Maharashtra",
            "scheme": "regular",
            "default_gst_rate": "5",
        },
        "2025-01-01",
    )
    recording.add_customer(ledger, "Priya Madam", occurred_at="2025-02-01")
    recording.add_customer(ledger, "Ravi", occurred_at="2025-02-01")
    recording.add_customer(ledger, "Anil", occurred_at="2025-03-05")
    recording.add_customer(ledger, NAUGHTY, occurred_at="2025-03-05")
    # February: opening dues at the end of it are Priya 700 + Ravi 200 = ₹900
    recording.record_opening(ledger, "Priya", 100000, occurred_at="2025-02-01")
    recording.record_sale(
        ledger, "Ravi", method="credit", occurred_at="2025-02-10", amount_paise=20000
    )
    recording.record_payment(ledger, "Priya", 30000, occurred_at="2025-02-20")
    atta2 = make_line("atta", "2", 25000, "5", "1101", "kg")
    sale = recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2025-03-01", lines=[atta2]
    ).event
    milk2 = make_line("milk", "2", 3000, "0", "0401", "ltr")
    recording.record_sale(
        ledger, None, method="cash", occurred_at="2025-03-02T10:15", lines=[milk2]
    )
    recording.record_sale(ledger, None, method="upi", occurred_at="2025-03-02", amount_paise=11800)
    recording.record_sale(
        ledger, "Ravi", method="credit", occurred_at="2025-03-03", amount_paise=15000
    )
    recording.record_payment(ledger, "Priya", 40000, method="upi", occurred_at="2025-03-04")
    recording.record_payment(ledger, "Ravi", 10000, method="cash", occurred_at="2025-03-05")
    atta1 = make_line("atta", "1", 25000, "5", "1101", "kg")
    recording.record_return(
        ledger,
        "Priya",
        settlement="khata",
        occurred_at="2025-03-06",
        lines=[atta1],
        against=sale.seq,
    )
    milk1 = make_line("milk", "1", 3000, "0", "0401", "ltr")
    recording.record_return(
        ledger, None, settlement="cash", occurred_at="2025-03-07", lines=[milk1]
    )
    recording.record_opening(ledger, "Anil", 25000, occurred_at="2025-03-08")
    wrong_sale = recording.record_sale(
        ledger, "Anil", method="credit", occurred_at="2025-03-09", amount_paise=8000
    ).event
    wrong_pay = recording.record_payment(ledger, "Priya", 2000, occurred_at="2025-03-09").event
    recording.record_void(ledger, wrong_sale.seq, "typed on the wrong page")
    recording.record_void(ledger, wrong_pay.seq, "cheque bounced")
    recording.record_sale(
        ledger, NAUGHTY, method="credit", occurred_at="2025-03-10", amount_paise=100
    )
    # April: must not count
    recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2025-04-01", amount_paise=99900
    )
    return {"voided": [wrong_sale.seq, wrong_pay.seq]}


@pytest.fixture
def march(ledger):
    build_march(ledger)
    return ledger


def test_hand_built_month_figures(march):
    report = month_report(march, "2025-03")
    assert report.opening_dues_paise == 90000
    # Priya 700 + 500 − 400 − 250 = 550; Ravi 200 + 150 − 100 = 250; Anil 250; naughty 1
    assert report.closing_dues_paise == 105100
    sales = {k: (t.count, t.paise) for k, t in report.sales_by_method.items()}
    assert sales == {"cash": (1, 6000), "upi": (1, 11800), "card": (0, 0), "credit": (3, 65100)}
    assert (report.sales.count, report.sales.paise) == (5, 82900)
    pays = {k: (t.count, t.paise) for k, t in report.payments_by_method.items() if t.count}
    assert pays == {"upi": (1, 40000), "cash": (1, 10000)}  # the voided ₹20 is left out
    rets = {k: (t.count, t.paise) for k, t in report.returns_by_settlement.items() if t.count}
    assert rets == {"khata": (1, 25000), "cash": (1, 3000)}
    assert (report.opening_balances.count, report.opening_balances.paise) == (1, 25000)
    assert [(v.type, v.amount_paise, v.dues_effect_paise) for v in report.voided] == [
        ("sale", 8000, 8000),
        ("payment", 2000, -2000),
    ]
    rec = report.reconciliation
    # 900 + 731 (entered credit sales) + 250 − 520 (entered payments) − 250 − 60 (voids) = 1051
    assert (rec.credit_sales_paise, rec.opening_balances_paise) == (73100, 25000)
    assert (rec.payments_paise, rec.khata_returns_paise, rec.voids_paise) == (52000, 25000, -6000)
    assert rec.holds and rec.computed_closing_paise == 105100
    assert report.top_debtors == [
        ("Priya Madam", 55000),
        ("Anil", 25000),
        ("Ravi", 25000),
        (NAUGHTY, 100),
    ]
    assert report.new_customers == [("Anil", "2025-03-05"), (NAUGHTY, "2025-03-05")]
    days = {d.day.isoformat(): (d.count, d.paise) for d in report.days if d.count}
    assert days == {
        "2025-03-01": (1, 50000),
        "2025-03-02": (2, 17800),
        "2025-03-03": (1, 15000),
        "2025-03-10": (1, 100),
    }
    assert len(report.days) == 31
    assert [(i.name, i.qty, i.unit, i.paise) for i in report.top_items] == [
        ("atta", Decimal(2), "kg", 50000),
        ("milk", Decimal(2), "ltr", 6000),
    ]
    assert report.shop["name"] == "Sharma General Store"
    assert report.warnings == []


def test_closing_dues_equal_balance_as_of_month_end(march, kirana):
    report = month_report(march, "2025-03")
    result = kirana("balance", "--as-of", "2025-03-31", "--json")
    assert result.exit_code == 0
    assert sum(b["balance_paise"] for b in result.json()["balances"]) == report.closing_dues_paise
    before = kirana("balance", "--as-of", "28-02-2025", "--json").json()
    assert sum(b["balance_paise"] for b in before["balances"]) == report.opening_dues_paise


def test_json_contract(march, kirana):
    result = kirana("report", "month", "2025-03", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["opening_dues_paise"] == 90000 and data["opening_dues"] == "900.00"
    assert data["closing_dues_paise"] == 105100 and data["closing_dues"] == "1051.00"
    assert data["credit_sales_paise"] == 65100
    assert data["payments_paise"] == 50000
    assert data["reconciliation"]["holds"] is True
    assert data["reconciliation"]["voids_paise"] == -6000
    assert data["voids"]["count"] == 2
    assert data["voids"]["dues_effect_paise"] == -6000  # the same sign as the reconciliation
    assert data["head"] == march.head()
    assert (
        data["period"] == "2025-03" and data["from"] == "2025-03-01" and data["to"] == "2025-03-31"
    )
    assert data["shop"]["gstin"] == "27AAPFU0939F1ZV"
    assert len(data["days"]) == 31


# ---- random ledgers: the reconciliation holds; closing = balance as of the last day ---------

CUSTOMERS = ["Asha", "Bala", "Chetan"]
operation = st.tuples(
    st.sampled_from(
        ["credit", "cash_sale", "pay", "khata_return", "cash_return", "opening", "void"]
    ),
    st.integers(0, len(CUSTOMERS) - 1),
    st.integers(-35, 65),  # days from 2025-03-01: February, March and April
    st.integers(1, 5_000_00),
    st.booleans(),  # timed (evening) or a bare date
)


def _apply(ledger, op, appended):
    from datetime import date, timedelta

    kind, who_index, offset, amount, timed = op
    who = CUSTOMERS[who_index]
    when = (date(2025, 3, 1) + timedelta(days=offset)).isoformat()
    if timed:
        when += "T21:30:00+05:30"
    if kind == "credit":
        event = recording.record_sale(
            ledger, who, method="credit", occurred_at=when, amount_paise=amount
        )
    elif kind == "cash_sale":
        event = recording.record_sale(
            ledger, None, method="cash", occurred_at=when, amount_paise=amount
        )
    elif kind == "pay":
        event = recording.record_payment(ledger, who, amount, occurred_at=when)
    elif kind == "khata_return":
        event = recording.record_return(
            ledger, who, settlement="khata", occurred_at=when, amount_paise=amount
        )
    elif kind == "cash_return":
        event = recording.record_return(
            ledger, None, settlement="cash", occurred_at=when, amount_paise=amount
        )
    elif kind == "opening":
        signed = amount if amount % 3 else -amount
        event = recording.record_opening(ledger, who, signed, occurred_at=when)
    else:
        live = [seq for seq in appended if seq is not None]
        if not live:
            return
        target = live[amount % len(live)]
        recording.record_void(ledger, target, "random void")
        appended[appended.index(target)] = None
        return
    appended.append(event.event.seq)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_random_ledgers_reconcile(ops):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in CUSTOMERS:
            recording.add_customer(ledger, name, occurred_at="2025-01-01")
        appended: list = []
        for op in ops:
            _apply(ledger, op, appended)
        report = month_report(ledger, "2025-03")
        assert report.reconciliation.holds
        events = list(ledger.iter_events())
        closing = replay.fold(events, as_of=dates.as_of_bound("2025-03-31"))
        opening = replay.fold(events, as_of=dates.as_of_bound("2025-02-28"))
        assert report.closing_dues_paise == sum(closing.balances.values())
        assert report.opening_dues_paise == sum(opening.balances.values())
        voided = {e.data["target"] for e in events if e.type == "void"}
        march_sales = [
            e
            for e in events
            if e.type == "sale" and e.seq not in voided and e.occurred_at.startswith("2025-03")
        ]
        assert report.sales.paise == sum(e.amount_paise for e in march_sales)
        assert sum(d.paise for d in report.days) == report.sales.paise


# ---- renders --------------------------------------------------------------------------------


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing {path}; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "suffix"), [("table", "txt"), ("md", "md")])
def test_golden_renders(fixed_ids, ledger, fmt, suffix):
    build_march(ledger)
    report = month_report(ledger, "2025-03")
    check_golden(f"month_2025-03.{suffix}", render(report, fmt, width=100))


def test_csv_neutralises_formulas_and_keeps_numbers(march, kirana, tmp_path):
    out = tmp_path / "march.csv"
    result = kirana("report", "month", "2025-03", "--out", out)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + NAUGHTY in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert "-60.00" in cells  # the voids line is a negative number, not neutralised text
    closing = next(row for row in rows if row and row[0].startswith("Closing dues"))
    assert closing[-1] == "1051.00"


def test_xlsx_reopens_with_the_same_totals(march, kirana, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "march.xlsx"
    result = kirana("report", "month", "2025-03", "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]

    def row_starting(text):
        return next(r for r in rows if isinstance(r[0], str) and r[0].startswith(text))

    assert row_starting("Opening dues")[1] == 900
    assert row_starting("Closing dues")[1] == 1051
    totals = [r for r in rows if r[0] == "Total"]
    assert [r[2] for r in totals[:3]] == [829, 500, 280]  # sales, payments, returns
    names = [c for row in sheet.iter_rows() for c in row if c.value and NAUGHTY in str(c.value)]
    assert names and all(c.data_type == "s" and c.value.startswith("'=") for c in names)
    assert sheet._charts, "the day-by-day chart is missing"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def test_html_is_self_contained_with_svg_chart(march, kirana):
    result = kirana("report", "month", "2025-03", "--format", "html")
    assert result.exit_code == 0, result.stderr
    parser = _Tags()
    parser.feed(result.stdout)
    parser.close()
    assert "svg" in parser.tags and parser.tags.count("rect") == 31
    assert "script" not in parser.tags and "link" not in parser.tags
    assert not any(name in ("src", "href") for name, _ in parser.attrs)
    assert "<svg" in result.stdout and "&quot;x&quot;" in result.stdout
    assert march.head()["hash"] in result.stdout


# ---- provenance -----------------------------------------------------------------------------


def test_report_carries_head_and_regenerating_shows_the_new_head(march, kirana):
    first = kirana("report", "month", "2025-03", "--format", "md")
    head = march.head()
    assert f"entry {head['seq']}, head hash {head['hash']}" in first.stdout
    recording.record_payment(march, "Ravi", 5000, occurred_at="2025-03-20")
    second = kirana("report", "month", "2025-03", "--format", "json").json()
    new_head = march.head()
    assert second["head"] == new_head and new_head["seq"] == head["seq"] + 1
    assert second["closing_dues_paise"] == 105100 - 5000
    third = kirana("report", "month", "2025-03")
    assert new_head["hash"] in third.stdout and head["hash"] not in third.stdout


# ---- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2025-13"], "Error: period '2025-13' is not a real month"),
        (["March"], "Error: period 'March' is not a month like 2025-03"),
        (["2025-Q1"], "Error: period '2025-Q1' is a quarter; this report is monthly"),
        (["2025-03", "--format", "pdf"], "Error: --format 'pdf' is not one of"),
        (["2025-03", "--format", "xlsx"], "Error: --format xlsx writes a file; add --out"),
    ],
)
def test_bad_input_is_one_error_line_and_nothing_appended(march, kirana, args, message):
    head = march.head()
    result = kirana("report", "month", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert march.head() == head


def test_no_ledger_yet_is_an_error(kirana):
    result = kirana("report", "month", "2025-03")
    assert result.exit_code == 1 and result.stderr.startswith("Error: no ledger at")


def test_empty_month_renders(march, kirana):
    result = kirana("report", "month", "2024-01")
    assert result.exit_code == 0
    assert "nobody owes anything" in result.stdout


def test_business_day_is_the_shop_local_day_whatever_offset_was_stored(ledger):
    recording.add_customer(ledger, "Priya", occurred_at="2025-01-01")
    # 20:00 UTC on 31 March is 01:30 on 1 April in Kolkata: an April sale
    recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2025-03-31T20:00:00+00:00", amount_paise=500
    )
    recording.record_sale(
        ledger, "Priya", method="credit", occurred_at="2025-03-31T23:00:00+05:30", amount_paise=700
    )
    march, april = month_report(ledger, "2025-03"), month_report(ledger, "2025-04")
    assert (march.sales.paise, april.sales.paise) == (700, 500)
    assert april.days[0].paise == 500 and march.days[-1].paise == 700
    assert march.reconciliation.holds and april.reconciliation.holds
    assert april.opening_dues_paise == 700


def test_out_file_format_follows_the_suffix_and_table_files_are_plain(march, kirana, tmp_path):
    md = tmp_path / "march.md"
    result = kirana("report", "month", "2025-03", "--out", md)
    assert result.exit_code == 0 and result.stdout.startswith(f"Wrote {md} (md;")
    assert md.read_text(encoding="utf-8").startswith("# Month report 2025-03")
    txt = tmp_path / "march.txt"
    assert kirana("report", "month", "2025-03", "--out", txt).exit_code == 0
    text = txt.read_text(encoding="utf-8")
    assert "Dues reconciliation" in text and "\x1b[" not in text
    assert "₹1,051.00" in text


def test_report_modules_do_not_import_typer_or_rich():
    import subprocess
    import sys

    code = (
        "import sys; import kirana.reports.month, kirana.reports.gst, kirana.reports.render;"
        "print([m for m in ('typer', 'rich', 'kirana.cli', 'xlsxwriter') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unwritable_out_is_one_error_line(march, kirana, tmp_path):
    result = kirana("report", "month", "2025-03", "--out", tmp_path / "no" / "such" / "m.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write") and result.stderr.count("\n") == 1
