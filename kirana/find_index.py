"""The find index: the read model `kirana find` looks entries up in, instead of reading every
payload of the log.

One row per event in `find_terms`: its seq; `amount`, the absolute value of an integer
`amount_paise`; `text`, every text the event carries (its customer column as recorded, then
each string of its payload outside the fixed words of `FIXED_WORDS`, walked generically so a
field a later schema adds is indexed too), each case folded, one a line. `find_text` is an FTS5 index of `text` (external content: the text is
stored once) with the trigram tokenizer, case sensitive since the text is already folded: a
needle of three characters or more is looked for as a substring through it (UTRs, parts of
words, Devanagari; a customer's every name), a shorter one along `text` itself.

The index only proposes: every entry it names is checked against the event itself by
kirana/find.py, so it may propose too much (a needle spanning two lines) but must never miss
one. It is written in the append's transaction (projections.py: `apply`, and the batch the
CSV import and `rebuild` use; an import's workers compute `payload_terms`), filled by
migration 014_find_index (`create`), refilled by `kirana rebuild`, and compared by `kirana verify` with the log: find_terms whole
(`digest_line`, folded with the replay), find_text by a read-only spot check.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from kirana.store import run_ddl

# Payload keys whose values are fixed words, codes or digests, not text anyone typed: `upi`
# would match every UPI entry, and an imported row's `import_key` (two hex digests) the digits
# of a UTR in one imported entry in a thousand.
FIXED_WORDS = frozenset(
    {"method", "settlement", "unit", "gst_rate", "hsn", "qty", "scheme", "effective_from"}
    | {"import_key"}
)
MAX_INT = 2**63 - 1  # an amount beyond what SQLite holds cannot be one anyone types either
SHORTEST_INDEXED = 3  # the trigram tokenizer finds needles of three characters or more

DDL = """
CREATE TABLE find_terms (seq INTEGER PRIMARY KEY, amount INTEGER, text TEXT NOT NULL) STRICT;
CREATE INDEX find_terms_by_amount ON find_terms (amount) WHERE amount IS NOT NULL;
CREATE VIRTUAL TABLE find_text USING fts5(
    text, content='find_terms', content_rowid='seq', tokenize='trigram case_sensitive 1',
    columnsize=0
);
"""
TERMS_TABLE = "find_terms"
INSERT_TERMS = "INSERT INTO find_terms VALUES (?, ?, ?)"
INSERT_TEXT = "INSERT INTO find_text (rowid, text) VALUES (?, ?)"
STORED_ROWS = "SELECT seq, amount, text FROM find_terms ORDER BY seq"
_FILL_BATCH = 5000


def payload_texts(value: Any) -> Iterator[tuple[str, str]]:
    """Each (path, text) of a payload: `note`, `items.name`…, fixed words left out; keys in
    sorted order (as canonical JSON has them), so a payload gives the same however built."""
    yield from _walk(value, "")


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key in sorted(value):
            if key not in FIXED_WORDS:
                yield from _walk(value[key], f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner, path)
    elif isinstance(value, str):
        yield path, value


def payload_terms(data: Any) -> tuple[int | None, str]:
    """What a payload gives its row: the amount (absolute `amount_paise`, if an integer) and its
    texts, case folded, one a line. An import's worker computes it (projections.entry_effect)."""
    paise = data.get("amount_paise") if isinstance(data, dict) else None
    amount = abs(paise) if isinstance(paise, int) and abs(paise) <= MAX_INT else None
    texts: list[str] = []
    _collect(data, texts)
    # folded once, joined: case folding maps each character on its own (no context, unlike
    # lower()'s final sigma), so this is each text folded, then joined
    return amount, _folded("\n".join(texts))


