"""How an event is stored: its row, its id, its sealed hash and its payload encoding.

- `seal` gives the hash: sha256 of the previous hash and the event's canonical JSON.
- `stored_row` / `row_to_event` turn an Event into the `events` row and back (ids and hashes
  as bytes; the payload through `encode_payload` / `decode_payload`). Events come back exactly
  as stored; the fold upcasts old schemas with events.upcast, never rewriting the row.
- `new_event_ids` mints time-ordered UUIDv7 ids.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
import zlib
from typing import Any

from kirana.errors import LedgerError
from kirana.events import Event, canonical_json_of_stored, hash_text
from kirana.i18n import tr

INSERT_EVENT = (
    "INSERT INTO events (seq, id, type, schema, occurred_at, recorded_at, recorded_by,"
    " customer, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)
COLUMNS = (
    "seq, id, type, schema, occurred_at, recorded_at, recorded_by, customer, data, prev_hash, hash"
)
EVENT_ID = re.compile(r"^[0-9a-f]{32}$")


def seal(prev_hash: str, *fields: Any) -> str:
    """The event's hash: sha256 of the previous hash and the event's canonical JSON, from the
    fields events.canonical_json_of_stored takes (seq … customer, data_json)."""
    return hash_text(prev_hash, canonical_json_of_stored(*fields))


def stored_row(hashed_fields: tuple, payload: bytes, prev_hash: str, hash_: str) -> tuple:
    """An event as the row INSERT_EVENT stores: its hashed fields (seq, id, type, schema,
    occurred_at, recorded_at, recorded_by, customer, as seal() takes them), the stored payload,
    and the hashes (ids and hashes as bytes)."""
    seq, id_, *middle = hashed_fields
    return (seq, id_bytes(id_), *middle, payload, bytes.fromhex(prev_hash), bytes.fromhex(hash_))


def new_event_ids(count: int) -> list[str]:
    """`count` fresh event ids: UUIDv7 (RFC 9562: 48 bits of Unix time in ms, the version and
    variant, 74 random bits) as 32 lowercase hex digits. Time-ordered, so the id index grows
    at its end instead of at random places (a faster import)."""
    stamp = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    noise = os.urandom(10 * count)
    ids = []
    for start in range(0, 10 * count, 10):
        r = noise[start : start + 10]
        ids.append((stamp + bytes((0x70 | r[0] & 0x0F, r[1], 0x80 | r[2] & 0x3F)) + r[3:]).hex())
    return ids


def id_bytes(event_id: str) -> bytes:
    """Event ids are 128-bit values (UUIDv7, see new_event_ids), shown as 32 lowercase hex
    digits (so that the stored 16 bytes read back as exactly the text that was hashed)."""
    if not isinstance(event_id, str) or not EVENT_ID.match(event_id):
        raise LedgerError(
            tr("event id {event_id!r} is not 32 lowercase hex digits").format(event_id=event_id)
        )
    return bytes.fromhex(event_id)


MAX_SEQ = 2**63 - 1  # SQLite's largest integer: no entry number is above it


def fetch_event(conn: sqlite3.Connection, seq: int) -> Event | None:
    """The event with this seq, as stored, or None (also for a number no entry can have)."""
    if not isinstance(seq, int) or not 0 < seq <= MAX_SEQ:
        return None
    row = conn.execute(f"SELECT {COLUMNS} FROM events WHERE seq = ?", (seq,)).fetchone()
    return row_to_event(row) if row else None


def row_to_event(row: tuple) -> Event:
    """A stored row as an Event, exactly as stored (old schemas are upcast by events.upcast)."""
    return event_from_row(row, decode_payload(row[8]))


def event_from_row(row: tuple, data_json: str) -> Event:
    """row_to_event for a caller that has already decoded the payload."""
    seq, id_, type_, schema, occurred, recorded, by, customer, _, prev, hash_ = row
    return Event(
        seq=seq,
        id=id_.hex(),
        type=type_,
        occurred_at=occurred,
        recorded_at=recorded,
        recorded_by=by,
        customer=customer,
        data=_loads_payload(data_json),
        schema=schema,
        prev_hash=prev.hex(),
        hash=hash_.hex(),
    )


def _loads_payload(text: str):
    """jsonfast.loads_payload, imported when a payload is first read: a command that only
    appends (`kirana sale`) does not load orjson's library for nothing. From then on the name
    is jsonfast's function itself."""
    global _loads_payload
    from kirana.jsonfast import loads_payload

    _loads_payload = loads_payload
    return loads_payload(text)


# ---- payload codec -------------------------------------------------------------------------
# The `data` column holds the payload's canonical JSON, deflated with a preset dictionary of
# the keys and values every payload repeats (a sale's JSON shrinks about 4x) whenever that is
# shorter. First byte: b"{" = plain JSON, b"\x01" = deflate with PAYLOAD_DICT_V1. The
# dictionary is part of the file format: never edit it; add a V2 and a new marker instead.
PAYLOAD_DICT_V1 = (
    b'"reference":"UPI","note":"","settlement":"khata","against":,"target":,"reason":"'
    b'"method":"credit","method":"cash","method":"upi","method":"card","method":"bank",'
    b'"unit":"pcs","unit":"kg","unit":"l","unit":"pack","hsn":"","name":"","qty":"1",'
    b'{"gst_rate":"0","gst_rate":"5","gst_rate":"12","gst_rate":"18","hsn":"1101",'
    b'"name":"","qty":"1","total_paise":,"unit":"kg","unit_price_paise":},'
    b'{"amount_paise":,"items":[{"gst_rate":"5","hsn":"","name":"","qty":"1","total_paise":'
)
_DEFLATED = b"\x01"


def encode_payload(canonical: str) -> bytes:
    """The stored form of a payload's canonical JSON: deflated when that is shorter."""
    raw = canonical.encode("utf-8")
    packer = zlib.compressobj(6, zlib.DEFLATED, -15, 1, zlib.Z_DEFAULT_STRATEGY, PAYLOAD_DICT_V1)
    packed = _DEFLATED + packer.compress(raw) + packer.flush()
    plain_is_safe = raw.startswith(b"{")  # a JSON object can never be mistaken for the marker
    return raw if plain_is_safe and len(raw) <= len(packed) else packed


def decode_payload(stored: bytes) -> str:
    """The canonical JSON text of a stored payload (raises ValueError if it is damaged)."""
    return inflated(stored).decode("utf-8")


def inflated(stored: bytes) -> bytes:
    """The canonical JSON of a stored payload as UTF-8 bytes, not yet decoded (orjson reads
    them as they are; raises ValueError if it is damaged)."""
    if stored[:1] == _DEFLATED:
        try:
            unpacker = zlib.decompressobj(-15, PAYLOAD_DICT_V1)
            raw = unpacker.decompress(memoryview(stored)[1:]) + unpacker.flush()
        except zlib.error as exc:
            raise ValueError(f"payload does not inflate: {exc}") from None
        if not unpacker.eof or unpacker.unused_data:
            raise ValueError("payload is truncated or has bytes after its end")
        return raw
    return stored
