"""Where a CSV import's time goes: CPU microseconds per row for each stage, in one process.

Usage:
    python benchmarks/profile_import.py benchmarks/out/gen-100000.csv

Runs each stage of `kirana import` over every row of the file on its own (so the figures add
up to roughly the CPU one row costs across all processes) and prints a Markdown table:
- worker side (csv_chunks.plan_chunk): CSV parsing, fields, fingerprint and key digests,
  the row's rules (csv_rules.RowPlanner, of which: dates), canonical JSON, payload encoding,
  sending the planned rows to the main process (pickle) and receiving them (unpickle);
- main side: the whole import of the file with `--workers 0`, minus the planning stages
  measured above (not the pickling, which `--workers 0` skips): sealing into the hash chain,
  idempotency keys, customers and the SQL writes.
Uses a fresh ledger in a temporary folder; KIRANA_NOW defaults to 2026-01-01.
"""

from __future__ import annotations

import csv
import io
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path


def per_row(rows: int, started: float) -> float:
    return (time.perf_counter() - started) / rows * 1e6


def main() -> None:
    path = Path(sys.argv[1])
    os.environ.setdefault("KIRANA_NOW", "2026-01-01T00:00:00")
    from kirana import dates, settings

    # the settings in force, as the CLI installs them (and its forked workers inherit): without
    # them every message lookup reads the environment again (parse_amount's hint, per row)
    settings.install(settings.Settings.from_environ())
    from kirana.catalog import CatalogSnapshot
    from kirana.events import canonical_json
    from kirana.io import csv_chunks
    from kirana.io.csv_import import import_csv
    from kirana.io.csv_rules import RowPlanner
    from kirana.ledger import open_ledger
    from kirana.store import encode_payload

    folder = Path(tempfile.mkdtemp())
    text = path.read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    index = {name.strip().lower(): i for i, name in enumerate(records[0])}
    cells = records[1:]
    count = len(cells)
    stages: list[tuple[str, float]] = []

    started = time.perf_counter()
    list(csv.reader(io.StringIO(text, newline="")))
    stages.append(("CSV parsing (csv module)", per_row(count, started)))
    started = time.perf_counter()
    fields = [csv_chunks.row_fields(row, index) for row in cells]
    stages.append(("fields of a row", per_row(count, started)))
    started = time.perf_counter()
    for row in fields:
        fingerprint = csv_chunks.fingerprint(row)
        csv_chunks.digest(csv_chunks.derived_key(fingerprint, 1), 16)
        csv_chunks.digest(fingerprint, 8)
    stages.append(("fingerprint, derived key, digests (4 × SHA-256)", per_row(count, started)))

    with open_ledger(folder / "empty.db") as ledger:
        catalog = CatalogSnapshot(ledger.conn)
    planner = RowPlanner(catalog, dates.now_local())
    started = time.perf_counter()
    for row in fields:
        if row["type"].lower() != "void":
            planner.date(row["date"])
    stages.append(("  of which: dates (parse, future check)", per_row(count, started)))
    planner = RowPlanner(catalog, dates.now_local())
    plans = []
    started = time.perf_counter()
    for row in fields:
        try:
            plans.append(planner.plan(row))
        except Exception:  # noqa: BLE001, S110 - a bad row costs what it costs
            pass
    stages.append(("the row's rules (RowPlanner.plan, incl. dates)", per_row(count, started)))
    started = time.perf_counter()
    texts = [canonical_json(plan.data) for plan in plans]
    stages.append(("canonical JSON of the payload", per_row(count, started)))
    started = time.perf_counter()
    for data_json in texts:
        encode_payload(data_json)
    stages.append(("payload encoding (deflate, preset dictionary)", per_row(count, started)))

    csv_chunks.start_worker(index, catalog, dates.now_local())
    with path.open("rb") as handle:
        chunks = list(csv_chunks.record_chunks(handle))
    planned = [csv_chunks.plan_chunk((chunk, 1 if i == 0 else 0)) for i, chunk in enumerate(chunks)]
    started = time.perf_counter()
    sent = [pickle.dumps(plan) for plan in planned]
    stages.append(("sending planned rows (pickle)", per_row(count, started)))
    started = time.perf_counter()
    for blob in sent:
        pickle.loads(blob)
    stages.append(("receiving them (unpickle)", per_row(count, started)))

    with open_ledger(folder / "whole.db") as ledger:
        started = time.perf_counter()
        import_csv(ledger, path, workers=0, new_customers=True)
        whole = per_row(count, started)
    in_import = [cost for name, cost in stages if not name.startswith(("  ", "sending", "receiv"))]
    worker_side = sum(in_import)
    stages.append(("main side: sealing, hash chain, SQL writes (the rest)", whole - worker_side))
    stages.append(("whole import in one process (--workers 0)", whole))

    print(f"| stage ({count:,} rows of {path.name}) | µs per row |")
    print("|---|---:|")
    for name, cost in stages:
        print(f"| {name} | {cost:.1f} |")


if __name__ == "__main__":
    main()
