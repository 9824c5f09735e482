"""The floor under `kirana rebuild`: what reading the log and writing today's read models cost
on their own, with none of kirana's per-event work in between.

Usage:
    python benchmarks/rebuild_floor.py LEDGER.db [--runs 3]

Two figures, each in µs an event (median of --runs), and their sum:
- read: every event's row read in log order, its payload inflated and parsed (orjson), as
  rebuild must before it knows what an event does;
- write: the rows every read model and the find index hold in LEDGER.db, already made and in
  memory, inserted into empty tables of the same schema in one transaction, the secondary
  indexes made at the end and the text index built at once (as rebuild does), each table
  filled in its own key order (an order rebuild cannot always have: a lower bound).

The ledger is only read. The write side works in a new file beside it, deleted at the end.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from pathlib import Path

from kirana import find_index
from kirana.jsonfast import loads_payload
from kirana.read_model_tables import READ_MODEL_TABLES
from kirana.store.codec import inflated

EXTRA_TABLES = ("year_dues", "month_dues", "aging_runs", "invoice_series", "period_closes")


def read_seconds(conn: sqlite3.Connection) -> float:
    """Seconds to read, inflate and parse every payload in log order."""
    start = time.perf_counter()
    rows = "SELECT seq, type, schema, occurred_at, customer, data FROM events ORDER BY seq"
    for row in conn.execute(rows):
        loads_payload(inflated(row[5]))
    return time.perf_counter() - start


def table_rows(conn: sqlite3.Connection, tables: list[str]) -> dict[str, list[tuple]]:
    """Every row of each table, in the table's own order."""
    return {table: conn.execute(f'SELECT * FROM "{table}"').fetchall() for table in tables}


def write_seconds(
    source: sqlite3.Connection, rows: dict[str, list[tuple]], work: Path, parts: dict
) -> float:
    """Seconds to insert `rows` into empty copies of their tables, then make the indexes and
    the text index; `parts` gets the seconds of each table, the indexes and the text index."""
    work.unlink(missing_ok=True)
    conn = sqlite3.connect(work, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        for table in rows:
            (sql,) = source.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()
            conn.execute(sql)
        conn.execute(_text_ddl(source))
        indexes = [
            sql
            for (sql,) in source.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({','.join('?' * len(rows))})",
                list(rows),
            )
        ]
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table, values in rows.items():
            if values:
                marks = ",".join("?" * len(values[0]))
                began = time.perf_counter()
                conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', values)
                parts.setdefault(table, []).append(time.perf_counter() - began)
        began = time.perf_counter()
        for sql in indexes:
            conn.execute(sql)
        parts.setdefault("(secondary indexes)", []).append(time.perf_counter() - began)
        began = time.perf_counter()
        find_index.index_text(conn)
        parts.setdefault("(text index)", []).append(time.perf_counter() - began)
        began = time.perf_counter()
        conn.execute("COMMIT")
        parts.setdefault("(commit)", []).append(time.perf_counter() - began)
        return time.perf_counter() - start
    finally:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)


def _text_ddl(source: sqlite3.Connection) -> str:
    """The find index's FTS5 table as the ledger made it."""
    (sql,) = source.execute("SELECT sql FROM sqlite_master WHERE name = 'find_text'").fetchone()
    return sql


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    events = source.execute("SELECT count(*) FROM events").fetchone()[0]
    names = {name for (name,) in source.execute("SELECT name FROM sqlite_master")}
    every = dict.fromkeys((*READ_MODEL_TABLES, *EXTRA_TABLES, find_index.TERMS_TABLE))
    tables = [table for table in every if table in names]
    rows = table_rows(source, tables)
    work = args.db.with_name(f"{args.db.stem}.floor.db")
    reads = [read_seconds(source) for _ in range(args.runs)]
    parts: dict[str, list[float]] = {}
    writes = [write_seconds(source, rows, work, parts) for _ in range(args.runs)]
    read, write = statistics.median(reads) / events, statistics.median(writes) / events
    print(f"{events:,} events; rows written: {sum(map(len, rows.values())):,}; write, by part:")
    for part, seconds in parts.items():
        count = f"{len(rows[part]):,} rows, " if part in rows else ""
        print(f"  {part}: {count}{statistics.median(seconds) / events * 1e6:.2f} µs an event")
    print(f"read (inflate + parse): {read * 1e6:.2f} µs an event")
    print(f"write (rows, indexes, text index): {write * 1e6:.2f} µs an event")
    print(f"floor: {(read + write) * 1e6:.2f} µs an event")


if __name__ == "__main__":
    main()
