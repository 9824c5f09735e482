"""A statement's lines rendered fast give what the plain code gave: sale, payment and return
labels made once per method and language describe every payload as before (English and Hindi);
the JSON is written to stdout as orjson's bytes only where that is what printing its text would
write, and as text otherwise (a stdout that is not UTF-8, or has no byte stream); a CSV line
joined by csv_field is what the csv module writes; Indian digit grouping cut at once is the loop
it replaced."""

from __future__ import annotations

import contextlib
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from kirana import invoices
from kirana.events import PAYMENT, RETURN, SALE
from kirana.i18n import in_language, translator
from kirana.queries import _method_label, _numbered, describe_payload
from kirana.reports import statement_rows

METHODS = ["cash", "credit", "upi", "card", "cheque", "bank", "barter"]
SETTLEMENTS = ["khata", "cash", "upi", "store credit"]
item = st.fixed_dictionaries(
    {"name": st.sampled_from(["atta", "चीनी", "tea, 2 kg"]), "qty": st.sampled_from(["1", "0.5"])},
    optional={"unit": st.sampled_from(["", "kg", "पैकेट"])},
)
extras = st.fixed_dictionaries(
    {},
    optional={
        invoices.FIELD: st.sampled_from(["INV/2025-26/0001", ""]),
        "reference": st.sampled_from(["UTR1", ""]),
        "against": st.sampled_from([12, 0]),
    },
)


def describe_as_before(kind: str, data: dict, tr) -> str:
    """describe_payload's sale, payment and return as they were written before the labels
    were kept per method."""
    if kind == SALE:
        what = ", ".join(
            f"{line['name']} {line['qty']}{(' ' + line['unit']) if line.get('unit') else ''}"
            for line in data.get("items", [])
        )
        label = tr("{method} sale").format(method=_method_label(data["method"], tr))
        label += _numbered(data)
        return f"{label}: {what}" if what else label
    if kind == PAYMENT:
        paid = tr("Payment ({method})").format(method=_method_label(data["method"], tr))
        if data.get("reference"):
            paid += " " + tr("ref {reference}").format(reference=data["reference"])
        return paid
    to = {
        "khata": tr("Return to khata"),
        "cash": tr("Return to cash"),
        "upi": tr("Return to upi"),
    }
    against = " " + tr("against #{seq}").format(seq=data["against"]) if data.get("against") else ""
    returned = to.get(data["settlement"], f"Return to {data['settlement']}")
    return returned + _numbered(data) + against


@given(
    kind=st.sampled_from([SALE, PAYMENT, RETURN]),
    method=st.sampled_from(METHODS),
    settlement=st.sampled_from(SETTLEMENTS),
    items=st.one_of(st.none(), st.lists(item, max_size=3)),
    more=extras,
    language=st.sampled_from(["en", "hi"]),
)
def test_labels_kept_per_method_describe_as_before(kind, method, settlement, items, more, language):
    data = {**more, "method": method, "settlement": settlement}
    if items is not None:
        data["items"] = items
    with in_language(language):
        for _ in range(2):  # the labels are made the first time, then kept
            tr = translator()
            assert describe_payload(kind, "Priya", data, tr) == describe_as_before(kind, data, tr)


def _printed(stdout) -> None:
    from kirana.cli import render as cli_render
    from kirana.cli.emit import emit

    with contextlib.redirect_stdout(stdout):
        assert cli_render.utf8_stdout() is (
            hasattr(stdout, "buffer") and stdout.encoding.lower().replace("-", "") == "utf8"
        )
        emit(_report(), "json", None)


def _report():
    from kirana.reports.statement import StatementReport
    from kirana.statements import Statement

    return StatementReport(Statement("सुनीता ₹", None, None, 0, 0, []), {"seq": 1})


def test_json_is_written_as_bytes_only_where_its_text_would_be_written_so():
    expected = statement_rows.json_text(_report())
    assert json.loads(expected)["customer"] == "सुनीता ₹"
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    _printed(utf8)
    utf8.flush()
    assert utf8.buffer.getvalue() == expected.encode()
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1", errors="backslashreplace")
    _printed(latin)
    latin.flush()
    assert latin.buffer.getvalue() == expected.encode("latin-1", "backslashreplace")
    text = io.StringIO()  # no byte stream: text, as before
    _printed(text)
    assert text.getvalue() == expected


@given(
    cells=st.lists(
        st.one_of(
            st.text(max_size=12),
            st.text(alphabet='ab, "\r\n\t=+-@₹क', max_size=12),
            st.integers(0, 10**7),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_csv_field_is_what_the_csv_module_writes(cells):
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    fields = [cell if type(cell) is int else statement_rows.csv_field(cell) for cell in cells]
    if len(cells) > 1 and None not in fields:  # (a lone empty field is written as "")
        assert ",".join(map(str, fields)) + "\n" == buffer.getvalue()


def group_indian_as_before(digits: str) -> str:
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail])


@given(st.integers(0, 10**15))
def test_indian_grouping_cut_at_once_is_the_loop_before(number):
    from kirana.money import group_indian

    assert group_indian(str(number)) == group_indian_as_before(str(number))


@given(
    sizes=st.lists(st.integers(0, 120), min_size=1, max_size=8),
    right=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_a_row_format_names_its_text_columns_and_their_widths(sizes, right):
    from kirana.reports.fixed_width import Column, _text_columns, row_template

    columns = [Column(f"c{i}", right=r) for i, r in zip(range(len(sizes)), right)]
    text, limits, _ = row_template(columns, sizes)
    assert _text_columns(text) == tuple(
        (i, size) for i, (size, col) in enumerate(zip(sizes, columns)) if not col.right
    )
    assert all(limits[i] == size for i, size in _text_columns(text))
