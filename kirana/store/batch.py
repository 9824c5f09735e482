"""Many appends written with one executemany per table: the CSV import's fast path."""

from __future__ import annotations

from kirana import dates
from kirana.events import SCHEMA_VERSION
from kirana.store import codec
from kirana.store.codec import INSERT_EVENT, seal, stored_row
from kirana.store.log import Ledger


class EventBatch:
    """`append()` seals each event into the hash chain at once (seq, id, recorded_at, hash, as
    Ledger.append would) and moves the ledger's head; `flush()` writes the buffered events and
    their read-model changes (the read models' entry batch, the same rule as their `apply`).
    Only khata entries (sale, payment, return, opening) go through a batch. Call `flush()`
    before anything reads the tables, and outside a savepoint; Ledger.append may run between
    appends (a new customer), since rows need not be inserted in seq order.
    """

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.rows: list[tuple] = []
        self.read_models = ledger.read_models.entry_batch()
        self.order_key = dates.order_key_function()
        self._ids: list[str] = []
        self._now = ""

    def append(
        self,
        kind: str,
        occurred_at: str,
        customer: str | None,
        customer_id: int | None,
        effect: tuple,
        data_json: str,
        payload: bytes,
        order_key: str | None = None,
    ) -> int:
        """Buffer one event: its payload as canonical JSON and as stored (encode_payload), and
        the read models' entry effect of it (`order_key`: dates.order_key of occurred_at, when
        the caller has it already). Returns its seq."""
        head_seq, prev_hash, head_recorded = self.ledger.head_row()
        if not self._ids:
            self._ids = codec.new_event_ids(1000)[::-1]  # popped from the end: in time order
            self._now = dates.format_recorded_at(dates.now_utc())
        seq, event_id = head_seq + 1, self._ids.pop()
        recorded_at = max(self._now, head_recorded)
        hashed_fields = (
            seq,
            event_id,
            kind,
            SCHEMA_VERSION,
            occurred_at,
            recorded_at,
            self.ledger.recorded_by,
            customer,
        )
        hash_ = seal(prev_hash, *hashed_fields, data_json)
        self.rows.append(stored_row(hashed_fields, payload, prev_hash, hash_))
        key = order_key or self.order_key(occurred_at)
        self.read_models.add(seq, kind, effect, key, customer_id, customer, occurred_at)
        self.ledger.move_head(seq, hash_, recorded_at)
        return seq

    def flush(self) -> None:
        if self.rows:
            self.ledger.conn.executemany(INSERT_EVENT, self.rows)
            self.rows = []
        self.read_models.flush(self.ledger.conn)
