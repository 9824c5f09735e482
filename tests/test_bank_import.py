"""`kirana import FILE --format bank`, end to end with real `kirana` processes, for every
profile: a statement with its preamble and footer becomes payments from the customers who
paid; importing it again appends nothing; an overlapping statement adds only its new UTRs; the
review file of unmatched credits imports once its customer column is filled, and the payer's
UPI id is remembered."""

from __future__ import annotations

import csv

import pytest
from statements import GENERIC_COLUMNS, UTR, A, B, write

PROFILES = [
    ("hdfc", ".csv"),
    ("sbi", ".csv"),
    ("sbi", ".xls"),
    ("icici", ".csv"),
    ("icici", ".xlsx"),
    ("axis", ".csv"),
    ("axis", ".xlsx"),
    ("kotak", ".csv"),
    ("phonepe", ".csv"),
    ("paytm", ".csv"),
    ("generic", ".csv"),
]
WITH_UPI_IDS = {"hdfc", "sbi", "icici", "phonepe", "paytm", "generic"}  # narrations with a VPA


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def shop(kirana):
    ok(kirana("customer", "add", "Priya Sharma"))
    ok(kirana("customer", "update", "Priya", "--upi-id", "priya.s@okaxis"))
    ok(kirana("customer", "add", "Amit Kumar", "--phone", "9811122233"))
    ok(kirana("customer", "add", "Sunita Devi"))
    ok(kirana("sale", "Priya", "--amount", "3000", "--credit", "--on", "2025-02-20"))


def _import(kirana_process, path, bank, *more):
    extra = ["--profile", "generic", "--columns", GENERIC_COLUMNS] if bank == "generic" else []
    return kirana_process("import", path, "--format", "bank", *extra, "--json", *more)


@pytest.mark.parametrize(("bank", "suffix"), PROFILES)
def test_a_statement_becomes_payments_once(bank, suffix, shop, kirana, kirana_process, tmp_path):
    first = write(tmp_path / f"{bank}-a{suffix}", bank, A)
    summary = ok(_import(kirana_process, first, bank)).json()
    assert summary["profile"] == bank
    paid = [(p["customer"], p["amount_paise"], p["reference"]) for p in summary["payments"]]
    sunita_ref = UTR["sunita"] if bank not in ("phonepe", "paytm") else paid[2][2]
    assert paid == [
        ("Priya Sharma", 125000, UTR["priya"]),
        ("Amit Kumar", 50000, UTR["amit"]),
        ("Sunita Devi", 200000, sunita_ref),
    ]
    assert [p["date"][:10] for p in summary["payments"]] == [
        "2025-03-01",
        "2025-03-02",
        "2025-03-03",
    ]
    methods = [p["method"] for p in summary["payments"]]
    assert methods == (["upi"] * 3 if bank in ("phonepe", "paytm") else ["upi", "upi", "bank"])
    if bank in WITH_UPI_IDS:
        assert [p["matched_by"] for p in summary["payments"]][:2] == ["upi id", "phone"]
    assert (summary["appended"], summary["duplicates"]) == (3, 0)
    assert (summary["unmatched"], summary["debits_skipped"]) == (1, 1)
    (ravi,) = summary["unmatched_credits"]
    assert (ravi["amount_paise"], ravi["reference"]) == (30000, UTR["ravi"])
    assert ravi["vpa"] == ("ravi.v@oksbi" if bank in WITH_UPI_IDS else None)
    dues = ok(kirana("balance", "Priya", "--json")).json()["balances"][0]["balance_paise"]
    assert dues == 300000 - 125000

    again = ok(_import(kirana_process, first, bank)).json()
    assert (again["appended"], again["duplicates"], again["unmatched"]) == (0, 3, 1)

    review = tmp_path / f"{bank}-a.review.csv"
    with review.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["customer"] == ""
    assert (row["reference"], row["key"], row["amount"]) == (UTR["ravi"], UTR["ravi"], "300.00")
    unfilled = kirana_process("import", review)
    assert unfilled.exit_code == 1
    assert "line 2: a payment needs a customer: name who paid" in unfilled.stderr
    review.write_text(
        review.read_text(encoding="utf-8").replace(",payment,,", ",payment,Ravi Verma,"),
        encoding="utf-8",
    )
    ok(kirana_process("import", review))
    assert ok(kirana_process("import", review)).stdout.startswith(
        f"Imported {review.name}: 0 entries, 1 duplicate skipped"
    )
    listed = ok(kirana("customer", "list", "--json")).json()["customers"]
    ravi_ids = next(c["upi_ids"] for c in listed if c["customer"] == "Ravi Verma")
    assert ravi_ids == (["ravi.v@oksbi"] if bank in WITH_UPI_IDS else [])

    second = write(tmp_path / f"{bank}-b{suffix}", bank, B)
    overlap = ok(_import(kirana_process, second, bank)).json()
    assert [(p["customer"], p["reference"]) for p in overlap["payments"]] == [
        ("Priya Sharma", UTR["priya2"])
    ]
    assert (overlap["appended"], overlap["duplicates"], overlap["unmatched"]) == (1, 2, 0)
    assert overlap["debits_skipped"] == 1
    ok(kirana("verify"))


