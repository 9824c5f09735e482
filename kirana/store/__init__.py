"""The event log in one SQLite file: the layer every other part of kirana writes through.

- `log`: the Ledger (write transaction, file lock, sealed appends, reads) and open_store;
- `codec`: an event's stored row, id, hash and payload encoding;
- `schema`: the log's tables, append-only triggers and the migration runner;
- `batch`: many appends with one statement per table (the CSV import).

It knows nothing of read models: kirana.ledger plugs kirana.projections in when it opens a file.
"""

from kirana.store.codec import (
    EVENT_ID,
    decode_payload,
    encode_payload,
    fetch_event,
    id_bytes,
    new_event_ids,
    row_to_event,
)
from kirana.store.log import Draft, Ledger
from kirana.store.schema import APPEND_ONLY_TRIGGERS, run_ddl

__all__ = [
    "APPEND_ONLY_TRIGGERS",
    "EVENT_ID",
    "Draft",
    "Ledger",
    "decode_payload",
    "encode_payload",
    "fetch_event",
    "id_bytes",
    "new_event_ids",
    "row_to_event",
    "run_ddl",
]
