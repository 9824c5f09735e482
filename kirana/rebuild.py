"""`kirana rebuild`: every read model cleared and recomputed from the log, in one write
transaction, at a cost that stays per event on a long khata.

Each event does what `projections.apply` does when it is appended, with the same EntryBatch
rules, but written the way a bulk fill is cheap in SQLite:
- khata entries (sales, payments, returns, openings, confirmations) are gathered and their rows
  written together, one statement per table, and customers are looked up in memory; the rows
  are written before any other event (a void reads its target's entry, a merge the balances),
  and the lookups start again after any event but a void or a new customer;
- totals (balances, days, years, invoice series) are sums added to what is stored, so they are
  gathered across the whole log and added once at the end: only an event that reads them (a
  merge, or a type this module does not know) has them written first;
- the read models' secondary indexes are dropped while the tables fill and made again at the
  end from their own stored definitions (one sort each, instead of an insert in random order
  for every row);
- import keys, whose table is ordered by a random digest, are gathered in a temporary table and
  written in key order at the end, the first entry carrying a key keeping it (as when each was
  appended in turn); so are the page lines (kirana/page_lines.py), clustered by customer.
"""

from __future__ import annotations

from kirana import aging_runs, dates, find_index, page_lines
from kirana.cycles import collector_paused
from kirana.events import (
    BALANCE_CONFIRMED,
    CUSTOMER_ADDED,
    OPENING_BALANCE,
    PAYMENT,
    RETURN,
    SALE,
    SCHEMA_VERSION,
    VOID,
    Event,
    upcast,
)
from kirana.import_keys import KEY_BYTES
from kirana.jsonfast import loads_payload
from kirana.projections import EntryBatch, apply, customer_id_for, entry_effect
from kirana.read_model_tables import READ_MODEL_TABLES
from kirana.store import fetch_event
from kirana.store.codec import inflated

# the khata entries gathered in a batch; every other event (customers, voids, merges, prices,
# settings, and any type added later) goes through `apply` as it comes
BATCHED_ENTRIES = frozenset({SALE, PAYMENT, RETURN, OPENING_BALANCE, BALANCE_CONFIRMED})
# events `apply` handles without reading a total (a new customer's balance row is 0; a void
# adds to balances, days and years what its target took): the totals may wait past them
TOTALS_WAIT_FOR = frozenset({CUSTOMER_ADDED, VOID})
REBUILD_BATCH = 5000  # entries gathered before their rows are written
STAGED_KEYS = "temp.kirana_rebuild_keys"
# tables whose secondary indexes are made again at the end: the read models and the find index
_INDEXED = (*READ_MODEL_TABLES, find_index.TERMS_TABLE)
_UNKNOWN = object()  # a name not looked up yet (None is a walk-in, or a name no one has)


class _RebuildBatch(EntryBatch):
    """An EntryBatch whose import keys go to the temporary table, in log order, each key with
    its fingerprint as one value (one value fewer to bind a row: a third quicker), and whose
    page lines go to another, in log order (written in key order at the end)."""

    def write_import_keys(self, conn) -> None:
        staged = [(key + fingerprint, seq) for key, fingerprint, seq in self.import_keys]
        conn.executemany(f"INSERT INTO {STAGED_KEYS} VALUES (?, ?)", staged)

    def write_pages(self, conn) -> None:
        conn.executemany(
            f"INSERT INTO {page_lines.STAGED} VALUES (?, ?, ?, ?, ?, ?, ?)", self.pages
        )


def rebuild(ledger) -> int:
    """Recompute every read model from the log, in one write transaction. Returns events read."""
    conn = ledger.conn
    with ledger.write(), collector_paused():
        indexes = _drop_indexes(conn)
        for table in READ_MODEL_TABLES:
            conn.execute(f"DELETE FROM {table}")
        find_index.clear(conn)
        # in SQLite's temporary store (a file unless built otherwise): bounded memory
        conn.execute(f"CREATE TEMP TABLE {STAGED_KEYS[5:]} (key_fingerprint BLOB, seq INT)")
        conn.execute(page_lines.STAGE_DDL)
        count = _fill(conn)
        _write_staged_keys(conn)
        conn.execute(page_lines.FROM_STAGE)  # the voids' rows are in already
        conn.execute(f"DROP TABLE {page_lines.STAGED}")
        aging_runs.fill(conn)  # every credit, void and merge is in place: one statement
        for sql in indexes:  # after aging_runs too: its index is one sort as well
            conn.execute(sql)
        find_index.index_text(conn)
    return count


