"""The import runner shared by the CSV and JSONL importers.

One import = one write transaction (`Ledger.write()`), so a crash or a kill leaves either none
or all of its events. Each row that could fail after writing runs inside a SAVEPOINT (every
JSONL row; a CSV row the importer records one at a time: its planned rows were fully checked
before anything is written): a bad row is rolled back to the savepoint, reported as
`line N: reason`, and the next row is validated against the ledger as it stands, so every bad
row of a file is found in one streaming pass. At the end:
- any bad row and not `skip_invalid` -> the transaction is rolled back (nothing imported);
- `dry_run` -> rolled back after counting what would have happened;
- otherwise committed.

While the rows run (`bulk_mode`), the cyclic garbage collector is paused (an import allocates
millions of short-lived tuples that form no cycles; the collector would only walk them again and
again, about 4 % of a big import's CPU, main process and, on Linux, its forked workers) and SQLite's page
cache is enlarged to IMPORT_CACHE_KIB, so the indexes an import fills at random places (import
keys, each customer's entries) stay in memory instead of being spilled to the WAL and read back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kirana.cycles import collector_paused
from kirana.errors import InputError, KiranaError
from kirana.i18n import tr_n
from kirana.store import Ledger

PROGRESS_EVERY = 500
IMPORT_CACHE_KIB = 64 * 1024


@dataclass
class RowResult:
    """What one good row did: appended an event (or was a known duplicate), maybe a customer."""

    appended: bool
    new_customer: str | None = None
    limit_warning: tuple[str, str] | None = None  # (customer, the warning `sale` would give)


@dataclass
class ImportSummary:
    """The outcome of an import; `to_json()` is the `import --json` object (docs/json.md)."""

    appended: int = 0
    duplicates: int = 0
    rejected: int = 0
    new_customers: list[str] = field(default_factory=list)
    dry_run: bool = False
    rejects_path: Path | None = None
    limit_warnings: dict[str, str] = field(default_factory=dict)  # the latest per customer

    @property
    def warnings(self) -> list[str]:
        """One credit-limit warning per customer the import left over their limit."""
        return list(self.limit_warnings.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "appended": self.appended,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "new_customers": list(self.new_customers),
            "warnings": self.warnings,
        }


@contextmanager
def bulk_mode(ledger: Ledger) -> Iterator[None]:
    """A big page cache and no cyclic garbage collection, for the length of an import (see
    the module docstring); reference counting still frees everything."""
    conn = ledger.conn
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        with collector_paused():
            yield
    finally:
        conn.execute(f"PRAGMA cache_size = {cache_size}")


class _DryRunDone(Exception):
    """Raised inside the write transaction to roll a dry run back."""


def run_rows(
    ledger: Ledger,
    rows: Iterable[tuple[int, Any]],
    handle: Callable[[int, Any], RowResult],
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    on_problem: Callable[[int, str, Any], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    setup: Callable[[], None] | None = None,
    savepoints: bool = True,
) -> ImportSummary:
    """Run `handle(line, row)` for every row in one transaction; see the module docstring.

    `on_problem(line, reason, row)` is called for each bad row as it is found (stream it to
    stderr / a rejects file); `on_progress(rows_done)` every few hundred rows. With
    `savepoints=False` the handler opens a savepoint itself for a row that can fail after it
    has written something (the CSV importer's planned rows cannot).
    """
    summary = ImportSummary(dry_run=dry_run)
    try:
        with ledger.write(), bulk_mode(ledger):
            if setup is not None:
                setup()
            for done, (line, row) in enumerate(rows, start=1):
                try:
                    if savepoints:
                        with ledger.savepoint():
                            result = handle(line, row)
                    else:
                        result = handle(line, row)
                except KiranaError as exc:
                    summary.rejected += 1
                    if on_problem is not None:
                        on_problem(line, " ".join(str(exc).split()), row)
                else:
                    if result.appended:
                        summary.appended += 1
                    else:
                        summary.duplicates += 1
                    if result.new_customer:
                        summary.new_customers.append(result.new_customer)
                    if result.limit_warning:
                        customer, warning = result.limit_warning
                        summary.limit_warnings[customer] = warning
                if on_progress is not None and done % PROGRESS_EVERY == 0:
                    on_progress(done)
            if summary.rejected and not skip_invalid:
                bad = summary.rejected
                raise InputError(
                    tr_n(
                        "{bad} bad row; nothing imported", "{bad} bad rows; nothing imported", bad
                    ).format(bad=bad)
                )
            if dry_run:
                raise _DryRunDone
    except _DryRunDone:
        pass
    return summary
