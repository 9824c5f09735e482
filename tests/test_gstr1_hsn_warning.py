"""`export --format gstr1`: an item sold without an HSN code is warned about, once, with how to
fix it (its row of the HSN summary has an empty hsn_sc)."""

from __future__ import annotations

import json

import pytest

SHOP_GSTIN = "27AAPFU0939F1ZV"


@pytest.fixture(autouse=True)
def _october(monkeypatch):
    monkeypatch.setenv("KIRANA_NOW", "2025-10-05T10:00:00")


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def test_each_item_without_an_hsn_code_is_warned_about_once(kirana, tmp_path):
    ok(kirana("shop", "set", "--gstin", SHOP_GSTIN, "--scheme", "regular", "--from", "2025-04-01"))
    ok(kirana("item", "set", "milk", "--price", "56", "--gst", "0", "--hsn", "0401",
              "--from", "2025-04-01"))  # fmt: skip
    ok(kirana("item", "set", "Kaju Katli", "--price", "900", "--gst", "5", "--from", "2025-04-01"))
    ok(kirana("item", "set", "soap", "--price", "118", "--gst", "18", "--from", "2025-04-01"))
    ok(kirana("sale", "milk:2", "Kaju Katli:1", "--cash", "--on", "2025-09-03"))
    ok(kirana("sale", "soap:1", "kaju katli:2", "--upi", "--on", "2025-09-04"))
    out = tmp_path / "gstr1.json"
    result = ok(kirana("export", "--format", "gstr1", "--period", "2025-09", "--out", out))
    said = (
        "Warning: item {!r} has no HSN code, so its GSTR-1 HSN row (Table 12) has an empty"
        " hsn_sc: fill it in before filing, and give the item its code for later sales:"
        " kirana item set {} --price PRICE --gst RATE --hsn CODE"
    )
    assert result.stderr.splitlines() == [
        said.format("Kaju Katli", "'Kaju Katli'"),
        said.format("soap", "soap"),
    ]
    rows = json.loads(out.read_text("utf-8"))["hsn"]["hsn_b2c"]
    assert sorted(row["hsn_sc"] for row in rows) == ["", "", "0401"]
    printed = kirana("export", "--format", "gstr1", "--period", "2025-09")
    assert json.loads(printed.stdout)["hsn"]["hsn_b2c"] == rows  # stdout stays the file
    assert len(printed.stderr.splitlines()) == 2


def test_no_warning_when_every_item_has_its_code(kirana, tmp_path):
    ok(kirana("shop", "set", "--gstin", SHOP_GSTIN, "--scheme", "regular", "--from", "2025-04-01"))
    ok(kirana("item", "set", "milk", "--price", "56", "--gst", "0", "--hsn", "0401",
              "--from", "2025-04-01"))  # fmt: skip
    ok(kirana("sale", "milk:2", "--cash", "--on", "2025-09-03"))
    result = ok(kirana("export", "--format", "gstr1", "--period", "2025-09",
                       "--out", tmp_path / "g.json"))  # fmt: skip
    assert result.stderr == ""
