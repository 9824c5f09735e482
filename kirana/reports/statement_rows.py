"""A statement's long formats made straight from its lines: CSV, JSON and the terminal's rows.

A page of twenty thousand entries is read in the formats a script or the shopkeeper uses
(`--format csv`, `--format json`, `statement --all` on screen). Laying it out first as a Layout
of typed cells (layout_statement.statement_layout, which md, html, xlsx and the Rich table
draw) costs more per line than reading it, so these make each line's text directly:

- `csv_text(report)`: the same text as render.csv_text of the Layout (money as its exact
  rupees, text neutralised against formulas): the header, opening and closing rows written by
  the csv module, each line's row joined as the csv module would write it (`csv_field`);
- `screen_rows(page)`: the opening row, each line's cells and nothing else, as strings: the
  same as `str()` of layout_statement.opening_cells / line_cells, in the language in force;
- `statement_json(report)`: the statement's JSON (docs/json.md), `json_text` its text and
  `json_bytes` that text's UTF-8.

tests/test_statement_rows.py checks them against the Layout's cells on random khatas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from kirana.i18n import translator
from kirana.money import format_rupees, money_json, rupees_str
from kirana.queries import statement_text
from kirana.reports.statement import StatementReport
from kirana.statements import Statement
from kirana.tabular import FORMULA_STARTS, neutralise


def csv_text(report: StatementReport) -> str:
    """The page as CSV (English: call it under i18n.in_language("en"), as render does): the
    header row, the opening dues, every line, the closing dues."""
    from kirana.reports import layout_statement as page_layout

    page = report.page
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    opening, closing = page_layout.opening_cells(page), page_layout.closing_cells(page)
    writer.writerow([neutralise(cell) for cell in page_layout.header()])
    writer.writerow([*map(neutralise, opening[:5]), rupees_str(page.opening_paise)])
    buffer.write("".join(_csv_lines(page)))
    writer.writerow([*map(neutralise, closing[:5]), rupees_str(page.closing_paise)])
    return buffer.getvalue()


def csv_field(text: str) -> str | None:
    """A text cell as the csv module writes it (the excel dialect, "\n" ending lines): as it
    is, or in double quotes when it holds a comma; None when it holds a double quote or a line
    break (left to the csv module)."""
    if '"' in text or "\n" in text or "\r" in text:
        return None
    return f'"{text}"' if "," in text else text


class _Texts(dict):
    """Money texts by integer paise, each made by `form` the first time it is asked for (a
    customer's debits, credits and amounts repeat down a page). Look up only an int: anything
    else goes to `form` each time, which refuses it (True or 100.0 would find 1's or 100's)."""

    __slots__ = ("form",)

    def __init__(self, form) -> None:
        super().__init__()
        self.form = form

    def __missing__(self, paise: int) -> str:
        text = self[paise] = self.form(paise)
        return text


def _csv_lines(page: Statement) -> Iterator[str]:
    """Each line's CSV row, ending in "\n": its text cells (the day and the description,
    neutralised) through csv_field, and its numbers (the entry number and the rupees: digits,
    a point and a sign) as they are; a row with a quote or a line break in its text is
    written by the csv module."""
    tr = translator()
    voided = tr("[VOIDED by #{seq}]")
    # (describe: what line.described(tr) calls, one call less a line)
    formula, rupees, describe = FORMULA_STARTS, rupees_str, statement_text
    known = _Texts(rupees)  # a customer's debits and credits repeat: each written once
    odd = io.StringIO()
    writer = csv.writer(odd, lineterminator="\n")
    for line in page.lines:
        debit, credit = line.debit_paise, line.credit_paise
        text = describe(line.type, line.customer, line.data, debit - credit, tr)  # described
        if line.voided_by:
            text += " " + voided.format(seq=line.voided_by)
        if text.startswith(formula):  # tabular.neutralise, for a cell known to be text
            text = "'" + text
        day = line.occurred_at[:16].replace("T", " ")  # the day, and the minute if recorded
        if day.startswith(formula):
            day = "'" + day
        if debit:
            debit = known[debit] if type(debit) is int else rupees(debit)
        if credit:
            credit = known[credit] if type(credit) is int else rupees(credit)
        row = (day, line.seq, text, debit or "", credit or "", rupees(line.balance_paise))
        day, text = csv_field(day), csv_field(text)
        if day is None or text is None:
            odd.seek(0)
            odd.truncate()
            writer.writerow(row)
            yield odd.getvalue()
        else:
            yield f"{day},{row[1]},{text},{row[3]},{row[4]},{row[5]}\n"


def screen_rows(page: Statement, voided: list | None = None) -> Iterator[list[str]]:
    """The opening row and every line's cells as the terminal shows them (the closing row is
    the table's footer), in the language in force. With `voided` given, True is appended to it
    at the first voided line (the note below the table says how voided lines count)."""
    from kirana.reports import layout_statement as page_layout

    yield [str(cell) for cell in page_layout.opening_cells(page)]
    tr = translator()
    marker = tr("[VOIDED by #{seq}]")
    advance = tr("advance {amount}")
    money, describe = format_rupees, statement_text  # (line.described(tr), one call less)
    known = _Texts(money)  # a customer's debits and credits repeat: each formatted once
    for line in page.lines:
        debit, credit, dues = line.debit_paise, line.credit_paise, line.balance_paise
        text = describe(line.type, line.customer, line.data, debit - credit, tr)  # described
        if line.voided_by:
            text += " " + marker.format(seq=line.voided_by)
            if voided is not None and not voided:
                voided.append(True)
        if debit:
            debit = known[debit] if type(debit) is int else money(debit)
        if credit:
            credit = known[credit] if type(credit) is int else money(credit)
        yield [
            line.occurred_at[:16].replace("T", " "),  # the day, and the minute if recorded
            str(line.seq),
            text,
            debit or "",
            credit or "",
            money(dues) if dues >= 0 else advance.format(amount=money(-dues)),
        ]


def statement_json(report: StatementReport) -> dict:
    """The statement as docs/json.md gives it (descriptions in English)."""
    return _statement_json(report, [])


def _statement_json(report: StatementReport, odd: list) -> dict:
    """statement_json, with `odd` given a note that is not text (none is: see json_text)."""
    page = report.page
    return {
        "customer": page.customer,
        "from": page.start,
        "to": page.end,
        "head": report.head,
        **money_json(page.opening_paise, "opening"),
        **money_json(page.closing_paise, "closing"),
        "upi_link": report.upi_link,
        "lines": list(_json_lines(page, odd)),
    }


def _json_lines(page: Statement, odd: list) -> Iterator[dict]:
    rupees, describe = rupees_str, statement_text  # (line.described(), one call less)
    # a customer's amounts repeat (and a line has a debit or a credit: the other is 0): each
    # is written once
    known = _Texts(rupees)
    for line in page.lines:
        debit, credit, dues = line.debit_paise, line.credit_paise, line.balance_paise
        amount, note = line.amount_paise, line.note
        if note is not None and type(note) is not str:
            odd.append(note)
        debit_text = known[debit] if type(debit) is int else rupees(debit)
        credit_text = known[credit] if type(credit) is int else rupees(credit)
        if amount is not None:
            amount_text = known[amount] if type(amount) is int else rupees(amount)
        yield {
            "seq": line.seq,
            "occurred_at": line.occurred_at,
            "description": describe(line.type, line.customer, line.data, debit - credit),
            "debit_paise": debit,
            "debit": debit_text,
            "credit_paise": credit,
            "credit": credit_text,
            "balance_paise": dues,
            "balance": rupees(dues),
            "amount_paise": amount,
            "amount": None if amount is None else amount_text,
            "note": note,
            "voided_by": line.voided_by,
        }


def json_text(report: StatementReport) -> str:
    """statement_json's text as `--format json` prints it (json.dumps(…, indent=2)'s text).
    Every value in it is text, an integer (money is checked to be: rupees_str), None or a
    list or dict of them, so it is not looked through for floats; but a payload's note is
    shown as stored, so a page holding a note that is not text is looked through."""
    from kirana.jsonfast import pretty

    odd: list = []
    value = _statement_json(report, odd)
    return pretty(value, floats=bool(odd)) + "\n"


def json_bytes(report: StatementReport) -> bytes | None:
    """json_text(report) as UTF-8, straight from orjson (no text made and encoded again), or
    None where json_text needs the standard library's encoder."""
    from kirana.jsonfast import pretty_bytes

    odd: list = []
    encoded = pretty_bytes(_statement_json(report, odd), floats=bool(odd))
    return None if encoded is None else encoded + b"\n"
