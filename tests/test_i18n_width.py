"""Hindi fits an 80-column terminal (issue 17): the tables Rich draws (find, the lists, the
reports on screen) and `info`, with Devanagari names, measured as a terminal shows them (a
vowel sign such as ा takes a cell; Rich counts none). Real `kirana` processes."""

from __future__ import annotations

import pytest

from kirana.reports.fixed_width import cell_width, rich_miscounts

PRIYA = "प्रिया मैडम सिंघानिया परिवार"
RAMESHWAR = "रामेश्वर प्रसाद किराना वाले"
RICE = "बासमती चावल प्रीमियम"
OIL = "सरसों का तेल कच्ची घानी"

VIEWS = [
    ("find", "प्रिया"),
    ("find", "बोतल"),
    ("customer", "list"),
    ("item", "list"),
    ("report", "month", "2025-03"),
    ("report", "gst", "2025-03"),
    ("report", "day", "2025-03-01"),
    ("info",),
]


@pytest.fixture
def devanagari_shop(kirana, clock, monkeypatch):
    def ok(*args: str) -> None:
        result = kirana(*args)
        assert result.exit_code == 0, result.stderr

    clock("2025-02-01T10:00:00")
    ok("customer", "add", PRIYA, "--phone", "9876543210", "--limit", "100000")
    ok("customer", "add", RAMESHWAR, "--limit", "100000")
    ok("item", "set", RICE, "--price", "120", "--gst", "5", "--hsn", "1006", "--unit", "kg")
    ok("item", "set", OIL, "--price", "180", "--gst", "5", "--hsn", "1514", "--unit", "l")
    clock("2025-03-10T18:00:00")
    ok(
        "sale",
        "प्रिया",
        f"{RICE}:2",
        "--credit",
        "--note",
        "बोतल लीक हो रही थी",
        "--on",
        "01-03-2025",
    )
    ok("sale", "रामेश्वर", f"{OIL}:1", "--credit", "--on", "02-03-2025")
    ok("pay", "प्रिया", "100", "--upi", "--ref", "998877", "--on", "03-03-2025")
    monkeypatch.setenv("COLUMNS", "80")


@pytest.mark.parametrize("lang", ["hi", "en"])
@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_every_line_fits_80_columns(devanagari_shop, kirana_process, view, lang):
    result = kirana_process(*view, env={"KIRANA_LANG": lang})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    too_wide = [line for line in lines if cell_width(line) > 80]
    assert too_wide == []


def test_find_names_stay_whole_in_their_column(devanagari_shop, kirana_process):
    """The fixed-width table wraps a name at its spaces; every word is printed."""
    out = kirana_process("find", "998877", env={"KIRANA_LANG": "hi"}).stdout
    assert all(word in out for word in PRIYA.split())
    assert "998877" in out


def test_rich_miscounts_vowel_signs_only():
    assert rich_miscounts(["राम"])  # ा: a cell on a terminal, none in Rich
    assert not rich_miscounts(["Priya Madam", "₹1,200.00", "—"])
