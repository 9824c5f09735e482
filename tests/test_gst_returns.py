"""The accountant's files: GSTR-1, GSTR-3B, CMP-08 and the Tally import, for one period.

Acceptance: a month with B2C and B2B sales at 0/5/18/40 %, a credit note, a voided sale and
payments exports all four files; GSTR-1/3B validate against JSON Schemas written from the
portal's published field list (tests/schemas/); the figures equal `report gst` to the paisa;
the Tally file parses with a real XML parser, every voucher sums to zero, cancelled vouchers
are marked, REMOTEIDs are stable and party ledgers end at kirana's dues."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import queries, recording
from kirana.io.export import export as run_export
from kirana.ledger import open_ledger
from kirana.reports.gst import gst_report

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SHOP_GSTIN = "27AAPFU0939F1ZV"
B2B_GSTIN = "24AAACH7409R2Z6"
PARTY = 'Mehta & "Sons" Traders'


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def paise(number) -> int:
    return int(Decimal(str(number)) * 100)


@pytest.fixture(autouse=True)
def _october(monkeypatch):
    monkeypatch.setenv("KIRANA_NOW", "2025-10-05T10:00:00")


@pytest.fixture
def month(kirana):
    """September 2025: B2C and B2B sales at 0/5/18/40 %, credit notes, a void, payments."""
    ok(kirana("shop", "set", "--name", "Sharma Kirana & Sons", "--gstin", SHOP_GSTIN,
              "--scheme", "regular", "--from", "2025-04-01"))  # fmt: skip
    for name, price, rate, hsn, unit in (
        ("milk", "56", "0", "0401", "l"),
        ("biscuit", "10", "5", "1905", "pcs"),
        ("soap", "118", "18", "3401", "pcs"),
        ("cigarette", "140", "40", "2402", "pack"),
    ):
        ok(kirana("item", "set", name, "--price", price, "--gst", rate, "--hsn", hsn,
                  "--unit", unit, "--from", "2025-04-01"))  # fmt: skip
    ok(kirana("customer", "add", PARTY, "--gstin", B2B_GSTIN))  # 6
    ok(kirana("customer", "add", "प्रिया"))  # 7
    ok(kirana("sale", "प्रिया", "milk:2", "biscuit:3", "--credit", "--on", "2025-09-03"))  # 8
    ok(kirana("sale", "Mehta", "soap:2", "cigarette:1", "milk:1", "--credit", "--on", "2025-09-04"))  # fmt: skip
    ok(kirana("sale", "soap:1", "--cash", "--on", "2025-09-05"))  # 10, voided below
    ok(kirana("sale", "biscuit:10", "cigarette:1", "--upi", "--on", "2025-09-06"))  # 11
    ok(kirana("void", "10", "--reason", "typed twice"))  # 12
    ok(kirana("return", "Mehta", "soap:1", "--against", "9", "--on", "2025-09-10"))  # 13
    ok(kirana("return", "प्रिया", "biscuit:1", "--against", "8", "--on", "2025-09-11"))  # 14
    ok(kirana("pay", "प्रिया", "100", "--upi", "--on", "2025-09-12"))
    ok(kirana("pay", "Mehta", "200", "--on", "2025-09-12"))


def export_file(kirana, tmp_path, fmt: str, *extra: str) -> str:
    out = tmp_path / f"{fmt}.out"
    result = ok(kirana("export", "--format", fmt, "--period", "2025-09", "--out", out, *extra))
    assert result.stdout.startswith(f"Exported {fmt} for 2025-09")
    return out.read_text("utf-8")


def validate(document: dict, schema: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(document, json.loads((SCHEMAS / schema).read_text("utf-8")))


AMOUNT_KEYS = r'"(txval|iamt|camt|samt|csamt|val|nil_amt|expt_amt|ngsup_amt)": (-?\d+(\.\d+)?)'


def two_decimals(text: str) -> None:
    found = re.findall(AMOUNT_KEYS, text)
    assert found and all(re.fullmatch(r"-?\d+\.\d\d", number) for _k, number, _f in found)


# ---- acceptance ------------------------------------------------------------------------------
def test_a_month_exports_all_four_files_that_agree_with_report_gst(
    kirana, tmp_path, month, db_path
):
    gstr1_text = export_file(kirana, tmp_path, "gstr1")
    gstr3b_text = export_file(kirana, tmp_path, "gstr3b")
    tally_text = export_file(kirana, tmp_path, "tally")
    two_decimals(gstr1_text)
    two_decimals(gstr3b_text)
    gstr1, gstr3b = json.loads(gstr1_text), json.loads(gstr3b_text)
    validate(gstr1, "gstr1.schema.json")
    validate(gstr3b, "gstr3b.schema.json")
    assert (gstr1["gstin"], gstr1["fp"]) == (SHOP_GSTIN, "092025")
    assert [party["ctin"] for party in gstr1["b2b"]] == [B2B_GSTIN]
    [invoice] = gstr1["b2b"][0]["inv"]
    assert (invoice["inum"], invoice["idt"], invoice["pos"]) == (
        "INV/2025-26/0002",
        "04-09-2025",
        "27",
    )
    assert [item["itm_det"]["rt"] for item in invoice["itms"]] == [18, 40]
    [note] = gstr1["cdnr"][0]["nt"]
    assert (note["nt_num"], note["ntty"], paise(note["val"])) == ("CN/2025-26/0001", "C", 11800)
    assert [row["rt"] for row in gstr1["b2cs"]] == [5, 40]
    assert gstr1["doc_issue"]["doc_det"] == [
        {"doc_num": 1, "doc_typ": "Invoices for outward supply", "docs": [
            {"num": 1, "from": "INV/2025-26/0001", "to": "INV/2025-26/0004", "totnum": 4,
             "cancel": 1, "net_issue": 3}]},
        {"doc_num": 5, "doc_typ": "Credit Note", "docs": [
            {"num": 1, "from": "CN/2025-26/0001", "to": "CN/2025-26/0002", "totnum": 2,
             "cancel": 0, "net_issue": 2}]},
    ]  # fmt: skip
    assert {row["uqc"] for row in gstr1["hsn"]["hsn_b2c"]} == {"LTR", "PCS", "PAC"}
    with open_ledger(db_path) as ledger:
        report = gst_report(ledger, "2025-09")
    reconcile(gstr1, gstr3b, report)
    root = ET.fromstring(tally_text.encode("utf-8"))
    assert root.findtext("HEADER/TALLYREQUEST") == "Import Data"
    assert len(root.findall(".//VOUCHER")) == 8


def reconcile(gstr1: dict, gstr3b: dict, report) -> None:
    """GSTR-1's b2b + b2cs − cdnr per rate and its nil rows equal the report to the paisa;
    GSTR-3B 3.1(a) equals GSTR-1's taxable total and the report's."""
    by_rate: dict[Decimal, list[int]] = {}

    def add(rate, det, sign: int) -> None:
        totals = by_rate.setdefault(Decimal(str(rate)), [0, 0, 0])
        for index, key in enumerate(("txval", "camt", "samt")):
            totals[index] += sign * paise(det[key])

    for party in gstr1["b2b"]:
        for invoice in party["inv"]:
            for item in invoice["itms"]:
                add(item["itm_det"]["rt"], item["itm_det"], 1)
    for party in gstr1["cdnr"]:
        for note in party["nt"]:
            for item in note["itms"]:
                add(item["itm_det"]["rt"], item["itm_det"], -1)
    for row in gstr1["b2cs"]:
        add(row["rt"], row, 1)
    expected = {
        Decimal(slab.rate): [slab.net.taxable_paise, slab.net.cgst_paise, slab.net.sgst_paise]
        for slab in report.taxable_slabs
    }
    assert {rate: totals for rate, totals in by_rate.items() if any(totals)} == {
        rate: totals for rate, totals in expected.items() if any(totals)
    }
    nil = sum(paise(row["nil_amt"]) for row in gstr1["nil"]["inv"])
    assert nil == report.exempt.value_paise
    three_one = gstr3b["sup_details"]["osup_det"]
    assert paise(three_one["txval"]) == sum(t[0] for t in by_rate.values())
    assert paise(three_one["txval"]) == report.net_total.taxable_paise
    assert paise(three_one["camt"]) == report.net_total.cgst_paise
    assert paise(gstr3b["sup_details"]["osup_nil_exmp"]["txval"]) == report.exempt.value_paise


# ---- Tally -----------------------------------------------------------------------------------
def vouchers(text: str) -> list[ET.Element]:
    return ET.fromstring(text.encode("utf-8")).findall(".//VOUCHER")


def amounts(element: ET.Element) -> list[tuple[str, Decimal]]:
    return [
        (entry.findtext("LEDGERNAME"), Decimal(entry.findtext("AMOUNT")))
        for entry in element.findall("ALLLEDGERENTRIES.LIST")
    ]


def test_tally_vouchers_sum_to_zero_and_keep_names_and_ids(kirana, tmp_path, month):
    first = export_file(kirana, tmp_path, "tally")
    again = export_file(kirana, tmp_path, "tally")
    found = vouchers(first)
    assert [v.get("REMOTEID") for v in found] == [v.get("REMOTEID") for v in vouchers(again)]
    assert len({v.get("REMOTEID") for v in found}) == len(found)
    for voucher in found:
        assert sum(amount for _name, amount in amounts(voucher)) == 0
        for entry in voucher.findall("ALLLEDGERENTRIES.LIST"):
            deemed = entry.findtext("ISDEEMEDPOSITIVE")
            assert (Decimal(entry.findtext("AMOUNT")) < 0) == (deemed == "Yes")
    cancelled = [v.findtext("VOUCHERNUMBER") for v in found if v.findtext("ISCANCELLED") == "Yes"]
    assert cancelled == ["INV/2025-26/0003"]
    root = ET.fromstring(first.encode("utf-8"))
    ledgers = {led.get("NAME"): led for led in root.iter("LEDGER")}
    assert ledgers[PARTY].findtext("PARTYGSTIN") == B2B_GSTIN
    assert ledgers[PARTY].findtext("PARENT") == "Sundry Debtors"
    assert "प्रिया" in ledgers
    assert {"Sales GST 40%", "Output CGST 20%", "Output SGST 2.5%", "Cash"} <= set(ledgers)
    used = {name for v in found for name, _amount in amounts(v)}
    assert used <= set(ledgers)  # every ledger a voucher names is in the masters


def test_tally_party_ledgers_end_at_kiranas_dues(kirana, tmp_path, monkeypatch, db_path):
    """April and May imported in turn: opening (dues on 1 April) plus the vouchers of both
    files equal each customer's dues at the end of May."""
    ok(kirana("shop", "set", "--gstin", SHOP_GSTIN, "--scheme", "regular", "--from", "2025-01-01"))
    ok(kirana("customer", "add", "Ravi & Co", "--gstin", B2B_GSTIN))
    ok(kirana("customer", "add", "राम"))
    ok(kirana("opening", "राम", "500", "--on", "2025-03-01"))
    ok(kirana("sale", "Ravi", "--amount", "1000", "--credit", "--on", "2025-03-20"))
    ok(kirana("sale", "Ravi", "--amount", "236", "--credit", "--on", "2025-04-02"))
    ok(kirana("sale", "राम", "--amount", "105", "--credit", "--on", "2025-04-03"))
    ok(kirana("pay", "राम", "300", "--on", "2025-05-04"))
    ok(kirana("return", "Ravi", "--amount", "118", "--on", "2025-05-05"))
    ok(kirana("opening", "Ravi", "50", "--on", "2025-05-06"))
    texts = []
    for period in ("2025-04", "2025-05"):
        out = tmp_path / f"tally-{period}.xml"
        ok(kirana("export", "--format", "tally", "--period", period, "--out", out))
        texts.append(out.read_text("utf-8"))
    root = ET.fromstring(texts[0].encode("utf-8"))
    net = {
        led.get("NAME"): Decimal(led.findtext("OPENINGBALANCE"))
        for led in root.iter("LEDGER")
        if led.findtext("PARENT") == "Sundry Debtors"
    }
    for text in texts:
        for voucher in vouchers(text):
            for name, amount in amounts(voucher):
                if name in net:
                    net[name] += amount
    with open_ledger(db_path) as ledger:
        dues = dict(queries.all_balances(ledger.conn, "2025-05-31T24"))
    assert {name: -paise(amount) for name, amount in net.items()} == dues


