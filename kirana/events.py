"""Events: the frozen, past-tense facts in the log, their canonical JSON and their hash.

An event is never changed once appended. Its hash is `sha256(prev_hash + canonical JSON)`,
where the canonical JSON holds every field but `prev_hash` and `hash`, with sorted keys and
no spaces. Old schema versions are upcast when read (see `upcast`), never rewritten.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from kirana.i18n import tr

SCHEMA_VERSION = 3
GENESIS_HASH = "0" * 64

CUSTOMER_ADDED = "customer_added"
CUSTOMER_UPDATED = "customer_updated"
SALE = "sale"
PAYMENT = "payment"
RETURN = "return"
OPENING_BALANCE = "opening_balance"
VOID = "void"
BALANCE_CONFIRMED = "balance_confirmed"
ITEM_PRICED = "item_priced"
SHOP_CONFIGURED = "shop_configured"
CUSTOMERS_MERGED = "customers_merged"
PERIOD_CLOSED = "period_closed"
PERIOD_REOPENED = "period_reopened"

EVENT_TYPES = (
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    SALE,
    PAYMENT,
    RETURN,
    OPENING_BALANCE,
    VOID,
    BALANCE_CONFIRMED,
    ITEM_PRICED,
    SHOP_CONFIGURED,
    CUSTOMERS_MERGED,
    PERIOD_CLOSED,
    PERIOD_REOPENED,
)
SALE_METHODS = ("cash", "upi", "card", "credit")
PAYMENT_METHODS = ("cash", "upi", "card", "cheque", "bank")
RETURN_SETTLEMENTS = ("khata", "cash", "upi")
GST_SCHEMES = ("unregistered", "composition", "regular")


@dataclass(frozen=True, slots=True)
class Event:
    """One fact in the log. `data` is the type-specific payload (treat as read-only)."""

    seq: int
    id: str
    type: str
    occurred_at: str
    recorded_at: str
    recorded_by: str
    customer: str | None
    data: dict[str, Any] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def body(self) -> dict[str, Any]:
        """The hashed fields, as plain JSON-ready values."""
        return {
            "seq": self.seq,
            "id": self.id,
            "type": self.type,
            "schema": self.schema,
            "occurred_at": self.occurred_at,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
            "customer": self.customer,
            "data": self.data,
        }

    def to_json(self) -> dict[str, Any]:
        """The canonical event JSON of docs/json.md (`log --json`, `export --format jsonl`)."""
        return {**self.body(), "prev_hash": self.prev_hash, "hash": self.hash}

    @property
    def amount_paise(self) -> int:
        return int(self.data.get("amount_paise", 0))


def _canonical_encoder() -> Any:
    """json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False), with the
    encoder built once instead of on every call (a third faster on a million-row import;
    a property test checks the two agree). Falls back to JSONEncoder without the C module."""
    encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    make_c_encoder = json.encoder.c_make_encoder
    if make_c_encoder is None:
        return encoder.encode
    chunks = make_c_encoder(  # the arguments JSONEncoder.iterencode passes, in its order:
        None,  # markers: no circular-reference check (payloads are trees)
        encoder.default,
        json.encoder.encode_basestring,  # ensure_ascii=False
        None,  # indent
        ":",  # key separator
        ",",  # item separator
        True,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )
    return lambda body: "".join(chunks(body, 0))


_encode_canonical = _canonical_encoder()


def canonical_json(body: dict[str, Any]) -> str:
    """The canonical JSON of docs/json.md: sorted keys, no spaces, UTF-8 text as is."""
    return _encode_canonical(body)


def _text(value: str | None) -> str:
    """A JSON string (or null) exactly as json.dumps(..., ensure_ascii=False) writes it."""
    return "null" if value is None else _encode_string(value)


_encode_string = json.encoder.encode_basestring  # the C encoder json.dumps itself uses


def canonical_json_of_stored(
    seq: int,
    id_: str,
    type_: str,
    schema: int,
    occurred_at: str,
    recorded_at: str,
    recorded_by: str,
    customer: str | None,
    data_json: str,
) -> str:
    """canonical_json(body) built from a stored row whose `data` is already canonical JSON.

    Equal to canonical_json(event.body()) (a property test checks it); it lets `verify`
    re-hash a million events without decoding and re-encoding every payload.
    """
    return (
        f'{{"customer":{_text(customer)},"data":{data_json},"id":{_text(id_)},'
        f'"occurred_at":{_text(occurred_at)},"recorded_at":{_text(recorded_at)},'
        f'"recorded_by":{_text(recorded_by)},"schema":{schema},"seq":{seq},"type":{_text(type_)}}}'
    )


def head_check(seq: int, hash_: str) -> str:
    """The head as `kirana verify --expect-head` takes it: `SEQ:` and 12 hex digits."""
    return f"{seq}:{hash_[:12]}"


def chain_hash(prev_hash: str, body: dict[str, Any]) -> str:
    return hash_text(prev_hash, canonical_json(body))


def hash_text(prev_hash: str, canonical: str) -> str:
    return _sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


# SHA-256 comes from OpenSSL (hashlib), the fastest for a million events (verify, rebuild, an
# import); but loading OpenSSL costs a counter command (`kirana sale`: one event) more than
# its hashing. So a process hashes its first events with Python's own small SHA-256 module
# (the same digest: tests/test_start_up.py) and loads hashlib only when a long run begins.
_FIRST_EVENTS = 64


def _first_sha256(data: bytes):
    """sha256(data) by the small module; after _FIRST_EVENTS calls, hash_text uses hashlib's."""
    global _sha256, _first_left
    _first_left -= 1
    if _first_left <= 0:
        _sha256 = _openssl_sha256()
    return _small_sha256(data)