def test_a_utr_typed_by_hand_is_not_counted_again(shop, kirana, kirana_process, tmp_path):
    ok(
        kirana(
            "pay", "Priya", "1250", "--upi", "--ref", f"UPI {UTR['priya']}", "--on", "2025-03-01"
        )
    )
    ok(kirana("pay", "Amit", "500", "--upi", "--ref", UTR["amit"], "--on", "2025-03-02"))
    summary = ok(_import(kirana_process, write(tmp_path / "hdfc.csv", "hdfc", A), "hdfc")).json()
    assert [p["customer"] for p in summary["payments"]] == ["Sunita Devi"]
    assert summary["duplicates"] == 2


def test_dry_run_appends_nothing_and_writes_no_review(shop, kirana_process, tmp_path):
    path = write(tmp_path / "hdfc.csv", "hdfc", A)
    result = ok(kirana_process("import", path, "--format", "bank", "--dry-run"))
    assert result.stdout.splitlines()[0] == (
        "Dry run: would append 3 payments, 0 duplicates skipped, 1 unmatched, 1 debits skipped"
    )
    assert result.stdout.splitlines()[-1] == "Nothing was written (dry run)."
    assert not (tmp_path / "hdfc.review.csv").exists()
    again = ok(kirana_process("import", path, "--format", "bank", "--json")).json()
    assert again["appended"] == 3


def test_a_bad_row_appends_nothing_and_names_its_line(shop, kirana_process, tmp_path):
    path = write(tmp_path / "hdfc.csv", "hdfc", A)
    text = path.read_text(encoding="utf-8").replace("02/03/25,UPI-AMIT", "31/02/25,UPI-AMIT")
    path.write_text(text.replace('"1,250.00",', '"1,25,0.00",', 1), encoding="utf-8")
    result = kirana_process("import", path, "--format", "bank")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        (
            "line 8: credit amount '1,25,0.00' has misplaced commas; type the credit amount in rupees like"
            " 250, 250.50 or 1,25,000"
        ),
        (
            "line 10: date '31/02/25' is not a real date (February 2025 has 28 days); statements"
            " give dates like 02/09/25, 02-09-2025 or 05 Sep 2025 (day first)"
        ),
        "Error: 2 bad rows; nothing imported",
    ]
    assert not (tmp_path / "hdfc.review.csv").exists()


def test_an_unknown_layout_asks_for_the_columns(shop, kirana_process, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("When,What,How much\n01/03/25,UPI,100\n", encoding="utf-8")
    result = kirana_process("import", path, "--format", "bank")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no header row of a known statement (HDFC, SBI, ICICI, Axis, Kotak, PhonePe,"
        " Paytm) in the first 60 rows; name its columns with --profile generic --columns"
        " 'date=…,narration=…,credit=…,ref=…'\n"
    )
    wrong = kirana_process("import", path, "--format", "bank", "--profile", "hsbc")
    assert wrong.stderr == (
        "Error: bank profile 'hsbc' is unknown; use one of hdfc, sbi, icici, axis, kotak,"
        " phonepe, paytm, generic\n"
    )


def test_an_ambiguous_payer_is_never_guessed(kirana, kirana_process, tmp_path):
    ok(kirana("customer", "add", "Amit Kumar", "--phone", "9811122233"))
    ok(kirana("customer", "add", "Amit K", "--phone", "9811122233"))
    summary = ok(_import(kirana_process, write(tmp_path / "sbi.csv", "sbi", A), "sbi")).json()
    amit = next(c for c in summary["unmatched_credits"] if c["reference"] == UTR["amit"])
    assert amit["why"] == "phone 9811122233 is on Amit K, Amit Kumar"


def test_a_credit_under_a_confirmation_is_a_bad_row(shop, kirana, kirana_process, tmp_path):
    ok(kirana("confirm", "Priya", "3000", "--on", "2025-03-02"))
    result = kirana_process("import", write(tmp_path / "hdfc.csv", "hdfc", A), "--format", "bank")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        (
            "line 8: Priya Sharma confirmed ₹3,000.00 on 2 Mar 2025; this credit dated 1 Mar 2025"
            " would change it. Record it with today's date, or void the confirmation first"
            " (kirana void 6 --reason …)"
        ),
        "Error: 1 bad row; nothing imported",
    ]


