"""Per-invocation settings (environment, then the global options --db, --by, --debug) and
ledger opening for the commands."""

from __future__ import annotations

from kirana import settings


def open_ledger(*, create: bool = True):
    """Open the ledger named by --db / KIRANA_DB / the per-user default."""
    from kirana.ledger import open_ledger as open_file

    return open_file(create=create, using=settings.current())


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
