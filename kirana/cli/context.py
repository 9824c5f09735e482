"""Per-invocation settings from the global options (--db, --by, --debug) and ledger opening."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Settings:
    db: Path | None = None
    by: str | None = None
    debug: bool = False


settings = Settings()


def open_ledger(*, create: bool = True):
    """Open the ledger named by --db / KIRANA_DB / the per-user default."""
    from kirana import store

    if settings.by:
        os.environ["KIRANA_USER"] = settings.by
    return store.open_ledger(settings.db, create=create)


def read_ledger():
    """Open for reading: a missing file is an error, not silently created."""
    return open_ledger(create=False)


def complete_customer(incomplete: str) -> list[str]:
    """Shell completion: customer names starting with what has been typed."""
    try:
        with read_ledger() as ledger:
            names = [n for (n,) in ledger.conn.execute("SELECT name FROM customers ORDER BY name")]
    except Exception:  # noqa: BLE001 - completion must never break the shell
        return []
    return [name for name in names if name.lower().startswith(incomplete.lower())]
