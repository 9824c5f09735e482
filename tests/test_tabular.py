"""CSV and Markdown output: spreadsheet formulas and Markdown/HTML are defused."""

from kirana.tabular import neutralise, to_csv, to_markdown


def test_markdown_cells_cannot_inject_html_or_break_the_table():
    text = to_markdown(["Customer"], [["<script>alert(1)</script> | Sons & Co"]])
    assert "<script>" not in text
    assert text.splitlines()[2] == "| &lt;script&gt;alert(1)&lt;/script&gt; \\| Sons &amp; Co |"


def test_csv_neutralises_formula_text_but_keeps_numbers():
    assert neutralise('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert neutralise(-500) == -500
    assert to_csv(["a", "b"], [["@SUM(A1)", 7]]).splitlines()[1] == "'@SUM(A1),7"
