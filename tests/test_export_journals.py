"""Issue 4 acceptance 5: `export --format ledger` is accepted by hledger and ledger-cli,
`--format beancount` by bean-check, and every customer's balance those tools compute at three
dates equals kirana's. A missing tool is a visible skip with the reason, never a silent pass."""

import csv
import io
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from kirana import queries, recording
from kirana.io.journals import account_component, customer_accounts
from kirana.ledger import open_ledger

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
DATES = ("2024-08-13", "2024-09-10", "2024-09-30")


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install {tool} / pip install beancount)")
    return path


def paise(text: str) -> int:
    return int(Decimal(text.replace("INR", "").strip() or "0") * 100)


@pytest.fixture
def journal_ledger(kirana, db_path, clock):
    """Sharma store + a generated month + voids, renames, advances, odd names."""
    assert kirana("import", SAMPLE / "sharma_store.csv").exit_code == 0
    assert kirana("import", SAMPLE / "generated_month.csv", "--new-customers").exit_code == 0
    with open_ledger(db_path) as ledger:
        recording.add_customer(ledger, "Amit-Bhai")  # sanitises like "Amit Bhai": must not merge
        recording.add_customer(ledger, "राम")  # no ASCII letters
        recording.add_customer(ledger, "d'Souza & Sons")
        recording.add_customer(ledger, 'Ravi "Pappu"; Kumar | 2')
        recording.record_sale(ledger, 'Ravi "Pappu"; Kumar | 2', method="credit", occurred_at="2024-09-01", amount_paise=1_001)  # fmt: skip
        recording.record_opening(ledger, "Amit-Bhai", -25_000, occurred_at="2024-08-01")
        recording.record_sale(ledger, "राम", method="credit", occurred_at="2024-08-13T20:00:00+05:30", amount_paise=12_345)  # fmt: skip
        recording.record_sale(ledger, "d'Souza & Sons", method="credit", occurred_at="2024-09-05", amount_paise=99_999)  # fmt: skip
        recording.record_payment(ledger, "d'Souza & Sons", 50_000, method="cheque", occurred_at="2024-09-20")  # fmt: skip
        recording.record_return(ledger, None, settlement="upi", occurred_at="2024-09-21", amount_paise=700)  # fmt: skip
        recording.update_customer(ledger, "Rohit Ji", new_name="Rohit Jain")
        recording.record_sale(ledger, "Rohit Jain", method="credit", occurred_at="2024-09-25", amount_paise=4_000)  # fmt: skip
        seq = recording.record_sale(ledger, "Priya Madam", method="credit", occurred_at="2024-08-12", amount_paise=7_777).event.seq  # fmt: skip
        recording.record_void(ledger, seq, "typed twice")
        kept = recording.record_payment(ledger, "Priya Madam", 10_000, occurred_at="2024-09-29").event.seq  # fmt: skip
        recording.record_void(ledger, kept, "wrong customer")
    return db_path


def ours(db_path, own_names: bool = False) -> dict[str, dict[str, int]]:
    """Day -> account -> kirana's balance (as of the end of that day)."""
    with open_ledger(db_path) as ledger:
        accounts = customer_accounts(ledger, own_names=own_names)
        return {
            day: {
                accounts[name.lower()]: value
                for name, value in queries.all_balances(ledger.conn, f"{day}T24")
            }
            for day in DATES
        }