def test_a_rewritten_review_file_keeps_the_customers_typed_in(shop, kirana_process, tmp_path):
    path = write(tmp_path / "sbi.csv", "sbi", A)
    ok(kirana_process("import", path, "--format", "bank"))
    review = tmp_path / "sbi.review.csv"
    review.write_text(
        review.read_text(encoding="utf-8").replace(",payment,,", ",payment,Ravi Verma,"),
        encoding="utf-8",
    )
    ok(kirana_process("import", path, "--format", "bank"))
    assert ",payment,Ravi Verma,300.00," in review.read_text(encoding="utf-8")


def test_a_review_row_naming_another_customers_upi_id_is_bad(shop, kirana, kirana_process,
                                                             tmp_path):  # fmt: skip
    ok(kirana("customer", "add", "Ravi Verma"))
    ok(kirana("customer", "update", "Amit", "--upi-id", "ravi.v@oksbi"))
    path = write(tmp_path / "hdfc.csv", "hdfc", A)
    summary = ok(_import(kirana_process, path, "hdfc")).json()
    assert [p["customer"] for p in summary["payments"]] == [
        "Priya Sharma",
        "Amit Kumar",
        "Amit Kumar",  # Ravi's UPI id was put on Amit: it is Amit's now
        "Sunita Devi",
    ]
    review = tmp_path / "hdfc.review.csv"
    review.write_text(
        "date,type,customer,amount,method,items,reference,note,key,upi_id\n"
        "2025-03-04,payment,Ravi Verma,10.00,upi,,506000000001,,506000000001,ravi.v@oksbi\n",
        encoding="utf-8",
    )
    result = kirana_process("import", review)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        (
            "line 2: UPI id ravi.v@oksbi is already Amit Kumar's; a UPI id belongs to one customer"
            " (if they are one person: kirana customer merge 'Ravi Verma' 'Amit Kumar')"
        ),
        "Error: 1 bad row; nothing imported",
    ]


def test_generic_with_one_signed_amount_column(shop, kirana_process, tmp_path):
    path = tmp_path / "coop.csv"
    path.write_text(
        "THE SAMPLE CO-OPERATIVE BANK\n\n"
        "Date,Details,Amount,UTR\n"
        f'01-03-2025,UPI CREDIT FROM priya.s@okaxis,"1,250.00",{UTR["priya"]}\n'
        "02-03-2025,CHEQUE 000123 WHOLESALER,-500.00,\n"
        f"03-03-2025,NEFT SUNITA DEVI,(75.00),{UTR['sunita']}\n"
        "Total,,675.00,\n",
        encoding="utf-8",
    )
    columns = "date=Date,narration=Details,amount=Amount,ref=UTR"
    result = kirana_process(
        "import", path, "--format", "bank", "--profile", "generic", "--columns", columns, "--json"
    )
    summary = ok(result).json()
    assert [(p["customer"], p["amount_paise"], p["matched_by"]) for p in summary["payments"]] == [
        ("Priya Sharma", 125000, "upi id")
    ]
    assert summary["debits_skipped"] == 2


def test_a_text_statement_named_xls_and_a_chosen_review_file(shop, kirana_process, tmp_path):
    """Some banks' ".xls" download is tab-separated text: it is read by its content."""
    csv_path = write(tmp_path / "hdfc.csv", "hdfc", A)
    rows = list(csv.reader(csv_path.open(encoding="utf-8", newline="")))
    xls = tmp_path / "hdfc.xls"
    xls.write_text("\n".join("\t".join(row) for row in rows) + "\n", encoding="utf-8")
    review = tmp_path / "to-check.csv"
    result = kirana_process("import", xls, "--format", "bank", "--review", review, "--json")
    summary = ok(result).json()
    assert (summary["profile"], summary["appended"], summary["unmatched"]) == ("hdfc", 3, 1)
    assert summary["review_file"] == str(review)
    assert UTR["ravi"] in review.read_text(encoding="utf-8")
    refused = kirana_process("import", xls, "--format", "bank", "--review", xls)
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: --review {xls} is the input file {xls}; choose another file\n"
