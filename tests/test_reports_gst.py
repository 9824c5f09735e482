"""`report gst` (issue 3 acceptance 2, 5, 6): slabs by the rate stored on each line, credit
notes in the month of the return, exempt supplies, HSN, GSTR-1 Table 7, GSTR-3B 3.1, s.170
rounding, composition (CMP-08) and unregistered modes, thresholds, golden renders, formats.

Regenerate golden files with: UPDATE_GOLDEN=1 python -m pytest -q tests/test_reports_gst.py
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

from kirana import recording
from kirana.catalog import GST_RATES, make_line
from kirana.ledger import open_ledger
from kirana.reports.gst import gst_report
from kirana.reports.render import render

GOLDEN = Path(__file__).parent / "golden"


def shop(ledger, scheme="regular", start="2025-01-01", **extra):
    settings_ = {
        "name": "Sharma General Store",
        "gstin": "27AAPFU0939F1ZV",
        "state": "Maharashtra",
        "scheme": scheme,
        "default_gst_rate": "5",
        **extra,
    }
    recording.set_shop(ledger, settings_, start)


def sale(ledger, when, *lines, who=None, method="cash", amount=None):
    return recording.record_sale(
        ledger, who, method=method, occurred_at=when, lines=list(lines) or None, amount_paise=amount
    ).event


def biscuit(qty="1", price=1000, rate="5"):
    return make_line("biscuit", qty, price, rate, "1905", "pcs")


def shampoo(qty="1"):
    return make_line("shampoo", qty, 11800, "18", "3305", "pcs")


def milk(qty="2"):
    return make_line("milk", qty, 3000, "0", "0401", "ltr")


def build_regular_march(ledger) -> None:
    shop(ledger)
    recording.add_customer(ledger, "Priya", occurred_at="2025-02-01")
    sale(ledger, "2025-03-03", biscuit())  # ₹10 @5 %: 0.24 + 0.24 + 9.52
    sale(ledger, "2025-03-04", shampoo(), method="upi")  # ₹118 @18 %: 9 + 9 + 100
    sale(ledger, "2025-03-05", milk())  # ₹60 exempt
    sale(ledger, "2025-03-06", amount=10500)  # bare: unclassified at 5 %: 2.50 + 2.50 + 100
    sale(ledger, "2025-03-07", biscuit("10"), who="Priya", method="credit")  # 2.38 + 2.38 + 95.24
    wrong = sale(ledger, "2025-03-08", shampoo())
    recording.record_void(ledger, wrong.seq, "rang up twice")
    recording.record_return(  # a credit note of ₹10 at 5 %: 0.24 + 0.24 + 9.52
        ledger, None, settlement="cash", occurred_at="2025-03-09", lines=[biscuit()]
    )


@pytest.fixture
def march(ledger):
    build_regular_march(ledger)
    return ledger


def slab_figures(report):
    return {
        s.rate: (s.net.value_paise, s.net.taxable_paise, s.net.cgst_paise, s.net.sgst_paise)
        for s in report.slabs
    }


def test_regular_month_hand_computed(march):
    report = gst_report(march, "2025-03")
    assert report.scheme == "regular"
    assert slab_figures(report) == {
        "0": (6000, 6000, 0, 0),
        "5": (20500, 19524, 488, 488),  # 1000 + 10500 + 10000 − 1000; 24 + 250 + 238 − 24
        "18": (11800, 10000, 900, 900),
    }
    assert report.exempt.value_paise == 6000
    total = report.net_total
    assert (total.taxable_paise, total.cgst_paise, total.sgst_paise) == (29524, 1388, 1388)
    five = next(s for s in report.slabs if s.rate == "5")
    assert (five.credit_notes.value_paise, five.credit_notes.taxable_paise) == (1000, 952)
    payable = report.payable
    assert (payable.cgst_exact_paise, payable.cgst_paise) == (1388, 1400)  # s.170: up
    assert (payable.total_exact_paise, payable.total_paise) == (2776, 2800)
    hsn = {(r.hsn, r.rate): (r.qty, r.heads.value_paise, r.heads.cgst_paise) for r in report.hsn}
    assert hsn == {
        ("0401", "0"): (Decimal(2), 6000, 0),
        ("1905", "5"): (Decimal(10), 10000, 238),
        ("3305", "18"): (Decimal(1), 11800, 900),
        ("", "5"): (Decimal(0), 10500, 250),
    }
    assert report.unclassified.lines == 1 and report.unclassified.value_paise == 10500
    assert any("unclassified" in w and "₹105.00" in w for w in report.warnings)
    assert report.turnover.total_paise == 38300
    assert report.turnover.returns_paise == 1000


def test_ten_rupees_at_5_and_118_at_18_in_the_report(ledger):
    shop(ledger)
    sale(ledger, "2025-03-03", biscuit())
    sale(ledger, "2025-03-04", shampoo())
    slabs = {s.rate: s.net for s in gst_report(ledger, "2025-03").slabs}
    assert (slabs["5"].cgst_paise, slabs["5"].sgst_paise, slabs["5"].taxable_paise) == (24, 24, 952)
    assert (slabs["18"].taxable_paise, slabs["18"].tax_paise) == (10000, 1800)


def test_zero_rate_lines_are_exempt_not_taxable(ledger, kirana):
    shop(ledger)
    sale(ledger, "2025-03-05", milk())
    data = kirana("report", "gst", "2025-03", "--format", "json").json()
    assert data["exempt"]["value_paise"] == 6000
    assert data["gstr3b"]["3.1(c)"]["taxable_paise"] == 6000
    assert data["gstr3b"]["3.1(a)"]["taxable_paise"] == 0
    assert data["gstr1_table7"] == []  # nil-rated supplies are not B2CS rows


def test_return_next_month_is_a_credit_note_there(march):
    before = slab_figures(gst_report(march, "2025-03"))
    recording.record_return(
        march, None, settlement="cash", occurred_at="2025-04-02", lines=[shampoo()]
    )
    sale(march, "2025-04-03", biscuit())
    assert slab_figures(gst_report(march, "2025-03")) == before
    april = gst_report(march, "2025-04")
    eighteen = next(s for s in april.slabs if s.rate == "18")
    assert (eighteen.credit_notes.value_paise, eighteen.credit_notes.cgst_paise) == (11800, 900)
    assert (eighteen.net.taxable_paise, eighteen.net.cgst_paise) == (-10000, -900)
    assert april.payable.cgst_exact_paise == 24 - 900
    assert (april.payable.cgst_paise, april.payable.total_paise) == (0, 0)  # nil, not negative
    assert april.payable.carried_forward_paise == 2 * (900 - 24)
    assert april.turnover.returns_paise == 11800
    assert any("credit notes exceed sales" in w for w in april.warnings)


def test_catalog_rate_change_on_22_sep_keeps_earlier_sales_at_the_old_rate(ledger, kirana, clock):
    clock("2025-10-05T10:00:00")  # entries cannot be dated after the day they are recorded
    shop(ledger)
    assert (
        kirana(
            "item",
            "set",
            "biscuit",
            "--price",
            "20",
            "--gst",
            "18",
            "--hsn",
            "1905",
            "--from",
            "2025-04-01",
        ).exit_code
        == 0
    )
    assert (
        kirana(
            "item",
            "set",
            "biscuit",
            "--price",
            "20",
            "--gst",
            "5",
            "--hsn",
            "1905",
            "--from",
            "2025-09-22",
        ).exit_code
        == 0
    )
    for on in ("2025-09-01", "2025-09-21"):
        assert kirana("sale", "biscuit:2", "--cash", "--on", on).exit_code == 0
    assert kirana("sale", "biscuit:1", "--cash", "--on", "2025-09-22").exit_code == 0
    # a later, back-dated catalog correction does not rewrite what was charged
    assert (
        kirana(
            "item",
            "set",
            "biscuit",
            "--price",
            "20",
            "--gst",
            "12",
            "--hsn",
            "1905",
            "--from",
            "2025-09-01",
        ).exit_code
        == 0
    )
    data = kirana("report", "gst", "2025-09", "--format", "json").json()
    slabs = {s["rate"]: s for s in data["slabs"]}
    assert set(slabs) == {"18", "5"}
    assert slabs["18"]["value_paise"] == 8000 and slabs["18"]["cgst_paise"] == 2 * 305
    assert slabs["5"]["value_paise"] == 2000 and slabs["5"]["cgst_paise"] == 48
    assert set(slabs["5"]) >= {"rate", "taxable_paise", "cgst_paise", "sgst_paise"}
    assert data["head"]["seq"] == ledger.head()["seq"]


line_strategy = st.tuples(  # qty in tenths, from 1.0: every sale totals at least a paisa
    st.sampled_from(GST_RATES), st.integers(10, 2000), st.integers(1, 50_000_00)
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sales=st.lists(st.lists(line_strategy, min_size=1, max_size=4), min_size=1, max_size=8))
def test_random_sales_every_figure_sums_exactly(sales):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        shop(ledger)
        total = 0
        for index, lines in enumerate(sales):
            items = [
                make_line(f"item{rate}", str(Decimal(qty) / 10), price, rate, "1905", "pcs")
                for rate, qty, price in lines
            ]
            total += sale(ledger, f"2025-03-{index + 1:02d}", *items).amount_paise
        report = gst_report(ledger, "2025-03")
        assert sum(s.net.value_paise for s in report.slabs) == total
        for slab in report.slabs:
            net = slab.net
            assert net.taxable_paise + net.cgst_paise + net.sgst_paise == net.value_paise
            assert net.cgst_paise == net.sgst_paise
        assert sum(r.heads.value_paise for r in report.hsn) == total


def test_composition_quarter_cmp08(ledger, kirana):
    shop(ledger, "unregistered", "2024-04-01")
    shop(ledger, "composition", "2025-04-01")
    rice = make_line("rice", "100", 10000, "5", "1006", "kg")  # ₹10,000 taxable goods
    sale(ledger, "2025-07-10", rice)
    sale(ledger, "2025-08-10", make_line("milk", "100", 2000, "0", "0401", "ltr"))  # ₹2,000
    recording.record_return(
        ledger,
        None,
        settlement="cash",
        occurred_at="2025-09-10",
        lines=[make_line("rice", "5", 10000, "5", "1006", "kg")],
    )
    sale(ledger, "2025-10-01", rice)  # next quarter
    report = gst_report(ledger, "2025-Q3")
    assert report.period.describe().startswith("2025-Q3: Jul–Sep 2025, FY 2025-26 Q2")
    assert report.scheme == "composition"
    assert (report.turnover.taxable_paise, report.turnover.exempt_paise) == (9_50_000, 2_00_000)
    assert (report.composition_tax.cgst_paise, report.composition_tax.sgst_paise) == (4750, 4750)
    assert (report.payable.cgst_paise, report.payable.total_paise) == (4800, 9600)  # s.170
    assert not any("limit" in w for w in report.warnings)
    data = kirana("report", "gst", "2025-Q3", "--format", "json").json()
    assert data["cmp08"]["taxable_turnover_paise"] == 9_50_000
    assert data["cmp08"]["exempt_turnover_paise"] == 2_00_000
    assert data["cmp08"]["cgst_paise"] == 4750 and data["payable"]["total_paise"] == 9600
    assert "slabs" not in data
    table = kirana("report", "gst", "2025-Q3").stdout
    assert "CMP-08" in table and "₹9,500.00" in table


def test_composition_warns_near_one_and_a_half_crore(ledger):
    shop(ledger, "composition", "2025-04-01")
    sale(ledger, "2025-05-02", amount=1_25_00_000_00)  # ₹1.25 crore in May
    sale(ledger, "2025-07-02", biscuit())
    report = gst_report(ledger, "2025-Q3")
    assert report.financial_year_turnover_paise == 1_25_00_000_00 + 1000
    assert any("nearing the composition limit of ₹1,50,00,000.00" in w for w in report.warnings)


def test_unregistered_turnover_and_forty_lakh_warning(ledger, kirana):
    sale(ledger, "2025-04-15", amount=30_00_000_00)  # no shop settings: unregistered
    sale(ledger, "2025-06-01", amount=1_00_000_00)
    report = gst_report(ledger, "2025-06")
    assert report.scheme == "unregistered"
    assert report.turnover.total_paise == 1_00_000_00
    assert not any("registration threshold" in w for w in report.warnings)
    sale(ledger, "2025-06-20", amount=2_00_000_00)
    result = kirana("report", "gst", "2025-06")
    assert result.exit_code == 0
    assert "nearing the GST registration threshold of ₹40,00,000.00" in result.stdout
    assert result.stderr == ""  # the table shows its warnings; other formats use stderr
    as_json = kirana("report", "gst", "2025-06", "--format", "json")
    assert as_json.stderr.startswith("Warning: FY 2025-26 turnover so far ₹33,00,000.00")
    assert "unclassified" not in as_json.stderr  # nothing is taxed when unregistered
    assert "Turnover" in result.stdout and "CGST" not in result.stdout
    data = kirana("report", "gst", "2025-06", "--format", "json").json()
    assert data["turnover"]["total_paise"] == 3_00_000_00
    assert data["financial_year"]["turnover_to_date_paise"] == 33_00_000_00
    assert "payable" not in data and "slabs" not in data


def test_scheme_change_inside_the_quarter_is_warned(ledger):
    shop(ledger, "composition", "2025-04-01")
    shop(ledger, "regular", "2025-08-01")
    report = gst_report(ledger, "2025-Q3")
    assert report.scheme == "regular"
    assert any("scheme changed during 2025-Q3" in w for w in report.warnings)


# ---- renders and provenance -------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("table", "txt"), ("md", "md")])
def test_golden_renders(fixed_ids, ledger, fmt, suffix):
    build_regular_march(ledger)
    text = render(gst_report(ledger, "2025-03"), fmt, width=100)
    path = GOLDEN / f"gst_2025-03.{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_xlsx_reopens_with_the_same_totals(march, kirana, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "gst.xlsx"
    assert kirana("report", "gst", "2025-03", "--out", out).exit_code == 0
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out).active.iter_rows()]
    outward = next(r for r in rows if r[0] == "(a) Outward taxable supplies")
    assert outward[1:5] == [295.24, 0, 13.88, 13.88]
    totals = [r for r in rows if r[0] == "Total"]
    assert totals[-1][1:3] == [27.76, 28]  # payable: exact, rounded (s.170)


def test_csv_neutralises_item_names_and_keeps_numbers(ledger, kirana):
    shop(ledger)
    sale(ledger, "2025-03-03", make_line("+SUM(A1)", "1", 1000, "5", "1905", "pcs"))
    text = kirana("report", "gst", "2025-03", "--format", "csv").stdout
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'+SUM(A1)" in cells and "+SUM(A1)" not in cells
    assert "9.52" in cells and "0.24" in cells


def test_html_parses(march, kirana):
    result = kirana("report", "gst", "2025-03", "--format", "html")
    tags = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Parser().feed(result.stdout)
    assert tags.count("table") >= 5 and "script" not in tags
    assert march.head()["hash"] in result.stdout


def test_report_carries_head_and_regenerating_shows_the_new_head(march, kirana):
    first = kirana("report", "gst", "2025-03", "--format", "json").json()
    assert first["head"] == march.head()
    sale(march, "2025-03-20", biscuit())
    second = kirana("report", "gst", "2025-03", "--format", "md").stdout
    head = march.head()
    assert f"entry {head['seq']}, head hash {head['hash']}" in second
    assert first["head"]["hash"] not in second


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2025-Q5"], "Error: period '2025-Q5' is not a month like 2025-03 or a quarter"),
        (["25-03"], "Error: period '25-03' is not a month"),
        (["2025-03", "-f", "docx"], "Error: --format 'docx' is not one of"),
    ],
)
def test_bad_input(march, kirana, args, message):
    head = march.head()
    result = kirana("report", "gst", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert march.head() == head


def test_bare_return_against_an_itemised_sale_takes_its_rate(ledger):
    shop(ledger)
    recording.add_customer(ledger, "Priya", occurred_at="2025-02-01")
    invoice = sale(ledger, "2025-03-04", shampoo("2"), who="Priya", method="credit")
    recording.record_return(
        ledger,
        "Priya",
        settlement="khata",
        occurred_at="2025-03-05",
        amount_paise=11800,
        against=invoice.seq,
    )
    mixed = sale(ledger, "2025-03-06", shampoo(), biscuit())
    recording.record_return(
        ledger,
        None,
        settlement="cash",
        occurred_at="2025-03-07",
        amount_paise=1000,
        against=mixed.seq,
    )
    report = gst_report(ledger, "2025-03")
    eighteen = next(s for s in report.slabs if s.rate == "18")
    assert (eighteen.credit_notes.value_paise, eighteen.credit_notes.cgst_paise) == (11800, 900)
    assert report.unclassified.lines == 1 and report.unclassified.value_paise == -1000
    shampoo_row = next(r for r in report.hsn if r.hsn == "3305")
    assert shampoo_row.heads.value_paise == 3 * 11800 - 11800


entry_strategy = st.tuples(
    st.sampled_from(["sale", "return", "void"]),
    st.sampled_from(["0", "5", "18"]),
    st.integers(1, 20_000_00),
    st.integers(1, 30),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scheme=st.sampled_from(["composition", "unregistered", "regular"]),
    entries=st.lists(entry_strategy, min_size=1, max_size=12),
)
def test_random_turnover_is_sales_less_returns_under_every_scheme(scheme, entries):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        shop(ledger, scheme)
        live: dict[int, tuple[int, str, int]] = {}  # seq -> (sign, rate, total)
        for kind, rate, price, day in entries:
            when = f"2025-03-{day:02d}"
            line = make_line(f"item{rate}", "1", price, rate, "1905", "pcs")
            if kind == "sale":
                live[sale(ledger, when, line).seq] = (1, rate, price)
            elif kind == "return":
                event = recording.record_return(
                    ledger, None, settlement="cash", occurred_at=when, lines=[line]
                ).event
                live[event.seq] = (-1, rate, price)
            elif live:
                target = sorted(live)[price % len(live)]
                recording.record_void(ledger, target, "random")
                del live[target]
        report = gst_report(ledger, "2025-03")
        taxable = sum(sign * total for sign, rate, total in live.values() if rate != "0")
        exempt = sum(sign * total for sign, rate, total in live.values() if rate == "0")
        assert (report.turnover.taxable_paise, report.turnover.exempt_paise) == (taxable, exempt)
        assert report.turnover.total_paise == (
            report.turnover.sales_paise - report.turnover.returns_paise
        )
        payable = report.payable
        if scheme == "composition":
            half = (abs(taxable) * 5 + 500) // 1000 * (1 if taxable >= 0 else -1)
            assert payable.cgst_exact_paise == payable.sgst_exact_paise == half
        elif scheme == "unregistered":
            assert payable.total_exact_paise == 0
        else:
            assert payable.cgst_exact_paise == sum(s.net.cgst_paise for s in report.taxable_slabs)
        assert payable.cgst_paise % 100 == 0
        assert abs(payable.cgst_paise - max(payable.cgst_exact_paise, 0)) <= 50
