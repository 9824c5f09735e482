"""Stored text never reaches a terminal or a document raw.

Hostile names, references, reasons, item names, a shop name and a `recorded_by` are stored
through the library (or, where today's rules refuse them, appended raw with `ledger.append`,
as an old or imported ledger could hold them). Every human-facing output then shows them with
visible stand-ins (ESC → ␛, U+202E → <U+202E>; kirana.safe_text), Rich markup literally, and
Markdown/HTML escaped; JSON, CSV and xlsx keep the stored text exactly.
"""

from __future__ import annotations

import html
import io
import re
import sys
import unicodedata
import zipfile
from dataclasses import replace

import pytest

from kirana import recording
from kirana.errors import KiranaError
from kirana.events import CUSTOMER_ADDED, PAYMENT, SALE, SHOP_CONFIGURED, VOID
from kirana.ledger import open_ledger
from kirana.settings import Settings
from kirana.store import Draft

RAVI = "Ravi \u202etnaruatser\u202c Kumar"  # a bidi override in a name
BOSS = "Esha\x1b[2J [bold]Boss[/]"  # ESC and Rich markup in a name
SHOP = "Shop\x1b]0;title\x07 <script>x</script> | [b]s[/b] \u2066"
ITEM = "Atta<script>|x\u202e\x1b[1m"
REF = "\x1b[2J\x1b]0;pwned\x07"
NOTE = "[bold red]x[/] <script>alert(1)</script> | col"
REASON = "typo \x1b[31m[red]oops[/] <script>alert(2)</script> | x \u202eevil"
BY = "clerk\x1b[5m\u202e"


def hidden(text: str) -> list[str]:
    """Characters that act on a terminal or reorder/hide text (an independent list: Cc, Cf,
    line/paragraph separators; ZWJ/ZWNJ are fine); the newlines that end lines are fine."""
    return [
        c
        for c in text
        if c != "\n"
        and c not in "\u200c\u200d"
        and unicodedata.category(c) in {"Cc", "Cf", "Cs", "Zl", "Zp"}
    ]


def clean(result, code: int = 0):
    """The command ran as expected and neither stdout nor stderr holds a hidden character."""
    assert result.exit_code == code, result.stderr
    assert hidden(result.stdout) == [], result.stdout
    assert hidden(result.stderr) == [], result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    return result


def _or_raw(ledger, record, draft: Draft):
    """Store through the library; if today's rules refuse the text, append it raw."""
    try:
        return record()
    except KiranaError:
        with ledger.write():
            return ledger.append(draft)


def _customer(ledger, name: str, phone: str | None = None, limit_paise: int | None = None):
    stored = {"phone": f"91{phone}"} if phone else {}
    stored |= {"credit_limit_paise": limit_paise} if limit_paise else {}
    _or_raw(
        ledger,
        lambda: recording.add_customer(ledger, name, phone, limit_paise),
        Draft(CUSTOMER_ADDED, "2025-01-01T10:00:00+05:30", name, stored),
    )


def _shop(ledger, name: str):
    _or_raw(
        ledger,
        lambda: recording.set_shop(ledger, {"name": name}, "2025-01-01"),
        Draft(SHOP_CONFIGURED, "2025-01-01", None, {"name": name, "effective_from": "2025-01-01"}),
    )


