"""kirana.safe_text.visible and the escapers built on it: hidden characters become visible
stand-ins, everything else is untouched; Markdown and Rich show any text literally."""

from __future__ import annotations

import html
import io
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kirana.safe_text import visible
from kirana.tabular import markdown_text, to_markdown

KEPT = "\u200c\u200d"  # ZWNJ, ZWJ
HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def hidden(text: str) -> list[str]:
    """The characters a terminal or a document must not receive raw (an independent list)."""
    return [c for c in text if unicodedata.category(c) in HIDDEN_CATEGORIES and c not in KEPT]


# every code point, surrogates included (Python strings may hold them)
any_text = st.text(st.characters(codec=None, exclude_categories=()))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "␛[2J"),
        ("\x1b]0;pwned\x07", "␛]0;pwned␇"),
        ("a\nb\rc\td", "a␊b␍c␉d"),
        ("\x00\x7f", "␀␡"),
        ("\x9b31m", "<U+009B>31m"),  # C1: the 8-bit CSI
        ("\u202eevil\u202c", "<U+202E>evil<U+202C>"),
        ("\u2066x\u2069 \u200e\u200f", "<U+2066>x<U+2069> <U+200E><U+200F>"),
        ("zero\u200bwidth\ufeff", "zero<U+200B>width<U+FEFF>"),
        ("line\u2028para\u2029", "line<U+2028>para<U+2029>"),
        ("\U000e0041", "<U+E0041>"),  # a tag character (invisible ASCII look-alike)
    ],
)
def test_hidden_characters_get_visible_stand_ins(raw, shown):
    assert visible(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Priya Madam",
        "श्री गणेश किराना",
        "क्\u200dष र\u200cक",  # Devanagari with ZWJ/ZWNJ: kept
        "₹1,25,000.50",
        "🙏🏽 👨\u200d👩\u200d👧",  # emoji modifiers and a ZWJ sequence
        "Café\u00a0Noël",  # accents and a no-break space
        "[bold]x[/] <b>&amp; | `x`",  # markup is not this function's business
    ],
)
def test_ordinary_text_is_untouched(text):
    assert visible(text) == text


@given(any_text)
def test_visible_text_holds_no_hidden_character(text):
    assert hidden(visible(text)) == []


@given(any_text.filter(lambda t: not hidden(t)))
def test_text_without_hidden_characters_is_unchanged(text):
    assert visible(text) == text


@given(any_text)
def test_visible_is_idempotent(text):
    assert visible(visible(text)) == visible(text)


# ---- Markdown ------------------------------------------------------------------------------
def _markdown():
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("table")  # raw HTML on, like GitHub's


printable = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@given(printable)
def test_markdown_text_renders_as_the_visible_text_literally(text):
    """No emphasis, link, code span, entity or HTML: the rendered page shows the text."""
    rendered = _markdown().renderInline(markdown_text(text))
    assert "<" not in rendered.replace("&lt;", "")  # no tag at all
    assert html.unescape(rendered) == visible(text)


@given(st.lists(printable, min_size=1, max_size=4))
def test_markdown_cells_cannot_break_their_row(cells):
    header = [f"h{i}" for i in range(len(cells))]
    rendered = _markdown().render(to_markdown(header, [cells]))
    body = rendered.split("<tbody>")[1]
    found = re.findall(r"<td>(.*?)</td>", body, flags=re.DOTALL)
    assert len(found) == len(cells)
    for got, cell in zip(found, cells, strict=True):
        assert html.unescape(got) == visible(cell).strip()  # GFM trims a cell


def test_markdown_escapes_what_markdown_acts_on():
    assert markdown_text("a|b `c` *d* _e_ [f](g) ~h~ $i$ \\ <j>&") == (
        "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\~h\\~ \\$i\\$ \\\\ &lt;j&gt;&amp;"
    )
    assert markdown_text("Sharma General Store 2025-03-10 ₹1,250.00 (#5)") == (
        "Sharma General Store 2025-03-10 ₹1,250.00 (#5)"  # ordinary text: as it was
    )


# ---- Rich ----------------------------------------------------------------------------------
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_rich_prints_plain_text_exactly_as_visible(text):
    """render.plain: Rich neither reads markup nor passes a control character through."""
    from rich.console import Console

    from kirana.cli.render import plain

    buffer = io.StringIO()
    Console(file=buffer, width=10_000, color_system=None, highlight=False).print(
        plain(text), soft_wrap=True, end=""
    )
    assert buffer.getvalue() == visible(text)
