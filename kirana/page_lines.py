"""The page_lines read model: per khata entry (a row of `entries`: same customer id and order
key), what its customer's page shows of it, clustered by customer in business order.

A page of twenty thousand entries is then one range of this table, read in order: no seek per
entry into the events table, no inflating of stored payloads, and each `line` is the payload
trimmed to what a page reads (`PAGE_KEYS`: queries.statement_text, events.dues_delta_of and
the line's amount and note), as compact JSON with sorted keys, a fifth of the whole payload
to parse. The payload is the one the read models are given (events.upcast of the stored one;
every upcaster so far returns it unchanged).

projections.EntryBatch writes a row with every entry, in the append's transaction (commands,
the CSV, JSONL and bank imports); `kirana rebuild` refills it in key order (`STAGE_DDL`,
`FROM_STAGE`); migration 017_page_lines creates and fills it (`create`); verify compares it
with the replay (`row_digest`, summed over the rows in any order: `stored_sum`).
"""

from __future__ import annotations

import sqlite3
import sys

from kirana import invoices
from kirana.events import SCHEMA_VERSION, Event, canonical_json, upcast
from kirana.i18n import Message
from kirana.store import run_ddl
from kirana.store.codec import inflated

DDL = """
CREATE TABLE page_lines (
    customer_id INTEGER NOT NULL,
    order_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    customer TEXT,
    line BLOB NOT NULL,
    PRIMARY KEY (customer_id, order_key, seq)
) STRICT, WITHOUT ROWID;
"""
# What a khata page reads of an entry's payload: a sale's items (`ITEM_KEYS` of each), method and invoice number; a
# payment's method and reference; a return's settlement, credit note number and the sale it
# is against; a void's target and reason; every entry's amount and note.
PAGE_KEYS = tuple(
    sorted(
        (
            "against",
            "amount_paise",
            "items",
            "method",
            "note",
            "reason",
            "reference",
            "settlement",
            "target",
            invoices.FIELD,
        )
    )
)
_KEPT = frozenset(PAGE_KEYS)
ITEM_KEYS = ("name", "qty", "unit")  # an item's unit only when it has one ('' reads as none)
# rebuild stages the rows in log order and writes them in key order at the end
STAGED = "temp.kirana_rebuild_pages"
STAGE_DDL = (
    "CREATE TEMP TABLE kirana_rebuild_pages (customer_id INT, order_key TEXT, seq INT,"
    " type TEXT, occurred_at TEXT, customer TEXT, line BLOB)"
)
FROM_STAGE = f"INSERT INTO page_lines SELECT * FROM {STAGED} ORDER BY customer_id, order_key, seq"
INSERT = "INSERT INTO page_lines VALUES (?, ?, ?, ?, ?, ?, ?)"


def trimmed(data: dict) -> dict:
    """The payload with only PAGE_KEYS, and of each item only its name, qty and unit."""
    line = {key: value for key, value in data.items() if key in _KEPT}
    items = line.get("items")
    if type(items) is list:
        try:  # the items the payload builders make (a name and qty each): rebuild's hot path
            line["items"] = [
                {"name": i["name"], "qty": i["qty"], "unit": i["unit"]}
                if i.get("unit")
                else {"name": i["name"], "qty": i["qty"]}
                for i in items
            ]
        except (KeyError, TypeError, AttributeError):
            line["items"] = [_item(item) for item in items]
    return line


def _item(item):
    if type(item) is not dict:
        return item
    kept = {key: item[key] for key in ITEM_KEYS[:2] if key in item}
    if item.get("unit"):
        kept["unit"] = item["unit"]
    return kept


def line_of(data: dict) -> bytes:
    """The stored `line` of a payload: trimmed(data) as canonical JSON (events.canonical_json:
    sorted keys, no spaces, text as is). Written by orjson where it is loaded already (rebuild,
    the imports, verify: the same bytes, see kirana/jsonfast.py), else by the standard library
    (one append: a counter command does not load orjson for one line)."""
    line = trimmed(data)
    fast = sys.modules.get("orjson")
    if fast is not None:
        try:
            return fast.dumps(line, option=fast.OPT_SORT_KEYS)
        except TypeError:  # an integer beyond 64 bits, a lone surrogate: the standard library
            pass
    return canonical_json(line).encode("utf-8", "surrogatepass")


