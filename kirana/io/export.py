"""`kirana export`: stream the log out as JSONL, CSV, an hledger/ledger journal or beancount.

- `jsonl`: every event, in seq order, as its canonical JSON (Event.to_json()), one per line.
  `kirana import` of this file into an empty ledger reproduces it exactly (seq, id, hashes).
- `csv`: the import format of docs/csv.md, for spreadsheets and other tools. Only sales, payments,
  returns and opening dues are rows; a voided entry and its void are left out together (they
  cancel), so balances round-trip through `kirana import`. Not carried: customers' phone and
  credit limit, catalog and shop settings, a return's `against`, confirmations, and an item's
  unit unless the catalog knows the item. `key` is the event id, so re-importing the file
  appends nothing. A last column, `invoice`, shows the sale's invoice / return's credit note
  number (ignored by the import). Text cells starting with = + - @ (tab, CR) get a leading `'`
  (spreadsheet safety; the importer removes it again); the amount is a number and stays one
  (`-200.00`).
- `ledger` / `beancount`: see journals.py.
- `gstr1` / `gstr3b` / `cmp08` (gst_files.py) and `tally` (tally.py): one period (`--period`),
  as known at a moment (`--as-known-at`), for the accountant's GST returns and TallyPrime.
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from kirana import invoices
from kirana.errors import InputError
from kirana.events import OPENING_BALANCE, PAYMENT, RETURN, SALE, Event
from kirana.i18n import tr
from kirana.io.csv_chunks import COLUMNS
from kirana.money import rupees_str
from kirana.store import Ledger, decode_payload
from kirana.store.codec import COLUMNS as EVENT_COLUMNS
from kirana.tabular import neutralise

FORMATS = ("jsonl", "csv", "ledger", "beancount", "gstr1", "gstr3b", "cmp08", "tally")
PERIOD_FORMATS = ("gstr1", "gstr3b", "cmp08", "tally")
NOT_VOIDED = "seq NOT IN (SELECT target_seq FROM voided)"


def export(
    ledger: Ledger,
    fmt: str,
    out: TextIO,
    period: str | None = None,
    known_at: str | None = None,
    warnings: list[str] | None = None,
) -> int:
    """Write the ledger to `out` in `fmt`; returns how many events (or documents) were
    written. `period` and `known_at` (a recorded_at bound) are for the period formats; what
    the accountant should know about the file is added to `warnings`."""
    if fmt in PERIOD_FORMATS:
        return export_period(ledger, fmt, out, period, known_at, warnings)
    if period is not None or known_at is not None:
        raise InputError(
            tr(
                "--period and --as-known-at are for {period_formats}; {fmt} exports the whole ledger"
            ).format(period_formats=", ".join(PERIOD_FORMATS), fmt=fmt)
        )
    if fmt == "jsonl":
        return export_jsonl(ledger, out)
    if fmt == "csv":
        return export_csv(ledger, out)
    if fmt in ("ledger", "beancount"):
        from kirana.io.journals import export_journal

        return export_journal(ledger, out, beancount=fmt == "beancount")
    raise InputError(
        tr("export format {fmt!r} is unknown; use one of {formats}").format(
            fmt=fmt, formats=", ".join(FORMATS)
        )
    )


def export_jsonl(ledger: Ledger, out: TextIO) -> int:
    """Every event as json.dumps(event.to_json(), ensure_ascii=False, separators=(",", ":")),
    one a line. The stored payload is already its canonical JSON (sorted keys, no spaces, text
    as is: what json.dumps writes of the decoded payload), so it is copied into the line
    without being decoded and encoded again (tests/test_fast_codec.py checks the two agree)."""
    count = 0
    lines: list[str] = []
    for row in ledger.conn.execute(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY seq"):
        lines.append(jsonl_line(row))
        count += 1
        if len(lines) == JSONL_LINES_A_WRITE:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    return count


# lines joined for each write: ~65 KB, below the size the allocator maps fresh pages for (a
# 1000-line piece cost a third of a 1M-event export's system time in page faults)
JSONL_LINES_A_WRITE = 100


def jsonl_line(row: tuple) -> str:
    """One stored events row as its JSONL export line (with the newline)."""
    seq, id_, kind, schema, occurred, recorded, by, customer, data, prev, hash_ = row
    text = _text
    return (
        f'{{"seq":{seq},"id":"{id_.hex()}","type":{text(kind)},"schema":{schema},'
        f'"occurred_at":{text(occurred)},"recorded_at":{text(recorded)},'
        f'"recorded_by":{text(by)},"customer":{"null" if customer is None else text(customer)},'
        f'"data":{decode_payload(data)},"prev_hash":"{prev.hex()}","hash":"{hash_.hex()}"}}\n'
    )


_text = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) writes


def export_csv(ledger: Ledger, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*COLUMNS, "invoice"))
    count = 0
    kinds = (SALE, PAYMENT, RETURN, OPENING_BALANCE)
    where = f"type IN ({','.join('?' * len(kinds))}) AND {NOT_VOIDED}"
    for event in ledger.iter_events(where, kinds):
        cells = csv_row(event)
        writer.writerow([cell if i == AMOUNT else neutralise(cell) for i, cell in enumerate(cells)])
        count += 1
    return count


AMOUNT = 3  # the amount column: a number (an advance is -200.00), never neutralised


def csv_row(event: Event) -> list[str]:
    """One event as a row of the CSV import format (docs/csv.md): date,type,customer,amount,
    method,items,reference,note,key, and its invoice / credit note number (which the import
    ignores: the ledger it goes into numbers the entries afresh)."""
    data = event.data
    kind = {OPENING_BALANCE: "opening"}.get(event.type, event.type)
    method = data.get("settlement") if event.type == RETURN else data.get("method", "")
    return [
        event.occurred_at,
        kind,
        event.customer or "",
        rupees_str(data["amount_paise"]),
        method or "",
        ";".join(item_spec(line) for line in data.get("items", [])),
        data.get("reference", ""),
        data.get("note", ""),
        event.id,
        data.get(invoices.FIELD, ""),
    ]


def item_spec(line: dict) -> str:
    """A stored sale line as NAME:QTY:PRICE:GST[:HSN]."""
    parts = [line["name"], line["qty"], rupees_str(line["unit_price_paise"]), line["gst_rate"]]
    if line.get("hsn"):
        parts.append(line["hsn"])
    return ":".join(str(part) for part in parts)


def export_period(
    ledger: Ledger,
    fmt: str,
    out: TextIO,
    period: str | None,
    known_at: str | None,
    warnings: list[str] | None = None,
) -> int:
    """A GST return file or a Tally import file for one period; returns its documents."""
    from kirana.io import gst_files
    from kirana.io.gst_returns import read_period, to_json

    data = read_period(ledger, period, known_at, what=f"export --format {fmt}")
    if fmt == "tally":
        from kirana.io.tally import tally_xml

        text, count = tally_xml(ledger, data)
        out.write(text)
        return count
    built = {"gstr1": gst_files.gstr1, "gstr3b": gst_files.gstr3b, "cmp08": gst_files.cmp08}
    document = built[fmt](data)
    if fmt == "gstr1" and warnings is not None:
        warnings += gst_files.missing_hsn(data)
    out.write(to_json(document) + "\n")
    return len(data.documents)