@pytest.fixture
def hostile(ledger, db_path, monkeypatch):
    """Ravi (bidi name, phone, limit ₹100) and Esha (ESC + markup name) owe money; the shop
    has a hostile name; a sale of a hostile item; a payment with a hostile reference, voided
    with a hostile reason; another payment recorded by a hostile `recorded_by`. Tables are
    drawn 400 columns wide, so no cell wraps."""
    monkeypatch.setenv("COLUMNS", "400")
    _customer(ledger, RAVI, "9876543210", limit_paise=10000)
    _customer(ledger, BOSS, "9876500000")
    _shop(ledger, SHOP)
    line = {"name": ITEM, "qty": "1", "unit": "", "unit_price_paise": 25000, "gst_rate": "0"}
    line |= {"hsn": "", "total_paise": 25000}
    _or_raw(
        ledger,
        lambda: recording.sale_from_words(
            ledger, ["Ravi", f"{ITEM}:1@250"], method="credit", occurred_at="2025-03-01"
        ),
        Draft(
            SALE, "2025-03-01", RAVI, {"method": "credit", "amount_paise": 25000, "items": [line]}
        ),
    )
    recording.record_sale(
        ledger, "Esha", method="credit", occurred_at="2025-02-01", amount_paise=30000
    )
    paid = _or_raw(
        ledger,
        lambda: (
            recording.record_payment(
                ledger, "Ravi", 10000, occurred_at="2025-03-05", reference=REF, note=NOTE
            ).event
        ),
        Draft(
            PAYMENT,
            "2025-03-05",
            RAVI,
            {"method": "cash", "amount_paise": 10000, "reference": REF, "note": NOTE},
        ),
    )
    _or_raw(
        ledger,
        lambda: recording.record_void(ledger, paid.seq, REASON),
        Draft(VOID, "2025-03-06T10:00:00+05:30", RAVI, {"target": paid.seq, "reason": REASON}),
    )
    as_clerk = replace(Settings.from_environ(), recorded_by=BY)
    with open_ledger(db_path, using=as_clerk) as clerk:
        recording.record_payment(clerk, "Ravi", 10000, occurred_at="2025-03-05")
    return ledger


# ---- the terminal --------------------------------------------------------------------------
def test_log_shows_references_reasons_items_and_recorded_by_visibly(hostile, kirana):
    out = clean(kirana("log")).stdout
    assert "␛[2J␛]0;pwned␇" in out  # the reference, on one line
    assert "[red]oops[/]" in out  # markup printed, not applied
    assert "<U+202E>" in out and "clerk␛[5m<U+202E>" in out
    assert "Atta<script>|x<U+202E>␛[1m" in out


@pytest.mark.parametrize(
    "args",
    [
        ("customer", "list"),
        ("dues",),
        ("dues", "--aging"),
        ("balance",),
        ("balance", "Ravi"),
        ("statement", "Ravi"),
        ("report", "month", "2025-03"),
        ("report", "month", "2025-03", "--format", "table"),
    ],
    ids=" ".join,
)
def test_tables_show_names_visibly_and_markup_literally(hostile, kirana, args):
    out = clean(kirana(*args)).stdout
    assert "Ravi <U+202E>tnaruatser<U+202C> Kumar" in out
    if args[0] != "statement" and args != ("balance", "Ravi"):
        assert "Esha␛[2J [bold]Boss[/]" in out


def test_month_report_on_screen_shows_the_shop_and_item_visibly(hostile, kirana):
    out = clean(kirana("report", "month", "2025-03")).stdout
    assert "Shop␛]0;title␇ <script>x</script> | [b]s[/b] <U+2066>" in out
    assert "Atta<script>|x<U+202E>␛[1m" in out


def test_dispute_shows_evidence_and_voids_visibly(hostile, kirana):
    out = clean(kirana("dispute", "Ravi", "100", "--on", "2025-03-05")).stdout
    assert "by Ravi <U+202E>tnaruatser<U+202C> Kumar on 2025-03-05" in out
    assert "␛[2J␛]0;pwned␇" in out
    assert "clerk␛[5m<U+202E>" in out
    assert "typo ␛[31m[red]oops[/] <script>alert(2)</script> | x <U+202E>evil" in out


def test_remind_shows_names_and_shop_visibly(hostile, kirana):
    out = clean(kirana("remind", "--over", "0")).stdout
    assert "Namaste Esha␛[2J [bold]Boss[/] ji!" in out
    assert "A gentle reminder from Shop␛]0;title␇ <script>x</script>" in out
    assert "%1B%5B2J" in out  # the wa.me link carries the message URL-encoded


