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