def _collect(value: Any, texts: list[str]) -> None:
    """The texts `payload_texts` walks to, in its order, without their paths (rebuild, verify
    and every append run this: the common leaves, text and integers, are taken in the loop
    rather than by a call each)."""
    if isinstance(value, dict):
        for key in sorted(value):
            if key not in FIXED_WORDS:
                inner = value[key]
                kind = type(inner)
                if kind is str:
                    texts.append(inner)
                elif kind is not int:
                    _collect(inner, texts)
    elif isinstance(value, list):
        for inner in value:
            kind = type(inner)
            if kind is str:
                texts.append(inner)
            elif kind is not int:
                _collect(inner, texts)
    elif isinstance(value, str):
        texts.append(value)


def with_voucher(terms: tuple[int | None, str], voucher: str) -> tuple[int | None, str]:
    """`payload_terms` of a payload once given its (last-sorting) `voucher` field."""
    amount, text = terms
    return amount, f"{text}\n{_folded(voucher)}" if text else _folded(voucher)


def _folded(text: str) -> str:
    # NUL ends text for SQLite's functions: a newline stands for it (a needle with a NUL is
    # never looked up here: kirana/find.py scans for it)
    return text.casefold().replace("\x00", "\n")


def row_of(seq: int, customer: str | None, terms: tuple[int | None, str]) -> tuple:
    """The find_terms row of an event: its seq, amount, and text (its customer first)."""
    amount, text = terms
    if customer:
        text = f"{_folded(customer)}\n{text}" if text else _folded(customer)
    return seq, amount, text


def row(seq: int, customer: str | None, data: Any) -> tuple[int, int | None, str]:
    """The find_terms row of an event as stored (its customer column and its payload)."""
    return row_of(seq, customer, payload_terms(data))


def insert(conn: sqlite3.Connection, rows: list[tuple], *, text: bool = True) -> None:
    """Add rows (from `row`) to the table and (unless `text` is false: `index_text` will)
    its text index."""
    if rows:
        conn.executemany(INSERT_TERMS, rows)
        if text:
            conn.executemany(INSERT_TEXT, [(seq, text) for seq, _, text in rows])


# FTS5 keeps the terms of the rows it indexes in memory up to its `hashsize` (1 MB unless set)
# before writing them out as a segment, then merges the segments: a whole index built with a
# larger one is written as a few segments, not hundreds (a 1M-event ledger: 4.7 s -> 1.4 s)
BUILD_HASHSIZE = 128 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024  # FTS5's own


def index_text(conn: sqlite3.Connection) -> None:
    """Build find_text again from every row of find_terms at once (quicker than row by row; it
    empties the index first), holding up to BUILD_HASHSIZE of terms before it writes them out.
    The setting is stored in find_text's config table: it is removed again, so the index is
    left as it would be without it (appends go on with FTS5's default)."""
    conn.execute(
        "INSERT INTO find_text (find_text, rank) VALUES ('hashsize', ?)", (BUILD_HASHSIZE,)
    )
    conn.execute("INSERT INTO find_text (find_text) VALUES ('rebuild')")
    # set back through FTS5 itself first, so this connection's FTS5 goes on with the default
    # too (a row deleted from the config table alone is not seen by an open connection)
    conn.execute(
        "INSERT INTO find_text (find_text, rank) VALUES ('hashsize', ?)", (DEFAULT_HASHSIZE,)
    )
    conn.execute("DELETE FROM find_text_config WHERE k = 'hashsize'")


def create(conn: sqlite3.Connection) -> None:
    """Migration 014: the find index, filled from the log a ledger already has."""
    run_ddl(conn, DDL)
    fill(conn)


def fill(conn: sqlite3.Connection) -> None:
    """Fill the (empty) index from every event of the log, then build the text index at once."""
    from kirana.jsonfast import loads_payload
    from kirana.store import decode_payload

    pending: list[tuple] = []
    for seq, customer, stored in conn.execute("SELECT seq, customer, data FROM events"):
        try:
            data = loads_payload(decode_payload(stored))
        except (ValueError, TypeError, AttributeError):
            continue  # damaged: kirana verify names it
        pending.append(row(seq, customer, data))
        if len(pending) >= _FILL_BATCH:
            conn.executemany(INSERT_TERMS, pending)
            pending.clear()
    conn.executemany(INSERT_TERMS, pending)
    index_text(conn)


