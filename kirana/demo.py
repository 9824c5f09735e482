"""`kirana demo`: build a demo ledger (never the user's) from sample_data and show it working.

The Sharma store example: a catalog, one credit customer who buys, pays and returns, and two
cash customers, on 12, 13 and 20 August 2024.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kirana import recording, settings
from kirana.catalog_file import import_catalog
from kirana.ledger import Ledger, open_ledger

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


def build_sharma_store(ledger: Ledger) -> None:
    """The Sharma store story: Priya's dues go 670 -> 370 -> 320.

    Everything comes from sample_data: the catalog (item import) and the day book
    (sharma_store.csv, in the import format of docs/csv.md), entered as if typed on 20 August
    2024 (a fixed clock in the settings)."""
    from kirana.io.csv_import import import_csv

    typed_then = replace(ledger.settings, now="2024-08-20T19:00:00")
    with settings.using(typed_then):
        import_catalog(ledger, SAMPLE_DATA / "catalog.csv")
        recording.set_shop(
            ledger,
            {"name": "Sharma General Store", "state": "Maharashtra", "scheme": "unregistered"},
            "2024-04-01",
        )
        import_csv(ledger, SAMPLE_DATA / "sharma_store.csv")


def create_demo_ledger(path: Path) -> Ledger:
    ledger = open_ledger(path)
    build_sharma_store(ledger)
    return ledger


def demo_path() -> Path:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kirana-demo-"))
    return folder / "demo.db"
