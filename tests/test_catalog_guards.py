"""Catalog guards: `item set` changes only what it is given; `item import` never silently
re-prices a day that already has a price, and reports every bad line; a sale of an item the
catalog does not know says it was taxed at the shop's default rate."""

from __future__ import annotations

from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
HEADER = "name,price,gst,hsn,unit,from\n"


def events(kirana) -> list[dict]:
    """Every entry in the ledger (none when no command has created it yet)."""
    result = kirana("log", "--json")
    if result.exit_code == 1 and "no ledger at" in result.stderr:
        return []
    return result.json()["events"]


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def cli(kirana, words: str):
    """Run a command given as one string of words (none has a space) that must succeed."""
    return ok(kirana(*words.split()))


def item(kirana, name: str, on: str = "2025-03-10") -> dict:
    found = ok(kirana("item", "list", "--on", on, "--json")).json()["items"]
    return next(i for i in found if i["name"] == name)


def csv_file(tmp_path, *rows: str) -> Path:
    path = tmp_path / "prices.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def refused_import(kirana, path: Path, *flags: str) -> str:
    """`item import` that must refuse the file and append nothing; its stderr."""
    before = len(events(kirana))
    result = kirana("item", "import", path, *flags)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(events(kirana)) == before
    return result.stderr


# ---- item set changes only what it is given -------------------------------------------------
def test_item_set_keeps_the_unit_and_hsn_in_force(kirana):
    cli(kirana, "item set ghee --price 560 --gst 12 --unit kg --hsn 0405 --from 2025-03-01")
    result = ok(kirana("item", "set", "ghee", "--price", "590", "--gst", "5"))
    assert result.stdout == "#2 ghee: ₹590.00 per kg, GST 5% from 2025-03-10\n"
    ghee = item(kirana, "ghee")
    assert (ghee["price_paise"], ghee["gst_rate"], ghee["unit"], ghee["hsn"]) == (
        59000,
        "5",
        "kg",
        "0405",
    )


def test_item_set_changes_the_unit_and_hsn_when_given(kirana):
    cli(kirana, "item set ghee --price 560 --gst 12 --unit kg --hsn 0405 --from 2025-03-01")
    cli(kirana, "item set ghee --price 60 --gst 5 --unit pack --hsn 04059020")
    ghee = item(kirana, "ghee")
    assert (ghee["unit"], ghee["hsn"]) == ("pack", "04059020")


def test_item_set_keeps_what_is_in_force_on_its_own_date(kirana):
    cli(kirana, "item set oil --price 150 --gst 5 --unit l --hsn 1512 --from 2025-01-01")
    cli(kirana, "item set oil --price 900 --gst 5 --unit tin --hsn 151211 --from 2025-06-01")
    ok(kirana("item", "set", "oil", "--price", "160", "--gst", "5", "--from", "2025-03-01"))
    oil = item(kirana, "oil", on="2025-03-01")
    assert (oil["price_paise"], oil["unit"], oil["hsn"]) == (16000, "l", "1512")


def test_a_new_item_without_a_unit_is_pcs_as_before(kirana):
    result = ok(kirana("item", "set", "soap", "--price", "40", "--gst", "18"))
    assert result.stdout == "#1 soap: ₹40.00 per pcs, GST 18% from 2025-03-10\n"
    assert item(kirana, "soap")["hsn"] == ""


def test_import_with_empty_unit_and_hsn_cells_keeps_what_is_in_force(kirana, tmp_path):
    cli(kirana, "item set ghee --price 560 --gst 12 --unit kg --hsn 0405 --from 2025-03-01")
    path = csv_file(tmp_path, "ghee,590,5,,,2025-03-05", "soap,40,18,,,2025-03-05")
    assert ok(kirana("item", "import", path)).stdout == "2 prices added, 0 already in the catalog\n"
    ghee, soap = item(kirana, "ghee"), item(kirana, "soap")
    assert (ghee["price_paise"], ghee["unit"], ghee["hsn"]) == (59000, "kg", "0405")
    assert (soap["unit"], soap["hsn"]) == ("pcs", "")


# ---- item import refuses silent re-pricing ---------------------------------------------------
def test_import_refuses_a_different_price_for_a_day_that_has_one(kirana, tmp_path):
    ok(kirana("item", "set", "butter", "--price", "57", "--gst", "12", "--from", "2025-03-01"))
    path = csv_file(tmp_path, "atta,38,0,1101,kg,2025-03-01", "butter,525,12,,,2025-03-01")
    assert refused_import(kirana, path) == (
        "line 3: butter already costs ₹57.00 (GST 12%, pcs) from 2025-03-01; this row says"
        " ₹525.00; use --replace to change it\n"
        "Error: 1 bad row; nothing imported\n"
    )
    assert item(kirana, "butter")["price_paise"] == 5700


