"""`kirana demo`: build a demo ledger (never the user's) from sample_data and show it working.

The Sharma store example: a catalog, one credit customer who buys, pays and returns, and two
cash customers, on 12, 13 and 20 August 2024.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from kirana import recording
from kirana.catalog_file import import_catalog
from kirana.store import Ledger, open_ledger

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


@contextmanager
def _clock(moment: str):
    """Record as if it were `moment` (the demo's entries were typed on those days)."""
    saved = os.environ.get("KIRANA_NOW")
    os.environ["KIRANA_NOW"] = moment
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("KIRANA_NOW", None)
        else:
            os.environ["KIRANA_NOW"] = saved


def build_sharma_store(ledger: Ledger) -> None:
    """The Sharma store story (SPEC acceptance): Priya's dues go 670 -> 370 -> 320.

    Everything comes from sample_data: the catalog (item import) and the day book
    (sharma_store.csv, the SPEC §5 import format), entered as if typed on 20 August 2024."""
    from kirana.io.csv_import import import_csv

    with _clock("2024-08-20T19:00:00"):
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
