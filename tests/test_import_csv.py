"""Issue 4 acceptance 1 (and the CSV contract of SPEC §5): sample files import cleanly,
re-imports append nothing, keys guard against changed rows, identical keyless rows both count,
aliases, items, customers on first use, dry runs, and the CSV export round trip."""

from pathlib import Path

import pytest

from kirana import queries
from kirana.ledger import open_ledger

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
HEADER = "date,type,customer,amount,method,items,reference,note,key\n"


def event_count(path) -> int:
    with open_ledger(path) as ledger:
        return ledger.event_count()


def balances(path, as_of=None) -> dict[str, int]:
    with open_ledger(path) as ledger:
        return dict(queries.all_balances(ledger.conn, as_of))


def write(tmp_path, text: str, name="in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SAMPLE_CSVS = sorted(p.name for p in SAMPLE.glob("*.csv") if p.name != "broken.csv")


@pytest.mark.parametrize("name", SAMPLE_CSVS)
def test_every_sample_csv_imports_with_zero_problems_and_reimports_as_duplicates(
    kirana, db_path, name
):
    if name == "catalog.csv":  # the item catalog has its own importer (SPEC §3)
        first = kirana("item", "import", SAMPLE / name)
        assert (first.exit_code, first.stderr) == (0, "")
        before = event_count(db_path)
        assert kirana("item", "import", SAMPLE / name).exit_code == 0
        assert event_count(db_path) == before
        return
    first = kirana("import", SAMPLE / name, "--json")
    assert (first.exit_code, first.stderr) == (0, "")
    summary = first.json()
    assert summary["rejected"] == 0 and summary["duplicates"] == 0 and summary["appended"] > 0
    count = event_count(db_path)
    again = kirana("import", SAMPLE / name, "--json")
    assert again.exit_code == 0
    assert again.json() == {
        "appended": 0,
        "duplicates": summary["appended"],
        "rejected": 0,
        "new_customers": [],
        "warnings": [],
    }
    assert event_count(db_path) == count
    assert kirana("verify").exit_code == 0


def test_sharma_store_story(kirana, db_path):
    result = kirana("import", SAMPLE / "sharma_store.csv", "--json")
    assert result.json()["new_customers"] == ["Priya Madam", "Amit Bhai", "Rohit"]
    assert balances(db_path, "2024-08-12T24")["Priya Madam"] == 67000
    assert balances(db_path, "2024-08-13T24")["Priya Madam"] == 37000
    assert balances(db_path) == {"Priya Madam": 32000, "Amit Bhai": 0, "Rohit": 0}
    plain = kirana("import", SAMPLE / "sharma_store.csv")
    assert "0 entries, 5 duplicates skipped, 0 rejected" in plain.stdout


def test_generated_month_is_big_enough():
    lines = (SAMPLE / "generated_month.csv").read_text(encoding="utf-8").splitlines()
    customers = {line.split(",")[2] for line in lines[1:]} - {""}
    assert len(lines) - 1 >= 2000 and len(customers) >= 50


def test_generated_month_is_reproducible(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_month", SAMPLE / "make_month.py")
    make_month = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_month)
    make_month.write(tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == (SAMPLE / "generated_month.csv").read_bytes()


def test_changed_row_that_keeps_its_key_is_an_error_naming_the_line(kirana, tmp_path, db_path):
    rows = [
        "2024-08-12,payment,Priya,100,upi,,UPI1,,k-1\n",
        "2024-08-13,payment,Priya,200,upi,,UPI2,,k-2\n",
    ]
    assert kirana("import", write(tmp_path, HEADER + "".join(rows))).exit_code == 0
    count = event_count(db_path)
    changed = HEADER + rows[0] + rows[1].replace(",200,", ",250,")
    result = kirana("import", write(tmp_path, changed))
    assert result.exit_code == 1
    assert "line 3: key 'k-2' was imported before" in result.stderr
    assert result.stderr.splitlines()[-1] == "Error: 1 bad row; nothing imported"
    assert event_count(db_path) == count


def test_identical_keyless_rows_both_import_once_and_reimport_appends_nothing(
    kirana, tmp_path, db_path
):
    row = "2024-08-12,sale,,60,cash,,,,\n"
    path = write(tmp_path, HEADER + row + row)
    assert kirana("import", path, "--json").json()["appended"] == 2
    assert kirana("import", path, "--json").json() == {
        "appended": 0,
        "duplicates": 2,
        "rejected": 0,
        "new_customers": [],
        "warnings": [],
    }
    third = kirana("import", write(tmp_path, HEADER + row + row + row), "--json").json()
    assert (third["appended"], third["duplicates"]) == (1, 2)
    assert event_count(db_path) == 3


def test_dry_run_validates_reports_and_appends_nothing(kirana, db_path):
    result = kirana("import", SAMPLE / "sharma_store.csv", "--dry-run")
    assert result.exit_code == 0
    assert "Dry run: would append 5 entries" in result.stdout
    assert "Customers it would add (3): Priya Madam, Amit Bhai, Rohit" in result.stdout
    assert event_count(db_path) == 0


def test_aliases_methods_header_order_extra_columns_and_bom(kirana, tmp_path, db_path):
    text = (
        "\ufeffNote,Customer,Type,Amount,Date,Method,Reference,source\n"
        "opening khata,Priya,opening,500,2024-08-01,,,paper\n"
        ",Priya,KIRANA_SALE_RECORDED,100,2024-08-02,khata,,app\n"
        ",Priya,Payment_Received,50,2024-08-03 10:00,UPI,T1,app\n"
        ",Priya,SALE,20,2024-08-03,upi,,app\n"
        ",Priya,return,30,2024-08-04,credit,,app\n"
        ",,return,10,2024-08-04,,,app\n"
    )
    result = kirana("import", write(tmp_path, text), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["appended"] == 6
    assert balances(db_path) == {"Priya": 50000 + 10000 - 5000 - 3000}
    with open_ledger(db_path) as ledger:
        events = list(ledger.iter_events("type != 'customer_added'"))
    assert [e.occurred_at for e in events][:3] == [
        "2024-08-01",
        "2024-08-02",
        "2024-08-03T10:00:00+05:30",
    ]
    assert events[0].type == "opening_balance" and events[2].data["reference"] == "T1"
    assert events[4].data["settlement"] == "khata" and events[5].data["settlement"] == "cash"


def test_negative_opening_is_an_advance(kirana, tmp_path, db_path):
    text = HEADER + "2024-08-01,opening,Priya,-200,,,,,\n"
    assert kirana("import", write(tmp_path, text)).exit_code == 0
    assert balances(db_path) == {"Priya": -20000}


def test_items_use_the_given_gst_else_the_catalog_rate_in_force_else_shop_default(
    kirana, tmp_path, db_path
):
    assert kirana("item", "set", "atta", "--price", "40", "--gst", "0", "--hsn", "1101",
                  "--unit", "kg", "--from", "2024-01-01").exit_code == 0  # fmt: skip
    assert kirana("item", "set", "atta", "--price", "45", "--gst", "5",
                  "--from", "2024-08-15").exit_code == 0  # fmt: skip
    assert kirana("shop", "set", "--default-gst", "18", "--from", "2024-01-01").exit_code == 0
    text = HEADER + (
        "2024-08-10,sale,,,cash,atta:2:40,,,\n"
        "2024-08-20,sale,,,cash,atta:0.5:45,,,\n"
        "2024-08-20,sale,,,cash,soap:1:30;atta:1:45:12:110100,,,\n"
        "2024-08-20,sale,,105,cash,soap:3:35,,,\n"
    )
    assert kirana("import", write(tmp_path, text)).exit_code == 0
    with open_ledger(db_path) as ledger:
        sales = [e.data for e in ledger.iter_events("type = 'sale'")]
    assert sales[0]["items"][0] | {} == {
        "name": "atta", "qty": "2", "unit": "kg", "unit_price_paise": 4000,
        "gst_rate": "0", "hsn": "1101", "total_paise": 8000,
    }  # fmt: skip
    assert sales[1]["items"][0]["gst_rate"] == "5" and sales[1]["amount_paise"] == 2250
    assert [line["gst_rate"] for line in sales[2]["items"]] == ["18", "12"]
    assert sales[2]["items"][1]["hsn"] == "110100"
    assert sales[3]["amount_paise"] == 10500


def test_customer_is_matched_exactly_and_created_on_first_use(kirana, tmp_path, db_path):
    assert kirana("customer", "add", "Priya Madam").exit_code == 0
    text = (
        HEADER + "2024-08-12,sale,priya madam,100,credit,,,,\n2024-08-12,sale,Priya,50,credit,,,,\n"
    )
    path = write(tmp_path, text)
    refused = kirana("import", path)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        "line 3: customer 'Priya' is not in the ledger, but looks like 'Priya Madam'; did you "
        "mean 'Priya Madam'? Fix the name, or import with --new-customers to add them"
    )
    result = kirana("import", path, "--new-customers", "--json")
    assert result.json()["new_customers"] == ["Priya"]
    assert balances(db_path) == {"Priya": 5000, "Priya Madam": 10000}


def test_void_rows_name_the_target_seq(kirana, tmp_path, db_path):
    text = HEADER + "2024-08-12,sale,Priya,100,credit,,,,\n,void,,,,,2,typed twice,\n"
    assert kirana("import", write(tmp_path, text)).exit_code == 0
    assert balances(db_path) == {"Priya": 0}
    with open_ledger(db_path) as ledger:
        data = ledger.get(3).data
    assert data["target"] == 2 and data["reason"] == "typed twice"
    assert set(data) == {"target", "reason", "import_key"}  # the row's key travels with it


def test_csv_export_round_trips_through_import_including_formula_like_text(
    kirana, tmp_path, db_path
):
    text = HEADER + (
        '2024-08-12 10:00,sale,=HYPERLINK("x"),100,credit,,+91 ref,-note,\n'
        "2024-08-12,sale,Amit,,cash,+atta:2:25,,,\n"
        "2024-08-13,payment,Amit,30,cash,,,,\n"
        "2024-08-13,sale,Amit,40,credit,,,,\n"
        ",void,,,,,6,mistake,\n"
    )
    assert kirana("import", write(tmp_path, text)).exit_code == 0
    exported = tmp_path / "out.csv"
    assert kirana("export", "--format", "csv", "--out", exported).exit_code == 0
    content = exported.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in content and "'+91 ref" in content and "'+atta" in content
    other = tmp_path / "other.db"
    result = kirana("--db", other, "import", exported, "--json")
    assert result.exit_code == 0, result.stderr
    assert balances(other) == balances(db_path)
    with open_ledger(other) as ledger:
        sale = next(ledger.iter_events("type = 'sale'"))
        cash = list(ledger.iter_events("type = 'sale'"))[1]
    assert sale.customer == '=HYPERLINK("x")' and sale.data["reference"] == "+91 ref"
    assert sale.data["note"] == "-note" and sale.occurred_at == "2024-08-12T10:00:00+05:30"
    assert cash.data["items"][0]["name"] == "+atta"
    assert kirana("--db", other, "import", exported, "--json").json()["appended"] == 0


def test_generated_month_csv_export_round_trip_keeps_every_balance(kirana, tmp_path, db_path):
    assert kirana("import", SAMPLE / "generated_month.csv").exit_code == 0
    exported = tmp_path / "month.csv"
    assert kirana("export", "--format", "csv", "--out", exported).exit_code == 0
    other = tmp_path / "other.db"
    assert kirana("--db", other, "import", exported).exit_code == 0
    for day in ("2024-09-01", "2024-09-15", None):
        bound = f"{day}T24" if day else None
        assert balances(other, bound) == balances(db_path, bound)


def test_no_progress_bar_when_stderr_is_not_a_terminal(kirana):
    result = kirana("import", SAMPLE / "generated_month.csv")
    assert result.exit_code == 0 and result.stderr == ""


def test_missing_file_is_a_clear_error(kirana, tmp_path):
    result = kirana("import", tmp_path / "nope.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no file")


def test_a_progress_bar_shows_when_stderr_is_a_terminal(kirana, monkeypatch, db_path):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm")
    result = kirana("import", SAMPLE / "generated_month.csv", "--json")
    assert result.exit_code == 0
    assert result.json()["appended"] == 2200
    assert "Importing generated_month.csv" in result.stderr


def test_reimporting_a_csv_export_into_the_same_ledger_appends_nothing(kirana, tmp_path):
    kirana("customer", "add", "Priya")
    kirana("sale", "Priya", "--amount", "100", "--credit")
    kirana("pay", "Priya", "40", "--upi")
    out = tmp_path / "export.csv"
    assert kirana("export", "--format", "csv", "--out", str(out)).exit_code == 0
    again = kirana("import", str(out), "--json")
    assert again.exit_code == 0, again.stderr
    assert again.json()["appended"] == 0 and again.json()["duplicates"] == 2
    assert kirana("balance", "Priya", "--json").json()["balances"][0]["balance_paise"] == 6000