def test_write_confirmations_and_warnings_are_one_visible_line(hostile, kirana):
    result = clean(kirana("pay", "Ravi", "50", "--ref", "a[bold]r[/]FOUND"))
    assert result.stdout.count("\n") == 1
    assert "ref a[bold]r[/]FOUND ₹50.00 — Ravi <U+202E>tnaruatser<U+202C> Kumar's" in (
        result.stdout
    )
    warned = clean(kirana("sale", "Ravi", "--amount", "500", "--credit"))
    assert "Warning:" in warned.stderr and "<U+202E>" in warned.stderr
    seq = warned.stdout.split()[0]  # '#10'
    voided = clean(kirana("void", seq.lstrip("#"), "--reason", "[red]oops[/]"))
    assert f"Void of {seq}: [red]oops[/]" in voided.stdout
    refused = clean(kirana("pay", "Ravi", "5", "--ref", "a\x1b]0;x\x07"), code=1)
    assert "U+001B" in refused.stderr  # the name rules refuse it, and say so visibly


def test_a_new_customer_is_confirmed_visibly(kirana):
    result = kirana("customer", "add", "Nisha\u202e\u2067x")
    clean(result, result.exit_code)  # added, or refused by the name rules: visible either way
    assert "U+202E" in result.stdout + result.stderr


def test_error_lines_show_what_was_typed_visibly(hostile, kirana):
    result = clean(kirana("pay", "Nob\u202eody\u2066", "5"), code=1)
    assert result.stderr.startswith("Error: ") and "U+202E" in result.stderr


def test_verify_problems_show_names_visibly(hostile, kirana):
    clean(kirana("confirm", "Ravi", "150", "--on", "2025-03-06"))
    sale = next(e for e in kirana("log", "--json").json()["events"] if e["type"] == "sale")
    refused = clean(kirana("void", str(sale["seq"]), "--reason", "wrong"), code=1)
    assert "Ravi <U+202E>tnaruatser<U+202C> Kumar confirmed ₹150.00" in refused.stderr
    with hostile.write():  # an entry written past the rules makes the confirmation false
        hostile.append(Draft(SALE, "2025-03-02", RAVI, {"method": "credit", "amount_paise": 99}))
    result = clean(kirana("verify"), code=1)
    assert "PROBLEM: entry" in result.stdout and "Ravi <U+202E>tnaruatser<U+202C> Kumar" in (
        result.stdout
    )


def test_import_summary_shows_new_names_visibly(kirana, tmp_path):
    file = tmp_path / "day.csv"
    file.write_text(
        "date,type,customer,amount,method,note\n"
        "2025-03-01,sale,Imp\u202eorted,100,credit,[b]x[/b]\n",
        encoding="utf-8",
    )
    result = kirana("import", str(file))
    clean(result, result.exit_code)  # imported, or refused: visible either way
    assert "U+202E" in result.stdout + result.stderr


# ---- documents -----------------------------------------------------------------------------
def _markdown_html(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table").render(text)


def _tables_intact(rendered: str) -> None:
    """Every row of every rendered table has as many cells as its header."""
    for table in re.findall(r"<table>.*?</table>", rendered, flags=re.DOTALL):
        width = len(re.findall(r"<th[ >]", table))
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], flags=re.DOTALL):
            assert row.count("<td") == width, row


@pytest.mark.parametrize(
    "args",
    [("statement", "Ravi", "--format", "md"), ("report", "month", "2025-03", "--format", "md")],
    ids=" ".join,
)
def test_markdown_cannot_inject_html_or_break_a_table(hostile, kirana, args):
    text = clean(kirana(*args)).stdout
    assert "<script" not in text and "\\|" in text
    rendered = _markdown_html(text)
    assert "<script" not in rendered and "<strong>red" not in rendered
    _tables_intact(rendered)
    page = html.unescape(rendered)
    assert "<U+202E>" in page and "␛" in page