def export(kirana, fmt: str, tmp_path) -> Path:
    out = tmp_path / f"khata.{fmt}"
    result = kirana("export", "--format", fmt, "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def nonzero(balances: dict[str, int]) -> dict[str, int]:
    return {account: value for account, value in balances.items() if value}


def test_hledger_accepts_the_journal_and_agrees_on_every_balance(kirana, journal_ledger, tmp_path):
    hledger = need("hledger")
    journal = export(kirana, "ledger", tmp_path)
    check = subprocess.run(
        [hledger, "-f", journal, "check"], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    expected = ours(journal_ledger, own_names=True)
    assert "Assets:Khata:राम" in expected[DATES[-1]]  # customers' own names
    for day in DATES:
        done = subprocess.run(
            [hledger, "-f", journal, "bal", "^Assets:Khata:", "-e", after(day), "--flat",
             "-O", "csv", "--no-total"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        rows = list(csv.reader(io.StringIO(done.stdout)))[1:]
        theirs = {account: paise(amount) for account, amount in rows}
        assert nonzero(theirs) == nonzero(expected[day]), day


def test_ledger_cli_accepts_the_journal_and_agrees_on_every_balance(
    kirana, journal_ledger, tmp_path
):
    ledger_cli = need("ledger")
    journal = export(kirana, "ledger", tmp_path)
    expected = ours(journal_ledger, own_names=True)
    for day in DATES:
        done = subprocess.run(
            [ledger_cli, "-f", journal, "bal", "^Assets:Khata:", "--end", after(day), "--flat",
             "--no-total", "--balance-format", "%(account)\t%(quantity(scrub(display_total)))\n"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert done.stderr == ""
        theirs = {
            account: paise(amount)
            for account, amount in (line.split("\t") for line in done.stdout.splitlines())
        }
        assert nonzero(theirs) == nonzero(expected[day]), day


def test_bean_check_accepts_the_beancount_file_and_agrees_on_every_balance(
    kirana, journal_ledger, tmp_path
):
    bean_check = need("bean-check")
    try:
        from beancount import loader
        from beancount.core import data
    except ImportError:
        pytest.skip("the beancount Python package is not installed (pip install beancount)")
    path = export(kirana, "beancount", tmp_path)
    check = subprocess.run([bean_check, path], capture_output=True, text=True, check=False)
    assert (check.returncode, check.stdout + check.stderr) == (0, "")
    entries, errors, _options = loader.load_file(str(path))
    assert errors == []
    expected = ours(journal_ledger)
    for day in DATES:
        cutoff = date.fromisoformat(day)
        theirs: dict[str, int] = {}
        for entry in entries:
            if isinstance(entry, data.Transaction) and entry.date <= cutoff:
                for posting in entry.postings:
                    if posting.account.startswith("Assets:Khata:"):
                        theirs[posting.account] = theirs.get(posting.account, 0) + int(
                            posting.units.number * 100
                        )
        assert nonzero(theirs) == nonzero(expected[day]), day


def test_account_names_are_sanitised_deterministically_and_never_merge(journal_ledger):
    with open_ledger(journal_ledger) as ledger:
        accounts = customer_accounts(ledger)
    assert accounts["priya madam"] == "Assets:Khata:Priya-Madam"
    assert accounts["amit bhai"] == "Assets:Khata:Amit-Bhai"
    assert accounts["amit-bhai"].startswith("Assets:Khata:Amit-Bhai-")
    assert accounts["राम"].startswith("Assets:Khata:Customer-")
    assert accounts["d'souza & sons"] == "Assets:Khata:D-Souza-Sons"
    assert accounts['ravi "pappu"; kumar | 2'] == "Assets:Khata:Ravi-Pappu-Kumar-2"
    assert accounts["rohit ji"] == accounts["rohit jain"] == "Assets:Khata:Rohit-Jain"
    assert account_component("1st floor aunty", 7) == "1st-Floor-Aunty"
    with open_ledger(journal_ledger) as ledger:
        own = customer_accounts(ledger, own_names=True)
    assert own["राम"] == "Assets:Khata:राम"
    assert own["d'souza & sons"] == "Assets:Khata:d'Souza & Sons"
    assert own['ravi "pappu"; kumar | 2'] == 'Assets:Khata:Ravi "Pappu", Kumar | 2'
    assert own["rohit ji"] == own["rohit jain"] == "Assets:Khata:Rohit Jain"


def test_export_rejects_an_unknown_format(kirana, journal_ledger):
    result = kirana("export", "--format", "xls")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: export format 'xls' is unknown; use one of jsonl, csv, ledger, beancount,"
        " gstr1, gstr3b, cmp08, tally\n"
    )


@pytest.fixture
def gst_ledger(kirana, db_path, monkeypatch):
    """A regular shop's September: itemised sales at 0/5/18/40 %, a bare amount, returns, a
    void; and a sale in August before the shop registered (no output tax then)."""
    monkeypatch.setenv("KIRANA_NOW", "2025-10-05T10:00:00")
    ok = lambda result: result.exit_code == 0 or pytest.fail(result.stderr)
    ok(kirana("shop", "set", "--gstin", "27AAPFU0939F1ZV", "--scheme", "regular",
              "--default-gst", "5", "--from", "2025-09-01"))  # fmt: skip
    for name, price, rate in (("milk", "56", "0"), ("biscuit", "10", "5"), ("soap", "118", "18"),
                              ("cigarette", "140", "40")):  # fmt: skip
        ok(kirana("item", "set", name, "--price", price, "--gst", rate, "--hsn", "1905",
                  "--from", "2025-08-01"))  # fmt: skip
    ok(kirana("customer", "add", "प्रिया"))
    ok(kirana("customer", "add", "Mehta", "--gstin", "24AAACH7409R2Z6"))
    ok(kirana("sale", "प्रिया", "soap:1", "--credit", "--on", "2025-08-20"))  # unregistered then
    ok(kirana("sale", "प्रिया", "milk:1", "biscuit:3", "--credit", "--on", "2025-09-02"))
    ok(kirana("sale", "Mehta", "soap:2", "cigarette:1", "--credit", "--on", "2025-09-03"))
    ok(kirana("sale", "--amount", "77", "--cash", "--on", "2025-09-04"))
    ok(kirana("sale", "soap:3", "--upi", "--on", "2025-09-05"))
    ok(kirana("void", "12", "--reason", "typed twice"))
    ok(kirana("return", "Mehta", "soap:1", "--against", "10", "--on", "2025-09-06"))
    ok(kirana("pay", "Mehta", "100", "--on", "2025-09-07"))
    return db_path


def our_gst(db_path) -> tuple[int, int]:
    from kirana.reports.gst import gst_report

    with open_ledger(db_path) as ledger:
        total = gst_report(ledger, "2025-09").net_total
    return total.cgst_paise, total.sgst_paise


def test_hledger_and_ledger_cli_show_the_gst_reports_output_tax(kirana, gst_ledger, tmp_path):
    hledger, ledger_cli = need("hledger"), need("ledger")
    journal = export(kirana, "ledger", tmp_path)
    assert subprocess.run([hledger, "-f", journal, "check"], check=False).returncode == 0
    cgst, sgst = our_gst(gst_ledger)
    assert cgst > 0
    for account, ours_paise in (("CGST", cgst), ("SGST", sgst)):
        done = subprocess.run(
            [hledger, "-f", journal, "bal", account, "-b", "2025-09-01", "-e", "2025-10-01",
             "-O", "csv", "--no-total", "--flat"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        [[name, amount]] = list(csv.reader(io.StringIO(done.stdout)))[1:]
        assert (name, -paise(amount)) == (f"Liabilities:GST:Output-{account}", ours_paise)
        done = subprocess.run(
            [ledger_cli, "-f", journal, "bal", account, "--begin", "2025-09-01", "--end",
             "2025-10-01", "--flat", "--no-total",
             "--balance-format", "%(quantity(scrub(display_total)))\n"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert -paise(done.stdout) == ours_paise
    done = subprocess.run(
        [hledger, "-f", journal, "bal", "CGST", "-e", "2025-09-01", "-O", "csv", "--no-total"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert list(csv.reader(io.StringIO(done.stdout)))[1:] == []  # August: not registered yet


def test_beancount_keeps_the_real_name_and_the_output_tax(kirana, gst_ledger, tmp_path):
    bean_check = need("bean-check")
    try:
        from beancount import loader
        from beancount.core import data
    except ImportError:
        pytest.skip("the beancount Python package is not installed (pip install beancount)")
    path = export(kirana, "beancount", tmp_path)
    check = subprocess.run([bean_check, path], capture_output=True, text=True, check=False)
    assert (check.returncode, check.stdout + check.stderr) == (0, "")
    entries, errors, _options = loader.load_file(str(path))
    assert errors == []
    names = {e.account: e.meta.get("name") for e in entries if isinstance(e, data.Open)}
    assert "प्रिया" in names.values()
    cgst = sum(
        int(posting.units.number * 100)
        for entry in entries
        if isinstance(entry, data.Transaction) and entry.date.month == 9
        for posting in entry.postings
        if posting.account == "Liabilities:GST:Output-CGST"
    )
    assert -cgst == our_gst(gst_ledger)[0]
