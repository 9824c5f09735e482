"""`kirana export`: stream the log out as JSONL, CSV, an hledger/ledger journal or beancount.

- `jsonl`: every event, in seq order, as its canonical JSON (Event.to_json()), one per line.
  `kirana import` of this file into an empty ledger reproduces it exactly (seq, id, hashes).
- `csv`: the import format of docs/csv.md, for spreadsheets and other tools. Only sales, payments,
  returns and opening dues are rows; a voided entry and its void are left out together (they
  cancel), so balances round-trip through `kirana import`. Not carried: customers' phone and
  credit limit, catalog and shop settings, a return's `against`, confirmations, and an item's
  unit unless the catalog knows the item. `key` is the event id, so re-importing the file
  appends nothing. Text cells starting with = + - @ get a leading `'` (spreadsheet safety);
  the importer removes it again.
- `ledger` / `beancount`: see journals.py.
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from kirana.errors import InputError
from kirana.events import OPENING_BALANCE, PAYMENT, RETURN, SALE, Event
from kirana.io.csv_import import COLUMNS
from kirana.money import rupees_str
from kirana.store import Ledger, decode_payload
from kirana.store.codec import COLUMNS as EVENT_COLUMNS
from kirana.tabular import neutralise

FORMATS = ("jsonl", "csv", "ledger", "beancount")
NOT_VOIDED = "seq NOT IN (SELECT target_seq FROM voided)"


def export(ledger: Ledger, fmt: str, out: TextIO) -> int:
    """Write the ledger to `out` in `fmt`; returns how many events were written."""
    if fmt == "jsonl":
        return export_jsonl(ledger, out)
    if fmt == "csv":
        return export_csv(ledger, out)
    if fmt in ("ledger", "beancount"):
        from kirana.io.journals import export_journal

        return export_journal(ledger, out, beancount=fmt == "beancount")
    raise InputError(f"export format {fmt!r} is unknown; use one of {', '.join(FORMATS)}")


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
        if len(lines) == 1000:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    return count


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
    writer.writerow(COLUMNS)
    count = 0
    kinds = (SALE, PAYMENT, RETURN, OPENING_BALANCE)
    where = f"type IN ({','.join('?' * len(kinds))}) AND {NOT_VOIDED}"
    for event in ledger.iter_events(where, kinds):
        writer.writerow([neutralise(cell) for cell in csv_row(event)])
        count += 1
    return count


def csv_row(event: Event) -> list[str]:
    """One event as a row of the CSV import format (docs/csv.md): date,type,customer,amount,method,items,reference,note,key."""
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
    ]


def item_spec(line: dict) -> str:
    """A stored sale line as NAME:QTY:PRICE:GST[:HSN]."""
    parts = [line["name"], line["qty"], rupees_str(line["unit_price_paise"]), line["gst_rate"]]
    if line.get("hsn"):
        parts.append(line["hsn"])
    return ":".join(str(part) for part in parts)