def test_statement_markdown_rows_keep_their_six_cells(hostile, kirana):
    text = clean(kirana("statement", "Ravi", "--format", "md")).stdout
    assert text.startswith("# Khata statement: Ravi &lt;U+202E&gt;tnaruatser&lt;U+202C&gt; Kumar")
    rows = [line for line in text.splitlines() if line.startswith("| 20")]
    assert len(rows) == 4
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row.replace("\\\\", ""))) == 7, row


def test_markdown_shows_printable_markup_literally(ledger, kirana):
    """No control character at all: Markdown's own syntax in a name or shop name is escaped."""
    name = "Mr <script>alert(1)</script> | *Boss* `x`"
    shop = "[click](javascript:alert(1)) _Shop_ ~~x~~ $y$ <img src=x onerror=alert(1)>"
    _customer(ledger, name)
    _shop(ledger, shop)
    recording.record_sale(
        ledger, "Mr", method="credit", occurred_at="2025-03-01", amount_paise=5000, reference="a|b"
    )
    for args in (
        ("statement", "Mr", "--format", "md"),
        ("report", "month", "2025-03", "--format", "md"),
    ):
        text = clean(kirana(*args)).stdout
        rendered = _markdown_html(text)
        for active in ("<script", "<img", "<em>Boss", "<em>Shop", "<code>", "<a ", "<del>", "<s>"):
            assert active not in rendered, active
        _tables_intact(rendered)
        page = html.unescape(rendered)
        assert name in page or shop in page


@pytest.mark.parametrize(
    "args",
    [("report", "month", "2025-03", "--format", "html"), ("statement", "Ravi", "--format", "html")],
    ids=" ".join,
)
def test_html_escapes_and_shows_hidden_characters(hostile, kirana, args):
    page = clean(kirana(*args)).stdout
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "&lt;U+202E&gt;" in page and "␛" in page


# ---- data: exact ---------------------------------------------------------------------------
def test_json_keeps_the_stored_text_exactly(hostile, kirana):
    events = kirana("log", "--json").json()["events"]
    assert any(e["data"].get("reference") == REF for e in events)
    assert any(e["data"].get("reason") == REASON for e in events)
    assert any(e["recorded_by"] == BY for e in events)


def test_csv_is_exact_when_piped_and_visible_on_a_terminal(hostile, kirana, monkeypatch):
    piped = kirana("statement", "Ravi", "--format", "csv")
    assert REF in piped.stdout and RAVI not in piped.stdout  # the statement names no customer
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    on_screen = clean(kirana("statement", "Ravi", "--format", "csv"))
    assert "␛[2J␛]0;pwned␇" in on_screen.stdout


def test_xlsx_keeps_the_stored_text_in_valid_xml(hostile, kirana, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "march.xlsx"
    assert kirana("report", "month", "2025-03", "--out", out).exit_code == 0
    strings = zipfile.ZipFile(out).read("xl/sharedStrings.xml").decode("utf-8")
    assert "_x001B_]0;title_x0007_" in strings  # xlsxwriter's escape: Excel shows the text
    assert "\u202e" in strings and "&lt;script&gt;" in strings
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))  # well-formed XML
    facts = {row[0]: row[1] for row in book.active.iter_rows(max_col=2, values_only=True)}
    assert facts["Shop"].startswith("Shop_x001B_]0;title_x0007_ <script>")


# ---- a real terminal process ---------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("log",),
        ("customer", "list"),
        ("dispute", "Ravi", "100", "--on", "2025-03-05"),
        ("statement", "Ravi", "--format", "md"),
    ],
    ids=" ".join,
)
def test_a_real_process_prints_no_hidden_character(hostile, kirana_process, args):
    out = clean(kirana_process(*args)).stdout
    assert "<U+202E>" in out or "&lt;U+202E&gt;" in out
