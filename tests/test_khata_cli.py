"""The khata through the CLI: the Sharma store story, as-of views, and the JSON contracts."""

import pytest


@pytest.fixture
def sharma(kirana, clock):
    """Issue 2 acceptance 2: the Sharma store on 12, 13 and 20 August 2024."""
    for name in ("Priya Madam", "Amit Bhai", "Rohit"):
        assert kirana("customer", "add", name).exit_code == 0
    clock("2024-08-12T20:00:00")
    r = kirana(
        "sale",
        "Priya Madam",
        "atta:1@250",
        "oil:1@180",
        "dal:2@120",
        "--credit",
        "--on",
        "2024-08-12",
    )
    assert r.exit_code == 0, r.stderr
    assert "₹670.00" in r.stdout
    assert (
        kirana(
            "sale", "Amit", "cigarette:1@150", "pepsi:2@40", "--cash", "--on", "2024-08-12"
        ).exit_code
        == 0
    )
    clock("2024-08-13T20:00:00")
    assert kirana("pay", "priya", "300", "--upi", "--on", "13-08-2024").exit_code == 0
    assert (
        kirana("sale", "Rohit", "bread:2@25", "milk:1@60", "--cash", "--on", "2024-08-13").exit_code
        == 0
    )
    clock("2024-08-20T20:00:00")
    assert (
        kirana("return", "Priya", "--amount", "50", "--to", "khata", "--on", "2024-08-20").exit_code
        == 0
    )
    return kirana


def dues_of(kirana, name, *options):
    result = kirana("balance", name, "--json", *options)
    assert result.exit_code == 0, result.stderr
    return result.json()["balances"][0]["balance_paise"]


def test_sharma_store_dues_now(sharma):
    assert dues_of(sharma, "Priya Madam") == 32000
    assert dues_of(sharma, "Amit Bhai") == 0
    assert dues_of(sharma, "Rohit") == 0


@pytest.mark.parametrize(
    ("day", "paise"),
    [("2024-08-12", 67000), ("2024-08-13", 37000), ("2024-08-20", 32000), ("2024-08-11", 0)],
)
def test_sharma_store_dues_as_of_each_day(sharma, day, paise):
    assert dues_of(sharma, "Priya", "--as-of", day) == paise


def test_write_command_prints_one_line_with_new_dues(sharma):
    result = sharma("pay", "Priya", "20", "--cash")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1
    assert "Priya Madam's dues now ₹300.00" in result.stdout


def test_balance_json_contract(sharma):
    body = sharma("balance", "--json").json()
    totals = {
        f"{name}{suffix}" for name in ("owed", "advances", "net") for suffix in ("", "_paise")
    }
    assert set(body) == {"as_of", "as_known_at", "head", "balances"} | totals
    assert (body["owed_paise"], body["advances_paise"], body["net_paise"]) == (32000, 0, 32000)
    assert body["as_known_at"] is None
    assert set(body["head"]) == {"seq", "hash"}
    assert body["balances"] == [
        {"customer": "Priya Madam", "balance_paise": 32000, "balance": "320.00"}
    ]


def test_balance_json_for_one_customer_includes_zero(sharma):
    body = sharma("balance", "Rohit", "--json", "--as-of", "2024-08-13").json()
    assert body["as_of"] == "2024-08-13"
    assert body["balances"] == [{"customer": "Rohit", "balance_paise": 0, "balance": "0.00"}]


def test_customer_list_json(sharma):
    body = sharma("customer", "list", "--json").json()
    names = [c["customer"] for c in body["customers"]]
    assert names == ["Amit Bhai", "Priya Madam", "Rohit"]
    priya = body["customers"][1]
    assert priya["balance_paise"] == 32000 and priya["balance"] == "320.00"