def test_tally_ledger_names_follow_the_shops_mapping(kirana, tmp_path, month):
    ok(kirana("shop", "set", "--tally-ledger", "sales@5=Sales @ 5%", "--from", "2025-04-01"))
    done = ok(kirana("shop", "set", "--tally-ledger", "cash=Cash A/c", "--from", "2025-04-01"))
    assert done.stdout.endswith(
        " shop: tally_ledgers=sales@5=Sales @ 5%, cash=Cash A/c from 2025-04-01\n"
    )  # a later mapping keeps the names set before
    names = {
        name for v in vouchers(export_file(kirana, tmp_path, "tally")) for name, _ in amounts(v)
    }
    assert {"Sales @ 5%", "Cash A/c"} <= names and "Sales GST 5%" not in names
    result = kirana("shop", "set", "--tally-ledger", "sales@7=Sales 7")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Tally ledger key 'sales@7' is unknown")


# ---- errors, CMP-08, as known at -----------------------------------------------------------
def test_a_unit_without_a_gst_unit_code_is_an_error(kirana, month):
    ok(kirana("item", "set", "jaggery", "--price", "60", "--gst", "5", "--hsn", "1701",
              "--unit", "handful", "--from", "2025-04-01"))  # fmt: skip
    ok(kirana("sale", "jaggery:1", "--cash", "--on", "2025-09-20"))
    result = kirana("export", "--format", "gstr1", "--period", "2025-09")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: unit 'handful' (HSN 1701, jaggery) has no GST unit code (UQC); kirana knows"
    )


