"""`kirana demo`: build a demo ledger (never the user's) from sample_data and show it working.

The Sharma store example: a catalog, one credit customer who buys, pays and returns, and two
cash customers, on 12, 13 and 20 August 2024.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from kirana import recording
from kirana.catalog import parse_item_spec
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


def _lines(ledger: Ledger, specs: list[str], day: str):
    from datetime import date

    return [parse_item_spec(ledger.conn, spec, date.fromisoformat(day)) for spec in specs]


def build_sharma_store(ledger: Ledger) -> None:
    """The Sharma store story (SPEC acceptance): Priya's dues go 670 -> 370 -> 320."""
    with _clock("2024-08-01T09:00:00"):
        import_catalog(ledger, SAMPLE_DATA / "catalog.csv")
        recording.set_shop(
            ledger,
            {"name": "Sharma General Store", "state": "Maharashtra", "scheme": "unregistered"},
            "2024-04-01",
        )
        recording.add_customer(ledger, "Priya Madam", "9876543210", 200_000)
        recording.add_customer(ledger, "Amit Bhai")
        recording.add_customer(ledger, "Rohit")
    with _clock("2024-08-12T19:00:00"):
        day = "2024-08-12"
        recording.record_sale(
            ledger,
            "Priya Madam",
            method="credit",
            occurred_at=day + "T10:15:00+05:30",
            lines=_lines(ledger, ["atta:1@250", "mustard oil:1@180", "toor dal:2@120"], day),
        )
        recording.record_sale(
            ledger,
            "Amit Bhai",
            method="cash",
            occurred_at=day + "T11:40:00+05:30",
            lines=_lines(ledger, ["cigarettes:1@150", "cold drink:2@40"], day),
        )
    with _clock("2024-08-13T19:00:00"):
        day = "2024-08-13"
        recording.record_payment(
            ledger,
            "Priya Madam",
            30_000,
            method="upi",
            occurred_at=day + "T09:05:00+05:30",
            reference="UPI-4512AB",
        )
        recording.record_sale(
            ledger,
            "Rohit",
            method="cash",
            occurred_at=day + "T18:20:00+05:30",
            lines=_lines(ledger, ["bread:2@25", "milk:1@60"], day),
        )
    with _clock("2024-08-20T19:00:00"):
        recording.record_return(
            ledger,
            "Priya Madam",
            settlement="khata",
            occurred_at="2024-08-20T12:00:00+05:30",
            amount_paise=5_000,
            note="dal packet torn",
        )


def create_demo_ledger(path: Path) -> Ledger:
    ledger = open_ledger(path)
    build_sharma_store(ledger)
    return ledger


def demo_path() -> Path:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kirana-demo-"))
    return folder / "demo.db"