def test_log_json_events_are_canonical(sharma):
    body = sharma("log", "--json", "--last", "3").json()
    assert body["head"]["seq"] == body["events"][-1]["seq"]
    keys = {
        "seq",
        "id",
        "type",
        "schema",
        "occurred_at",
        "recorded_at",
        "recorded_by",
        "customer",
        "data",
        "prev_hash",
        "hash",
    }
    for event in body["events"]:
        assert set(event) == keys
    assert [e["type"] for e in body["events"]] == ["payment", "sale", "return"]
    assert body["events"][0]["data"] == {"amount_paise": 30000, "method": "upi"}
    assert body["events"][1]["prev_hash"] == body["events"][0]["hash"]


def test_write_command_json_is_the_appended_event(sharma):
    event = sharma("pay", "Priya", "100", "--upi", "--ref", "UPI123", "--json").json()
    assert event["type"] == "payment" and event["customer"] == "Priya Madam"
    assert event["data"] == {"amount_paise": 10000, "method": "upi", "reference": "UPI123"}
    assert event["recorded_by"] == "tester"
    latest = sharma("log", "--json", "--last", "1").json()["events"][0]
    assert latest == event


def test_sale_stores_rate_and_hsn_charged(kirana):
    kirana(
        "item",
        "set",
        "atta",
        "--price",
        "250",
        "--gst",
        "5",
        "--hsn",
        "1101",
        "--unit",
        "kg",
        "--from",
        "2025-01-01",
    )
    kirana("customer", "add", "Priya")
    event = kirana("sale", "Priya", "atta:2", "--credit", "--json").json()
    assert event["data"]["items"] == [
        {
            "name": "atta",
            "qty": "2",
            "unit": "kg",
            "unit_price_paise": 25000,
            "gst_rate": "5",
            "hsn": "1101",
            "total_paise": 50000,
        }
    ]
    kirana("item", "set", "atta", "--price", "300", "--gst", "12", "--from", "2025-03-01")
    again = kirana("log", "--json", "--last", "2").json()["events"][0]
    assert again["data"]["items"][0]["gst_rate"] == "5"


def test_walk_in_sale_and_catalog_only_first_word(kirana):
    kirana("item", "set", "bread", "--price", "40", "--gst", "0", "--from", "2025-01-01")
    result = kirana("sale", "bread", "--cash")
    assert result.exit_code == 0, result.stderr
    assert "₹40.00" in result.stdout


def test_qty_times_price_rounds_half_up(kirana):
    event = kirana("sale", "rice:0.333@50.05", "--cash", "--json").json()
    # 0.333 × 5005 paise = 1666.665 -> 1667
    assert event["data"]["amount_paise"] == 1667


def test_credit_limit_warns_but_records(kirana):
    kirana("customer", "add", "Priya", "--limit", "500")
    result = kirana("sale", "Priya", "--amount", "600", "--credit")
    assert result.exit_code == 0
    assert "Warning:" in result.stderr and "credit limit" in result.stderr
    assert dues_of(kirana, "Priya") == 60000


def test_statement_shows_running_balance_and_voids(sharma):
    sharma("void", "7", "--reason", "wrong entry")  # seq 7 is Rohit's cash sale: no effect on Priya
    body = sharma("statement", "Priya", "--format", "json").json()
    assert body["opening_paise"] == 0
    assert [line["balance_paise"] for line in body["lines"]][-1] == body["closing_paise"] == 32000


