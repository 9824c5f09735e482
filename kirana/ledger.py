"""Opening a ledger file: the event log (kirana.store) with the read models plugged in.

This is where the layers meet: the store knows nothing of read models, so `open_ledger` hands
it kirana.projections (applied in the same transaction as every append) and the full ordered
list of migrations, the log's own steps and the read models' interleaved as they were added.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kirana import (
    aging_runs,
    find_index,
    month_dues,
    page_lines,
    projections,
    settings,
    year_dues,
)
from kirana.settings import Settings
from kirana.store import Ledger, schema
from kirana.store.log import open_store

MIGRATIONS: list[schema.Migration] = [
    (schema.FIRST_MIGRATION, schema.create_events),
    ("002_read_models", lambda conn, settings: projections.create_tables(conn)),
    ("003_import_keys", schema.create_import_keys),
    ("004_events_by_occurred_at", schema.create_business_time_index),
    ("005_ledger_settings", schema.create_ledger_settings),
    ("006_entry_references", lambda conn, settings: projections.create_references(conn)),
    ("007_customer_merges", lambda conn, settings: projections.create_merges(conn)),
    ("008_import_keys_in_events", lambda conn, settings: projections.create_import_keys(conn)),
    ("010_invoice_series", lambda conn, settings: projections.create_invoice_series(conn)),
    ("009_period_closes", lambda conn, settings: projections.create_period_closes(conn)),
    ("011_customer_upi_ids", lambda conn, settings: projections.create_upi_ids(conn)),
    ("012_view_models", lambda conn, settings: year_dues.create_view_models(conn)),
    ("013_aging_runs", lambda conn, settings: aging_runs.create(conn)),
    ("014_find_index", lambda conn, settings: find_index.create(conn)),
    ("015_confirmations_index", schema.create_confirmations_index),
    ("016_month_dues", lambda conn, settings: month_dues.create(conn)),
    ("017_page_lines", lambda conn, settings: page_lines.create(conn)),
]

__all__ = ["MIGRATIONS", "Ledger", "open_ledger"]


def open_ledger(
    path: Path | str | None = None,
    *,
    create: bool = True,
    using: Settings | None = None,
    on_update: Callable[[], None] | None = None,
) -> Ledger:
    """Open (and migrate) the ledger at `path`, else the settings' ledger file; create it
    owner-only if it is missing and `create` is set. `on_update` is called before a long
    log is brought up to this version (store.log.migrate)."""
    chosen = using or settings.current()
    db_path = Path(path).expanduser() if path else chosen.ledger_path()
    return open_store(db_path, chosen, projections, MIGRATIONS, create=create, on_update=on_update)