def _fill(conn) -> int:
    """Every event, in log order, into the emptied read models; returns how many."""
    count = 0
    order_key = dates.order_key_function()
    # aging_runs and the find text index: filled once at the end
    pending = _RebuildBatch(runs=False, text_later=True)
    add, finds = pending.add, pending.finds
    ids: dict[str, int | None] = {}
    # the names the loop uses for every entry, bound here (not looked up each time)
    batched, current, unknown, batch = BATCHED_ENTRIES, SCHEMA_VERSION, _UNKNOWN, REBUILD_BATCH
    known, effect_of, json_of, inflate = ids.get, entry_effect, loads_payload, inflated
    rows = "SELECT seq, type, schema, occurred_at, customer, data FROM events ORDER BY seq"
    for seq, kind, schema, occurred_at, name, payload in conn.execute(rows):
        count += 1
        if kind not in batched:
            if _reads_rows(kind, payload, finds):
                pending.flush_rows(conn)
                finds = pending.finds
            if kind not in TOTALS_WAIT_FOR:
                pending.flush_totals(conn)
            if kind == CUSTOMER_ADDED:
                ids.pop(name, None)  # named before it was added: not found then
            elif kind != VOID:
                ids.clear()  # a rename or a merge changes who a name is
            apply(conn, fetch_event(conn, seq), runs=False, text=False)
            continue
        data = json_of(inflate(payload))
        if schema != current:
            data = upcast(Event(seq, "", kind, occurred_at, "", "", name, data, schema)).data
        customer_id = known(name, unknown)
        if customer_id is unknown:
            customer_id = ids[name] = customer_id_for(conn, name)
        effect = effect_of(kind, data, name is not None)  # a walk-in's entry has no page
        add(seq, kind, effect, order_key(occurred_at), customer_id, name, occurred_at)
        if len(finds) >= batch:
            pending.flush_rows(conn)
            finds = pending.finds
    pending.flush(conn)
    return count


def _reads_rows(kind: str, payload: bytes, finds: list[tuple]) -> bool:
    """Whether `apply` of this event may read the rows gathered (`finds` holds one per entry,
    in log order): a new customer reads none, a void only its target's entry; any other event
    is assumed to read them all."""
    if not finds or kind == CUSTOMER_ADDED:
        return False
    if kind != VOID:
        return True
    target = loads_payload(inflated(payload)).get("target")
    return not isinstance(target, int) or target >= finds[0][0]


def _drop_indexes(conn) -> list[str]:
    """Drop the read models' own indexes (not those of a key); returns their definitions."""
    tables = ",".join("?" * len(_INDEXED))
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({tables}) ORDER BY name",
        _INDEXED,
    ).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _write_staged_keys(conn) -> None:
    """The gathered import keys, in key order; of two entries with one key (a forged copy, or
    a void with the key of an entry), the first in the log keeps it (in whatever order they
    come: the conflict clause keeps the lower seq)."""
    conn.execute(
        f"INSERT INTO import_keys SELECT substr(key_fingerprint, 1, {KEY_BYTES}),"
        f" substr(key_fingerprint, {KEY_BYTES + 1}), seq FROM {STAGED_KEYS} WHERE true"
        " ORDER BY key_fingerprint, seq ON CONFLICT (key) DO UPDATE SET"
        " fingerprint = excluded.fingerprint, seq = excluded.seq WHERE excluded.seq < import_keys.seq"
    )
    conn.execute(f"DROP TABLE {STAGED_KEYS}")
