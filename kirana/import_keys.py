"""Import keys, inside the events: an imported row's idempotency key travels in its event.

An event appended for a row of an import file carries `"import_key": "KKKK…:FFFF…"` in its
payload (schema 3): 32 hex digits of the key's digest (the `key` column, or the key derived
from the row's content and which repeat of it the row is) and 16 of the digest of the row's
content. Because the key is in the event, it is covered by the hash chain, exported with it in
JSONL and restored with it; the `import_keys` table is a read model of these fields, rebuilt
and verified like the others. Keys recorded before schema 3 (outside the events) stay in
`import_keys_before_3`, read alongside.

This module is the one place that writes, reads and checks the field (which schema may carry
it: kirana/schema_fields.py, like every field a schema added).
"""

from __future__ import annotations

import sqlite3
from binascii import unhexlify
from typing import Any

from kirana.errors import InputError
from kirana.i18n import tr

FIELD = "import_key"
KEY_BYTES, CONTENT_BYTES = 16, 8
LEGACY_TABLE = "import_keys_before_3"
KINDS = ("sale", "payment", "return", "opening_balance", "void")  # what an import row records
_LENGTH = 2 * KEY_BYTES + 1 + 2 * CONTENT_BYTES  # the stored form: KKKK…:FFFF…
_COLON = ord(":")
_HEX_DIGITS = b"0123456789abcdef"


def field_value(key_digest: bytes, content_digest: bytes) -> str:
    """The stored form of a row's key and content digests."""
    return f"{key_digest.hex()}:{content_digest.hex()}"


def keyed(data: dict, key_digest: bytes, content_digest: bytes) -> dict:
    """The payload with the import key of the row it was recorded from."""
    return {**data, FIELD: field_value(key_digest, content_digest)}


def parse(value: Any) -> tuple[bytes, bytes]:
    """(key digest, content digest) of a stored `import_key`; InputError if malformed.

    The form is checked without a regular expression (rebuild parses one for every imported
    entry): 49 ASCII characters, ':' the 33rd, every other one a lowercase hex digit."""
    if isinstance(value, str) and len(value) == _LENGTH and value.isascii():
        raw = value.encode("ascii")
        if raw[2 * KEY_BYTES] == _COLON and raw.translate(None, _HEX_DIGITS) == b":":
            return unhexlify(raw[: 2 * KEY_BYTES]), unhexlify(raw[2 * KEY_BYTES + 1 :])
    raise InputError(
        tr(
            "import_key {value!r} is not {key_digits} hex digits, ':', {content_digits} hex digits"
        ).format(value=value, key_digits=2 * KEY_BYTES, content_digits=2 * CONTENT_BYTES)
    )


def of(data: dict) -> tuple[bytes, bytes] | None:
    """The (key, content) digests a stored payload carries, or None."""
    value = data.get(FIELD)
    return None if value is None else parse(value)


def split_off(kind: str, data: dict) -> tuple[dict, str | None]:
    """(the payload without its import key, the key as stored or None), for checking a
    payload that arrives whole: only the entries an import row records may carry one."""
    if FIELD not in data:
        return data, None
    if kind not in KINDS:
        raise InputError(
            tr("a {kind} is never imported from a file, so it has no import_key").format(kind=kind)
        )
    value = data[FIELD]
    parse(value)
    return {k: v for k, v in data.items() if k != FIELD}, value


def known(conn: sqlite3.Connection, key_digests: list[bytes]) -> dict[bytes, tuple[bytes, int]]:
    """Of these key digests, those the ledger knows: key -> (content digest, entry seq)."""
    found: dict[bytes, tuple[bytes, int]] = {}
    if not key_digests:
        return found
    marks = ",".join("?" * len(key_digests))
    for table in ("import_keys", LEGACY_TABLE):
        query = f"SELECT key, fingerprint, seq FROM {table} WHERE key IN ({marks})"
        for key, content, seq in conn.execute(query, key_digests):
            found[key] = (content, seq)
    return found


def any_known(conn: sqlite3.Connection) -> bool:
    """Whether the ledger has recorded any import key (before, none can repeat)."""
    return any(
        conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
        for table in ("import_keys", LEGACY_TABLE)
    )


def check_unused(conn: sqlite3.Connection, data: dict, what: str) -> None:
    """An event arriving whole may not bring an import key the ledger already has."""
    digests = of(data)
    if digests is None:
        return
    already = known(conn, [digests[0]]).get(digests[0])
    if already:
        raise InputError(
            tr(
                "{what} carries the import key of entry {value}, which is already in the ledger: the same imported row would count twice"
            ).format(what=what, value=already[1])
        )