def test_statement_formats(sharma):
    md = sharma("statement", "Priya", "--format", "md", "--from", "2024-08-13").stdout
    assert "Opening dues: ₹670.00" in md and "| ---" not in md.splitlines()[0]
    csv_text = sharma("statement", "Priya", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "Date,Entry,Description,Debit,Credit,Balance"
    assert csv_text.splitlines()[1] == ",,Opening dues,,,0.00"
    assert csv_text.splitlines()[-1] == ",,Closing dues,,,320.00"
    line = sharma("statement", "Priya", "--format", "json").json()["lines"][0]
    assert (line["debit_paise"], line["debit"]) == (67000, "670.00")
    table = sharma("statement", "Priya").stdout
    assert "Closing dues" in table and "₹320.00" in table


def test_void_removes_effect_and_is_marked_in_statement(sharma):
    payment_seq = sharma("log", "--json", "--last", "3").json()["events"][0]["seq"]
    result = sharma("void", str(payment_seq), "--reason", "bounced")
    assert result.exit_code == 0, result.stderr
    assert dues_of(sharma, "Priya") == 62000
    body = sharma("statement", "Priya", "--format", "json").json()
    voided = next(line for line in body["lines"] if line["seq"] == payment_seq)
    assert voided["voided_by"] is not None and voided["credit_paise"] == 30000
    assert body["closing_paise"] == 62000  # shown, struck out, but not counted


def test_opening_and_confirm(kirana):
    kirana("customer", "add", "Suresh")
    assert kirana("opening", "Suresh", "1,250", "--on", "01-04-2024").exit_code == 0
    assert dues_of(kirana, "Suresh") == 125000
    assert kirana("confirm", "Suresh", "1250", "--on", "2024-04-02").exit_code == 0
    wrong = kirana("confirm", "Suresh", "1000", "--on", "2024-04-02")
    assert wrong.exit_code == 1 and "₹1,250.00" in wrong.stderr
    assert kirana("verify").exit_code == 0


def test_advance_opening_is_negative(kirana):
    kirana("customer", "add", "Suresh")
    kirana("opening", "Suresh", "200", "--advance", "--on", "2024-04-01")
    assert dues_of(kirana, "Suresh") == -20000


def test_rename_keeps_history(kirana):
    kirana("customer", "add", "Pinky")
    kirana("sale", "Pinky", "--amount", "100", "--credit")
    renamed = kirana("customer", "update", "Pinky", "--name", "Priya Sharma")
    assert renamed.exit_code == 0 and "Priya Sharma's dues now ₹100.00" in renamed.stdout
    voided = kirana("void", "2", "--reason", "wrong")
    assert "Priya Sharma's dues now ₹0.00" in voided.stdout
    kirana("sale", "Pinky", "--amount", "100", "--credit")
    kirana("pay", "Priya Sharma", "40")
    assert dues_of(kirana, "Priya Sharma") == 6000
    assert dues_of(kirana, "Pinky") == 6000  # a former name still finds her
    assert kirana("customer", "add", "pinky").exit_code == 1
    assert kirana("rebuild").exit_code == 0 and kirana("verify").exit_code == 0


def test_return_against_a_sale(kirana):
    kirana("customer", "add", "Priya")
    sale = kirana("sale", "Priya", "--amount", "500", "--credit", "--json").json()
    ok = kirana("return", "--amount", "200", "--against", str(sale["seq"]))
    assert ok.exit_code == 0, ok.stderr
    assert dues_of(kirana, "Priya") == 30000
    too_much = kirana("return", "--amount", "400", "--against", str(sale["seq"]))
    assert too_much.exit_code == 1 and "already returned" in too_much.stderr


def test_dues_lists_debtors_largest_first(sharma):
    sharma("customer", "add", "Zoya")
    sharma("sale", "Zoya", "--amount", "999", "--credit")
    body = sharma("dues", "--json").json()
    assert [d["customer"] for d in body["dues"]] == ["Zoya", "Priya Madam"]
    assert body["total_paise"] == 99900 + 32000
    assert [d["customer"] for d in sharma("dues", "--min", "500", "--json").json()["dues"]] == [
        "Zoya"
    ]


def test_shell_completion_offers_customer_names(sharma):
    from kirana.cli.context import complete_customer

    assert complete_customer("pr") == ["Priya Madam"]
    assert complete_customer("") == ["Amit Bhai", "Priya Madam", "Rohit"]
    assert complete_customer("zz") == []


@pytest.mark.parametrize("typed", ["9876543210", "09876543210", "+91 98765 43210", "919876543210"])
def test_phone_numbers_are_stored_for_whatsapp(kirana, typed):
    kirana("customer", "add", "Asha", "--phone", typed)
    assert kirana("customer", "list", "--json").json()["customers"][0]["phone"] == "919876543210"


def test_a_customer_may_take_back_their_former_name(kirana):
    kirana("customer", "add", "Priya Madam")
    assert kirana("customer", "update", "Priya", "--name", "Priya Sharma").exit_code == 0
    back = kirana("customer", "update", "Priya Sharma", "--name", "Priya Madam")
    assert back.exit_code == 0, back.stderr
    kirana("customer", "add", "Pooja")
    taken = kirana("customer", "update", "Pooja", "--name", "Priya Sharma")
    assert taken.exit_code == 1 and "former name of 'Priya Madam'" in taken.stderr


def test_return_against_a_sale_is_credited_as_that_sale_charged(kirana, clock):
    clock("2025-10-10T10:00:00")
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
        "2025-01-01",
    )
    kirana(
        "item",
        "set",
        "biscuit",
        "--price",
        "18",
        "--gst",
        "5",
        "--hsn",
        "1905",
        "--from",
        "2025-09-22",
    )
    kirana("customer", "add", "Priya")
    sale = kirana("sale", "Priya", "biscuit:10", "--credit", "--on", "2025-09-10", "--json").json()
    back = kirana(
        "return",
        "Priya",
        "biscuit:4",
        "--against",
        str(sale["seq"]),
        "--on",
        "2025-10-01",
        "--json",
    )
    assert back.exit_code == 0, back.stderr
    (line,) = back.json()["data"]["items"]
    assert (line["gst_rate"], line["unit_price_paise"], line["total_paise"]) == ("18", 2000, 8000)
    whole = kirana("return", "Priya", "biscuit", "--against", str(sale["seq"]), "--json")
    assert whole.exit_code == 1 and "already returned" in whole.stderr  # 10 more would be 14
    for bad, phrase in ((["atta:1"], "is not on sale"), (["biscuit:11"], "sold 10")):
        result = kirana("return", "Priya", *bad, "--against", str(sale["seq"]))
        assert result.exit_code == 1 and phrase in result.stderr


