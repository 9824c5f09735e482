"""Batch import and export: CSV and JSONL in, JSONL/CSV/ledger/beancount out (docs/csv.md).

- `common.py`: the import runner shared by both formats: one write transaction, a savepoint per
  row that may fail after writing, problems reported as `line N: reason`, all-or-nothing unless
  `skip_invalid`, dry runs.
- `csv_import.py`: the CSV import of docs/csv.md (header, idempotency keys, batched appends);
  `csv_chunks.py`: the file in chunks of whole records, planned in `workers.py` processes;
  `csv_rules.py`: one row's rules (type aliases, methods, items, customers on first use).
- `jsonl.py`: the canonical event JSON, one event per line (exact restore into an empty ledger).
- `export.py`: streaming exports (jsonl, csv) and `journals.py` (hledger/ledger, beancount).
- `backup.py`: a consistent copy through SQLite's backup API.
"""
