"""`kirana statement --format html`: a self-contained printable page that parses, escapes every
text, strikes voided lines through, and shows opening/closing dues and the ledger head."""

from __future__ import annotations

import re
from html.parser import HTMLParser


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


class Page(HTMLParser):
    """Collects rows of cells (with the row's class), tags seen, and external references."""

    def __init__(self):
        super().__init__()
        self.rows: list[tuple[str | None, list[str]]] = []
        self.tags: list[str] = []
        self.external: list[str] = []
        self.title = ""
        self._cell: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.external.append(values[name])
        if tag == "tr":
            self.rows.append((values.get("class"), []))
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1][1].append("".join(self._cell))
            self._cell = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._in_title:
            self.title += data


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def khata(kirana, clock, name="Priya Madam"):
    clock("2025-03-10T18:00:00")
    ok(kirana("customer", "add", name))
    ok(kirana("sale", name, "atta:1@250", "--credit", "--on", "2025-03-01"))
    ok(kirana("pay", name, "100", "--on", "2025-03-02", "--ref", "<UPI&1>"))
    ok(kirana("pay", name, "50", "--on", "2025-03-03"))
    ok(kirana("void", "4", "--reason", "entered twice"))


def test_html_parses_with_rows_totals_and_head(kirana, clock):
    khata(kirana, clock)
    text = ok(kirana("statement", "Priya", "--format", "html")).stdout
    assert text.startswith("<!DOCTYPE html>")
    page = parse(text)
    assert page.title == "Khata statement: Priya Madam"
    assert page.external == []  # self-contained: no scripts, stylesheets or images to fetch
    assert "style" in page.tags and "script" not in page.tags
    header = page.rows[0][1]
    assert header == ["Date", "Entry", "Description", "Debit", "Credit", "Balance"]
    cells = [row for _, row in page.rows]
    assert ["", "", "Opening dues", "", "", "₹0.00"] in cells
    assert [
        "2025-03-01",
        "2",
        "Credit sale INV/2024-25/0001: atta 1",
        "₹250.00",
        "",
        "₹250.00",
    ] in cells
    assert ["", "", "Closing dues", "", "", "₹150.00"] in cells
    head = ok(kirana("log", "--json", "--last", "1")).json()["head"]
    assert f"entry {head['seq']} {head['hash']}" in text


def test_voided_line_is_struck_through(kirana, clock):
    khata(kirana, clock)
    text = ok(kirana("statement", "Priya", "--format", "html")).stdout
    page = parse(text)
    voided = [row for css, row in page.rows if css == "void"]
    assert len(voided) == 1
    assert voided[0][1] == "4" and "VOIDED by #5" in voided[0][2]
    assert voided[0][4] == "₹50.00"  # the voided amount is shown, struck through
    assert voided[0][5] == "₹150.00"  # and does not move the running balance
    assert re.search(r"tr\.void td \{[^}]*text-decoration: line-through", text)
    live = [row for css, row in page.rows if css != "void"]
    assert all("VOIDED" not in " ".join(row) for row in live)


def test_text_is_escaped(kirana, clock):
    khata(kirana, clock, name="Tom <b>&</b> Jerry")
    text = ok(kirana("statement", "Tom", "--format", "html")).stdout
    assert "<b>" not in text and "<UPI&1>" not in text
    assert "Tom &lt;b&gt;&amp;&lt;/b&gt; Jerry" in text
    assert "&lt;UPI&amp;1&gt;" in text
    page = parse(text)
    assert page.title == "Khata statement: Tom <b>&</b> Jerry"
    assert any("ref <UPI&1>" in cell for _, row in page.rows for cell in row)


def test_out_file_and_period(kirana, clock, tmp_path):
    khata(kirana, clock)
    target = tmp_path / "priya.html"
    result = ok(
        kirana(
            "statement",
            "Priya",
            "--from",
            "2025-03-02",
            "--to",
            "2025-03-03",
            "-f",
            "HTML",
            "--out",
            target,
        )
    )
    assert result.stdout.startswith(f"Wrote {target} (html; ledger head: entry ")
    page = parse(target.read_text(encoding="utf-8"))
    cells = [row for _, row in page.rows]
    assert ["", "", "Opening dues", "", "", "₹250.00"] in cells
    assert ["", "", "Closing dues", "", "", "₹150.00"] in cells
    assert "<dt>Period</dt><dd>2025-03-02 to 2025-03-03</dd>" in target.read_text(encoding="utf-8")


def test_unknown_format_names_html(kirana, clock):
    khata(kirana, clock)
    result = kirana("statement", "Priya", "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr == "Error: --format 'pdf' is not one of table, csv, json, md, xlsx, html\n"