def test_import_names_every_value_that_differs(kirana, tmp_path):
    cli(kirana, "item set ghee --price 560 --gst 12 --unit kg --hsn 0405 --from 2025-03-01")
    path = csv_file(tmp_path, "Ghee,560,5,04059020,l,2025-03-01")
    assert refused_import(kirana, path) == (
        "line 2: Ghee already costs ₹560.00 (GST 12%, kg, HSN 0405) from 2025-03-01; this row"
        " says GST 5%, HSN 04059020, unit l; use --replace to change it\n"
        "Error: 1 bad row; nothing imported\n"
    )


def test_import_reports_every_bad_line_then_one_error(kirana, tmp_path):
    ok(kirana("item", "set", "butter", "--price", "57", "--gst", "12", "--from", "2025-03-01"))
    path = csv_file(
        tmp_path,
        "atta,38,0,1101,kg,2025-03-01",
        "a:b,10,5,,,2025-03-01",
        "sugar,abc,5,,,2025-03-01",
        "butter,525,12,,,2025-03-01",
        "salt,20,7,,,2025-03-01",
    )
    lines = refused_import(kirana, path).splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["line 3", "line 4", "line 5", "line 6"]
    assert lines[0] == "line 3: item name 'a:b' must be plain text without ':', '@' or ';'"
    assert "price" in lines[1] and "abc" in lines[1]
    assert lines[2].startswith("line 5: butter already costs ₹57.00")
    assert "not a GST slab" in lines[3]
    assert lines[-1] == "Error: 4 bad rows; nothing imported"


def test_import_refuses_two_prices_for_one_day_in_the_same_file(kirana, tmp_path):
    path = csv_file(tmp_path, "tea,120,5,0902,pack,2025-03-01", "tea,130,5,0902,pack,2025-03-01")
    assert refused_import(kirana, path) == (
        "line 3: tea already costs ₹120.00 (GST 5%, pack, HSN 0902) from 2025-03-01 (line 2 of"
        " this file); this row says ₹130.00; use --replace to change it\n"
        "Error: 1 bad row; nothing imported\n"
    )


def test_replace_lets_a_row_change_the_price_of_that_day(kirana, tmp_path):
    ok(kirana("item", "set", "butter", "--price", "57", "--gst", "12", "--from", "2025-03-01"))
    path = csv_file(tmp_path, "atta,38,0,1101,kg,2025-03-01", "butter,525,12,,kg,2025-03-01")
    result = ok(kirana("item", "import", path, "--replace"))
    assert result.stdout == (
        "2 prices added (1 replacing a price of the same day), 0 already in the catalog\n"
    )
    butter = item(kirana, "butter")
    assert (butter["price_paise"], butter["unit"]) == (52500, "kg")


def test_reimporting_the_same_file_appends_nothing(kirana, tmp_path):
    path = csv_file(tmp_path, "atta,38,0,1101,kg,2025-03-01", "sugar,45,5%,1701,kg,01-03-2025")
    assert ok(kirana("item", "import", path)).stdout == "2 prices added, 0 already in the catalog\n"
    before = len(events(kirana))
    again = ok(kirana("item", "import", path))
    assert again.stdout == "0 prices added, 2 already in the catalog\n"
    assert len(events(kirana)) == before


def test_the_sample_catalog_does_not_silently_replace_a_price_set_that_day(kirana):
    ok(kirana("item", "set", "butter", "--price", "57", "--gst", "5", "--from", "2025-09-22"))
    assert refused_import(kirana, SAMPLE / "catalog.csv") == (
        "line 31: butter already costs ₹57.00 (GST 5%, pcs) from 2025-09-22; this row says"
        " ₹525.00, HSN 04051000, unit kg; use --replace to change it\n"
        "Error: 1 bad row; nothing imported\n"
    )


# ---- a sale of an item the catalog does not know, priced inline -----------------------------
def test_inline_priced_unknown_item_says_it_took_the_shop_default(kirana):
    ok(kirana("shop", "set", "--default-gst", "5", "--from", "2025-01-01"))
    ok(kirana("customer", "add", "Priya"))
    result = ok(kirana("sale", "Priya", "paneer:1@80", "--credit"))
    assert result.stdout == (
        "#3 Credit sale INV/2024-25/0001: paneer 1 ₹80.00 — Priya's dues now ₹80.00"
        " (paneer: GST 5% — shop default; not in catalog)\n"
    )
    assert result.stderr == ""
    assert events(kirana)[-1]["data"]["items"][0]["gst_rate"] == "5"


def test_the_note_says_when_no_shop_default_is_set(kirana):
    result = ok(kirana("sale", "paneer:2@80", "chikki@10", "--cash"))
    assert result.stdout.endswith(
        "(paneer, chikki: GST 0% — no shop default set; not in catalog)\n"
    )


def test_a_catalog_item_priced_inline_has_no_note(kirana):
    ok(kirana("item", "set", "paneer", "--price", "90", "--gst", "5", "--from", "2025-01-01"))
    result = ok(kirana("sale", "paneer:1@80", "--cash"))
    assert result.stdout == "#2 Cash sale INV/2024-25/0001: paneer 1 pcs ₹80.00\n"
