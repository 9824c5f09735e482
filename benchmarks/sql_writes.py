"""The floor an import cannot go below: SQLite writing a ledger's rows, with no Python work.

Usage:
    python benchmarks/sql_writes.py benchmarks/out/1m/gen-1000000.db

Reads every row of an imported ledger's `events`, `entries` and `import_keys` tables into
memory, then writes them into a new file with kirana's schema the way an import does: one
transaction, WAL, the import's page cache (io.common.IMPORT_CACHE_KIB), `executemany` in
batches (1,000 rows here; an import's are its chunks, ~2,900 rows), idempotency keys in
arrival order (random: they are digests). The small read models (balances, daily sales,
customers) are left out, so this is a lower bound. Prints the wall seconds spent in each
table's SQL calls and in the commit, as Markdown. Median of `--runs` (default 3).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

BATCH = 1000


def read_rows(source: Path) -> tuple[list, list, list]:
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    events = conn.execute("SELECT * FROM events ORDER BY seq").fetchall()
    entries = conn.execute("SELECT * FROM entries ORDER BY seq").fetchall()
    keys = conn.execute("SELECT * FROM import_keys").fetchall()
    conn.close()
    random.Random(1).shuffle(keys)  # stored in key order; an import meets them at random
    return events, entries, keys


def write_once(folder: Path, events: list, entries: list, keys: list) -> dict[str, float]:
    from kirana.io.common import IMPORT_CACHE_KIB
    from kirana.ledger import open_ledger

    path = folder / f"floor-{time.monotonic_ns()}.db"
    open_ledger(path).close()  # kirana's schema and pragmas
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    spent = dict.fromkeys(("events", "entries", "import_keys", "commit"), 0.0)
    conn.execute("BEGIN IMMEDIATE")
    done_entries = 0
    for start in range(0, len(events), BATCH):
        batch = events[start : start + BATCH]
        began = time.perf_counter()
        conn.executemany(f"INSERT INTO events VALUES ({','.join('?' * 11)})", batch)
        spent["events"] += time.perf_counter() - began
        last_seq, upto = batch[-1][0], done_entries
        while upto < len(entries) and entries[upto][0] <= last_seq:
            upto += 1
        began = time.perf_counter()
        conn.executemany("INSERT INTO entries VALUES (?, ?, ?, ?)", entries[done_entries:upto])
        spent["entries"] += time.perf_counter() - began
        done_entries = upto
        began = time.perf_counter()
        conn.executemany("INSERT INTO import_keys VALUES (?, ?, ?)", keys[start : start + BATCH])
        spent["import_keys"] += time.perf_counter() - began
    began = time.perf_counter()
    conn.execute("COMMIT")
    spent["commit"] = time.perf_counter() - began
    written = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    if written != len(events):
        raise SystemExit(f"wrote {written} events of {len(events)}")
    conn.close()
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger", type=Path, help="an imported ledger (benchmarks/run.py)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    events, entries, keys = read_rows(args.ledger)
    with tempfile.TemporaryDirectory(dir=args.ledger.parent) as folder:
        runs = [write_once(Path(folder), events, entries, keys) for _ in range(args.runs)]
    print(f"| SQL writes of {len(events):,} events (median of {args.runs}) | s | µs per event |")
    print("|---|---:|---:|")
    total = 0.0
    for name in runs[0]:
        seconds = statistics.median(run[name] for run in runs)
        total += seconds
        print(f"| {name} | {seconds:.2f} | {seconds / len(events) * 1e6:.1f} |")
    print(f"| all | {total:.2f} | {total / len(events) * 1e6:.1f} |")


if __name__ == "__main__":
    main()