def create(conn: sqlite3.Connection) -> None:
    """Migration 017: the page_lines read model, filled from the entries a ledger already has
    and their events, in key order."""
    from kirana.jsonfast import loads_payload  # orjson: the bulk path

    run_ddl(conn, DDL)
    rows = conn.execute(
        "SELECT e.customer_id, e.order_key, ev.seq, ev.type, ev.schema, ev.occurred_at,"
        " ev.customer, ev.data FROM entries e JOIN events ev ON ev.seq = e.seq"
        " ORDER BY e.customer_id, e.order_key, e.seq"
    )
    batch, current = [], SCHEMA_VERSION
    for customer_id, key, seq, kind, schema, occurred_at, customer, stored in rows:
        data = loads_payload(inflated(stored))
        if schema != current:
            data = upcast(Event(seq, "", kind, occurred_at, "", "", customer, data, schema)).data
        batch.append((customer_id, key, seq, kind, occurred_at, customer, line_of(data)))
        if len(batch) >= 10_000:
            conn.executemany(INSERT, batch)
            batch = []
    conn.executemany(INSERT, batch)


def row_digest(seq, customer_id, key, kind, occurred_at, customer, line) -> int:
    """What one row adds to verify's sum (the replay's rows and the stored ones alike)."""
    import hashlib  # verify's: not loaded by a counter command

    text = f"{seq}\x00{customer_id}\x00{key}\x00{kind}\x00{occurred_at}\x00{customer}\x00"
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass") + line, digest_size=16)
    return int.from_bytes(digest.digest(), "big")


DIGEST_MODULUS = 1 << 128


def stored_sum(conn: sqlite3.Connection) -> tuple[int, int]:
    """(how many rows page_lines holds, the sum of their row_digest modulo 2**128)."""
    total, count, digest = 0, 0, row_digest
    for row in conn.execute(
        "SELECT seq, customer_id, order_key, type, occurred_at, customer, line FROM page_lines"
    ):
        try:
            total += digest(*row)
        except (TypeError, UnicodeEncodeError):  # a mistyped column: counted as different
            total += 1
        count += 1
    return count, total % DIGEST_MODULUS


def with_voucher(line: bytes, voucher: str) -> bytes:
    """The line of a payload without a number once it is given `voucher` (an import seals
    the number after its worker trimmed the payload)."""
    from kirana.jsonfast import loads_payload

    return line_of({**loads_payload(line), invoices.FIELD: voucher})


def problem(conn: sqlite3.Connection, count: int, total: int, advice: str) -> tuple | None:
    """(the first entry whose page line is wrong, missing or one too many, or 0; what to say)
    when page_lines differs from the `count` rows summing to `total` the replay gives (through
    row_digest), else None. The entry is found against the entries read model (which verify
    compares with the replay too) and the events, read again only then."""
    if stored_sum(conn) == (count, total % DIGEST_MODULUS):
        return None
    first = _first_wrong(conn)
    if first is None:
        return 0, Message("page_lines read model differs from replay; {advice}", advice=advice)
    message = Message(
        "page_lines read model differs from replay at entry {first}; {advice}",
        first=first,
        advice=advice,
    )
    return first, message


def _first_wrong(conn: sqlite3.Connection) -> int | None:
    from kirana.jsonfast import loads_payload

    rows = conn.execute(
        "SELECT e.seq, e.customer_id, e.order_key, ev.type, ev.schema, ev.occurred_at,"
        " ev.customer, ev.data, p.type, p.occurred_at, p.customer, p.line FROM entries e"
        " JOIN events ev ON ev.seq = e.seq LEFT JOIN page_lines p ON p.customer_id ="
        " e.customer_id AND p.order_key = e.order_key AND p.seq = e.seq ORDER BY e.seq"
    )
    first = None
    for seq, _, _, kind, schema, occurred_at, customer, stored, *found in rows:
        data = loads_payload(inflated(stored))  # verify has folded every event: all decode
        if schema != SCHEMA_VERSION:
            data = upcast(Event(seq, "", kind, occurred_at, "", "", customer, data, schema)).data
        if found != [kind, occurred_at, customer, line_of(data)]:
            first = seq
            break
    (extra,) = conn.execute(
        "SELECT min(seq) FROM page_lines p WHERE NOT EXISTS (SELECT 1 FROM entries e"
        " WHERE e.seq = p.seq AND e.customer_id = p.customer_id AND e.order_key = p.order_key)"
    ).fetchone()
    return min(x for x in (first, extra) if x is not None) if first or extra else None