def test_return_files_need_a_period_and_the_right_scheme(kirana, month):
    result = kirana("export", "--format", "gstr1")
    assert result.stderr == (
        "Error: export --format gstr1 needs --period: a month like 2025-09 or a quarter like"
        " 2025-Q3\n"
    )
    result = kirana("export", "--format", "cmp08", "--period", "2025-Q3")
    assert result.exit_code == 1
    assert "is 'regular', which files GSTR-1 and GSTR-3B, not CMP-08" in result.stderr
    result = kirana("export", "--format", "csv", "--period", "2025-09")
    assert result.stderr.startswith("Error: --period and --as-known-at are for gstr1")


def test_cmp08_for_a_composition_quarter(kirana, tmp_path):
    ok(kirana("shop", "set", "--gstin", SHOP_GSTIN, "--scheme", "composition", "--default-gst", "5", "--from", "2025-04-01"))  # fmt: skip
    ok(kirana("sale", "--amount", "118", "--cash", "--on", "2025-07-02"))
    ok(kirana("shop", "set", "--default-gst", "0", "--from", "2025-08-01"))
    ok(kirana("sale", "--amount", "50", "--cash", "--on", "2025-08-02"))
    out = tmp_path / "cmp08.json"
    ok(kirana("export", "--format", "cmp08", "--period", "2025-Q3", "--out", out))
    found = json.loads(out.read_text("utf-8"))
    assert (found["fy"], found["qtr"], found["ret_period"]) == ("2025-26", "Q2", "092025")
    assert paise(found["outward"]["txval"]) == 16800  # exempt included
    assert (paise(found["outward"]["camt"]), paise(found["outward"]["samt"])) == (59, 59)
    assert paise(found["tax_payable"]["camt"]) == 100
    result = kirana("export", "--format", "gstr1", "--period", "2025-09")
    assert "is 'composition', which files CMP-08 (quarterly), not GSTR-1" in result.stderr
    tally = tmp_path / "tally.xml"
    ok(kirana("export", "--format", "tally", "--period", "2025-Q3", "--out", tally))
    postings = [a for v in vouchers(tally.read_text("utf-8")) for a in amounts(v)]
    assert not [name for name, _ in postings if "CGST" in name or "SGST" in name]
    assert ("Sales GST 5%", Decimal("118.00")) in postings  # no tax collected: all sales
    result = kirana("export", "--format", "cmp08", "--period", "2025-09")
    assert result.stderr == "Error: CMP-08 is quarterly; give --period 2025-Q3\n"