def test_return_cannot_predate_its_sale_and_a_returned_sale_voids_last(kirana):
    kirana("customer", "add", "Priya")
    sale = kirana("sale", "Priya", "--amount", "670", "--credit", "--on", "2025-03-03", "--json")
    seq = str(sale.json()["seq"])
    early = kirana("return", "--amount", "10", "--against", seq, "--on", "2025-03-01")
    assert early.exit_code == 1 and "before sale" in early.stderr
    back = kirana("return", "--amount", "100", "--against", seq, "--json").json()
    blocked = kirana("void", seq, "--reason", "wrong customer")
    assert blocked.exit_code == 1 and f"#{back['seq']}" in blocked.stderr
    assert kirana("void", str(back["seq"]), "--reason", "undo").exit_code == 0
    assert kirana("void", seq, "--reason", "wrong customer").exit_code == 0
    assert dues_of(kirana, "Priya") == 0


def test_info_names_the_file_head_and_tables(sharma, db_path):
    body = sharma("info", "--json").json()
    assert body["db"] == str(db_path) and body["events"] == 8
    assert body["head"] == sharma("log", "--json", "--last", "1").json()["head"]
    assert body["tables"]["events"] == 8 and body["tables"]["customers"] == 3
    assert body["sqlite_version"]


def test_later_today_is_the_future_but_a_bare_today_return_follows_a_timed_sale(kirana):
    kirana("customer", "add", "Priya")
    later = kirana("sale", "Priya", "--amount", "5", "--credit", "--on", "2025-03-10 23:30")
    assert later.exit_code == 1 and "in the future" in later.stderr
    sale = kirana("sale", "Priya", "--amount", "500", "--credit", "--json").json()  # now, 18:00
    same_day = kirana("return", "--amount", "50", "--against", str(sale["seq"]), "--on", "today")
    assert same_day.exit_code == 0, same_day.stderr


def test_log_describes_catalog_and_shop_entries(kirana):
    kirana(
        "item", "set", "atta", "--price", "45", "--gst", "5", "--unit", "kg", "--from", "2025-01-01"
    )
    kirana("shop", "set", "--scheme", "regular", "--from", "2025-01-01")
    text = kirana("log").stdout
    assert "Price of atta: ₹45.00/kg, GST 5% from 2025-01-01" in text
    assert "Shop settings from 2025-01-01: scheme regular" in text