def _openssl_sha256():
    """hashlib.sha256 (OpenSSL's), imported when first asked for."""
    import hashlib

    return hashlib.sha256


try:
    from _sha256 import sha256 as _small_sha256  # Python 3.11
except ImportError:  # pragma: no cover - other Pythons: 3.12 named it _sha2, or none at all
    try:
        from _sha2 import sha256 as _small_sha256
    except ImportError:
        _small_sha256 = None
_first_left = _FIRST_EVENTS
_sha256 = _first_sha256 if _small_sha256 is not None else _openssl_sha256()


def dues_delta(event: Event) -> int:
    """How the event moves its customer's dues (positive = customer owes more)."""
    return dues_delta_of(event.type, event.data)


def dues_delta_of(kind: str, data: dict[str, Any]) -> int:
    """dues_delta from an event's type and payload."""
    if kind == SALE:
        return data["amount_paise"] if data.get("method") == "credit" else 0
    if kind == PAYMENT:
        return -data["amount_paise"]
    if kind == RETURN:
        return -data["amount_paise"] if data.get("settlement") == "khata" else 0
    if kind == OPENING_BALANCE:
        return data["amount_paise"]
    return 0


# Upcasters: UPCASTERS[n] turns a schema-n payload into schema n+1. Stored events keep their
# original form, so their hash still holds.
# - 1 -> 2: schema 2 adds `duplicate_ref: true` to a sale or payment recorded on purpose with a
#   reference another live entry of its method already has; a schema-1 payload never meant
#   that, so it reads unchanged.
REFERENCE_METHODS = ("upi", "card", "cheque", "bank")  # a reference names one transfer


def _v1_to_v2(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return data


# - 2 -> 3: schema 3 adds optional fields a schema-2 payload never had, each absent meaning
#   "none":
#   - `import_key` on an entry appended for an import row (kirana/import_keys.py);
#   - `gstin` on customer_added / customer_updated: a B2B customer's GSTIN (issue 15);
#   - `voucher` on sale / return: its invoice / credit note number, INV/2025-26/0001 (issue 15;
#     absent: recorded before numbers, so it has none).
#   - two event types no schema-2 ledger holds (issue 13, books that close):
#     `period_closed` {period: "2025-09" | "2025-Q3", head_seq, head_hash: the head it closes
#     at} and `period_reopened` {period, reason}; a schema-2 ledger simply has no closed period.
#   - `upi_ids` on a customer_updated: UPI ids added to the customer, so the bank import
#     knows who paid (kirana/rules/payers.py).
#   - `upi_id` on shop_configured: the shop's UPI id (VPA) for pay links (kirana/upi.py).
#   - `language` on shop_configured: the shop's language for labels and messages (kirana/i18n.py).
def _v2_to_v3(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return data


UPCASTERS: dict[int, Any] = {1: _v1_to_v2, 2: _v2_to_v3}

# The entry rules tightened with schema 2 (clean names and text, look-alikes, the ₹100 crore
# bound on lines and totals, dates from 1950, one live entry per transfer reference, entries
# under confirmations, returns item by item). An event recorded under schema 1 was judged by
# the rules of its day: re-checking it on a JSONL import applies those (`judged_as(1)`), so an
# old ledger's export always restores.
_rules_schema: ContextVar[int] = ContextVar("kirana_rules_schema", default=SCHEMA_VERSION)


def rules_schema() -> int:
    """The schema whose rules an event is being checked by (see judged_as)."""
    return _rules_schema.get()


def strict_rules() -> bool:
    """Whether the schema-2 entry rules apply (they do, except while re-checking an old event)."""
    return _rules_schema.get() >= 2


@contextmanager
def judged_as(schema: int) -> Iterator[None]:
    """Check an event by the rules of the schema it was recorded under."""
    token = _rules_schema.set(schema)
    try:
        yield
    finally:
        _rules_schema.reset(token)


def reference_key(kind: str, data: dict[str, Any]) -> tuple[str, str] | None:
    """(method, reference) of a sale or payment whose reference names one transfer (UPI UTR,
    card slip, cheque or bank reference); None for cash, returns and everything else."""
    if kind not in (SALE, PAYMENT) or data.get("method") not in REFERENCE_METHODS:
        return None
    reference = data.get("reference")
    return (data["method"], reference) if reference else None


def upcast(event: Event) -> Event:
    """The event in the current schema, for the fold; the stored event is never rewritten."""
    if event.schema == SCHEMA_VERSION:
        return event
    if event.schema > SCHEMA_VERSION:
        from kirana.errors import LedgerError

        raise LedgerError(
            tr("entry {seq} has schema {schema}, newer than this kirana; upgrade kirana").format(
                seq=event.seq, schema=event.schema
            )
        )
    data, schema = event.data, event.schema
    while schema < SCHEMA_VERSION:
        data, schema = UPCASTERS[schema](event.type, data), schema + 1
    from dataclasses import replace

    return replace(event, data=data, schema=schema)