def test_as_known_at_gives_the_file_as_it_was(kirana, tmp_path, month, clock):
    before = export_file(kirana, tmp_path, "gstr1")
    clock("2025-10-06T10:00:00")
    ok(kirana("sale", "soap:1", "--cash", "--on", "2025-09-25"))
    ok(kirana("void", "11", "--reason", "wrong"))
    assert export_file(kirana, tmp_path, "gstr1") != before
    assert export_file(kirana, tmp_path, "gstr1", "--as-known-at", "2025-10-05") == before


# ---- the reconciliation holds for any month ------------------------------------------------
ROW = st.tuples(
    st.sampled_from(["sale", "return"]),
    st.sampled_from(["walkin", "priya", "mehta"]),
    st.lists(
        st.tuples(st.sampled_from(["milk", "biscuit", "soap", "cigarette"]), st.integers(1, 5)),
        min_size=1,
        max_size=3,
    ),
    st.integers(1, 28),
    st.booleans(),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(ROW, min_size=1, max_size=12), st.integers(1, 12))
def test_gstr1_and_gstr3b_reconcile_with_report_gst_for_any_month(tmp_path_factory, rows, month_no):
    path = tmp_path_factory.mktemp("recon") / "khata.db"
    when = f"2025-{month_no:02d}"
    with open_ledger(path) as ledger:
        recording.set_shop(ledger, {"gstin": SHOP_GSTIN, "scheme": "regular"}, "2025-01-01")
        for name, price, rate, hsn, unit in (
            ("milk", 5600, "0", "0401", "l"),
            ("biscuit", 1000, "5", "1905", "pcs"),
            ("soap", 11800, "18", "3401", "pcs"),
            ("cigarette", 14000, "40", "2402", "pack"),
        ):
            recording.set_item(ledger, name, price_paise=price, gst=rate, hsn=hsn, unit=unit,
                               effective_from="2025-01-01")  # fmt: skip
        recording.add_customer(ledger, "Priya")
        recording.add_customer(ledger, "Mehta", gstin=B2B_GSTIN)
        for kind, who, items, day, void in rows:
            customer = {"walkin": None, "priya": "Priya", "mehta": "Mehta"}[who]
            typed = [customer or "", *(f"{item}:{qty}" for item, qty in items)]
            if customer is None:
                typed[0] = typed.pop(1) if len(typed) > 1 else typed[0]
                typed = [w for w in typed if w]
            on = f"{when}-{day:02d}"
            if kind == "sale":
                method = "credit" if customer else "cash"
                done = recording.sale_from_words(ledger, typed, method=method, occurred_at=on)
            else:
                settle = "khata" if customer else "cash"
                done = recording.return_from_words(ledger, typed, settlement=settle, occurred_at=on)
            if void:
                recording.record_void(ledger, done.event.seq, "test")
        files = {}
        for fmt in ("gstr1", "gstr3b"):
            import io

            out = io.StringIO()
            run_export(ledger, fmt, out, when, None)
            files[fmt] = json.loads(out.getvalue())
        report = gst_report(ledger, when)
    validate(files["gstr1"], "gstr1.schema.json")
    validate(files["gstr3b"], "gstr3b.schema.json")
    reconcile(files["gstr1"], files["gstr3b"], report)