def clear(conn: sqlite3.Connection) -> None:
    """Empty find_terms (`rebuild` fills it again; `index_text` empties find_text itself)."""
    conn.execute("DELETE FROM find_terms")


def digest_line(seq: int, customer: str | None, data: Any) -> bytes:
    """What the replay and the stored rows each add to verify's digest for one row."""
    return _line(row(seq, customer, data))


def _line(found: tuple) -> bytes:
    # a stored text SQLite could not decode arrives as bytes (verify's text factory): its
    # repr differs from any str, so the row is named
    seq, amount, text = found
    return f"{seq}\x1f{amount}\x1f{text}\x1e".encode("utf-8", "backslashreplace")


def problem(conn: sqlite3.Connection, replayed: str) -> str | None:
    """What is wrong with the index, given the digest of the rows the log gives (replayed
    through `digest_line`), or None: find_terms must hold them, and find_text index them (a
    spot check)."""
    import hashlib

    digest = hashlib.sha256()
    for found in conn.execute(STORED_ROWS):
        digest.update(_line(found))
    if digest.hexdigest() != replayed:
        return "find_terms read model differs from replay"
    missing = _not_indexed(conn)
    if missing is not None:
        return f"find_text index does not find entry {missing} by its text"
    return None


def _not_indexed(conn: sqlite3.Connection, newest: int = 50, spread: int = 50) -> int | None:
    """A spot check of find_text against find_terms, read only (FTS5's own integrity check
    writes, so it would wait for, and hold up, the shop's appends, and it re-reads the whole
    index): the newest rows and some spread over the log must each be found by their longest
    line. The first seq that is not, or None."""
    last = conn.execute("SELECT max(seq) FROM find_terms").fetchone()[0] or 0
    stride = max(last // spread, 1)
    rows = conn.execute(
        "SELECT seq, text FROM find_terms WHERE seq > ? OR seq % ? = 0 ORDER BY seq",
        (last - newest, stride),
    )
    query = "SELECT 1 FROM find_text WHERE find_text MATCH ? AND rowid = ?"
    for seq, text in rows.fetchall():
        probe = max(text.split("\n"), key=len) if isinstance(text, str) else ""
        if len(probe) < SHORTEST_INDEXED:
            continue
        phrase = '"' + probe.replace('"', '""') + '"'
        if conn.execute(query, (phrase, seq)).fetchone() is None:
            return seq
    return None


def candidates(
    conn: sqlite3.Connection, needle: str, amount: int | None, people: Iterable[str]
) -> Iterator[int]:
    """The seqs, newest first and each once, of every event whose text holds `needle` or one of
    `people` (each already case folded: an event's customer is the first line of its text), or
    whose amount is `amount`: a superset of the matches, read lazily so a caller can stop at
    its limit."""
    import heapq

    # a name holding the needle is found with it: only a customer's other names need a look
    others = {name for name in people if needle not in name}
    streams = [_holding(conn, text) for text in sorted({needle, *others})]
    if amount is not None:
        query = "SELECT seq FROM find_terms WHERE amount = ? ORDER BY seq DESC"
        streams.append(_seqs(conn, query, amount))
    last = None
    for seq in heapq.merge(*streams, reverse=True):
        if seq != last:
            last = seq
            yield seq


def _holding(conn: sqlite3.Connection, text: str) -> Iterator[int]:
    """Seqs, newest first, of the rows whose text holds `text` (and maybe a few more)."""
    if len(text) >= SHORTEST_INDEXED:
        phrase = '"' + text.replace('"', '""') + '"'
        query = "SELECT rowid FROM find_text WHERE find_text MATCH ? ORDER BY rowid DESC"
        return _seqs(conn, query, phrase)
    query = "SELECT seq FROM find_terms WHERE instr(text, ?) > 0 ORDER BY seq DESC"
    return _seqs(conn, query, text)


def _seqs(conn: sqlite3.Connection, query: str, value: object) -> Iterator[int]:
    for (seq,) in conn.execute(query, (value,)):
        yield seq
