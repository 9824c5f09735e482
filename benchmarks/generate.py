"""Deterministic synthetic ledger generator: writes a SPEC §5 import CSV (and, optionally, the
canonical JSONL made by importing that CSV and running `kirana export --format jsonl`).

Usage:
    python benchmarks/generate.py --events 100000 --out benchmarks/out/100k.csv [--jsonl]

The same seed and arguments always give the same bytes. The mix is a busy kirana: ~60 % sales
(≈3 catalog items each; credit, cash, UPI, card), ~27 % payments, ~4 % returns, ~1 % voids,
opening balances for one customer in ten, ~3 % back-dated entries, over `--months` months.
Void rows name their target seq, which the generator tracks the way `kirana import` assigns
seqs to a fresh ledger (a customer's first row appends `customer_added` just before it).
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["date", "type", "customer", "amount", "method", "items", "reference", "note", "key"]
FIRST_NAMES = [
    "Priya",
    "Amit",
    "Rohit",
    "Sunita",
    "Ramesh",
    "Anita",
    "Vikram",
    "Kavita",
    "Suresh",
    "Meena",
    "Arjun",
    "Pooja",
    "Rahul",
    "Geeta",
    "Manoj",
    "Neha",
    "Deepak",
    "Rekha",
    "Sanjay",
    "Lata",
    "Imran",
    "Farida",
    "Joseph",
    "Mary",
    "Gurpreet",
    "Harjeet",
]
AREAS = ["Bhai", "Madam", "Ji", "Sir", "Didi", "Uncle", "Aunty", "Seth"]


def load_catalog() -> list[tuple[str, int, str, str]]:
    """(name, price_paise, gst, hsn) rows in force on 2025-01-01 from sample_data/catalog.csv."""
    best: dict[str, tuple[str, int, str, str, str]] = {}
    with (ROOT / "sample_data" / "catalog.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["from"] <= "2025-01-01" and (
                row["name"] not in best or best[row["name"]][4] < row["from"]
            ):
                rupees, paise = row["price"].split(".")
                price = int(rupees) * 100 + int(paise)
                best[row["name"]] = (row["name"], price, row["gst"], row["hsn"], row["from"])
    return [item[:4] for item in sorted(best.values())]


def customer_names(count: int, rng: random.Random) -> list[str]:
    names = []
    for i in range(count):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        area = AREAS[(i // len(FIRST_NAMES)) % len(AREAS)]
        names.append(f"{first} {area} {i // (len(FIRST_NAMES) * len(AREAS)) + 1}")
    rng.shuffle(names)
    return names


def rupees(paise: int) -> str:
    return f"{paise // 100}.{paise % 100:02d}"


def generate(events: int, customers: int, months: int, seed: int, out: Path) -> dict:
    rng = random.Random(seed)
    catalog = load_catalog()
    names = customer_names(customers, rng)
    known: set[str] = set()
    seq = 0
    voidable: list[int] = []
    voided: set[int] = set()
    start = date(2025, 10, 31) - timedelta(days=30 * months)
    span_seconds = months * 30 * 86400
    counts: dict[str, int] = {}
    dues: dict[str, int] = {}  # rough running dues, so payments look like real settlements
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for n in range(events):
            offset = span_seconds * n // events
            if rng.random() < 0.03:  # back-dated: typed in days after it happened
                offset = max(0, offset - rng.randint(1, 10) * 86400)
            day, second = divmod(offset, 86400)  # open 08:00-22:00
            moment = datetime.combine(start + timedelta(days=day), datetime.min.time()) + timedelta(
                seconds=8 * 3600 + second * 14 // 24
            )
            when = (
                moment.strftime("%Y-%m-%d %H:%M")
                if rng.random() < 0.9
                else moment.strftime("%d-%m-%Y")
            )
            roll = rng.random()
            who = names[
                min(int(rng.paretovariate(1.2)) - 1, customers - 1)
                if rng.random() < 0.5
                else rng.randrange(customers)
            ]
            row = {
                "date": when,
                "customer": "",
                "amount": "",
                "method": "",
                "items": "",
                "reference": "",
                "note": "",
                "key": "",
            }
            if roll < 0.01 and voidable:
                target = voidable.pop(rng.randrange(len(voidable)))
                voided.add(target)
                row.update(type="void", reference=str(target), note="entered in error")
            elif who not in known and rng.random() < 0.1:
                opening = rng.randint(100, 500_000)
                dues[who] = dues.get(who, 0) + opening
                row.update(type="opening", customer=who, amount=rupees(opening))
            elif roll < 0.62:
                method = rng.choices(["credit", "cash", "upi", "card"], [40, 35, 20, 5])[0]
                lines = []
                for _ in range(max(1, min(6, int(rng.gauss(3, 1.2))))):
                    name, price, gst, hsn = rng.choice(catalog)
                    qty = rng.choice(["1", "1", "2", "3", "0.5", "1.5"])
                    lines.append(f"{name}:{qty}:{rupees(price)}:{gst}:{hsn}")
                    if method == "credit":
                        dues[who] = dues.get(who, 0) + int(Decimal(qty) * price)
                row.update(
                    type="sale",
                    method=method,
                    items=";".join(lines),
                    customer=who if method == "credit" or rng.random() < 0.3 else "",
                )
            elif roll < 0.89:
                owed = dues.get(who, 0)
                paid = max(1_000, owed * rng.randint(3, 10) // 10 // 1_000 * 1_000)
                dues[who] = owed - paid
                row.update(
                    type="payment",
                    customer=who,
                    amount=rupees(paid),
                    method=rng.choices(
                        ["cash", "upi", "card", "cheque", "bank"], [50, 40, 4, 3, 3]
                    )[0],
                    reference=f"UPI{seed}{n:09d}" if rng.random() < 0.4 else "",
                )
            else:
                settlement = rng.choice(["khata", "khata", "cash", "upi"])
                refund = rng.randint(500, 20_000)
                if settlement == "khata":
                    dues[who] = dues.get(who, 0) - refund
                row.update(type="return", customer=who, amount=rupees(refund), method=settlement)
            if row["customer"] and row["customer"] not in known:
                known.add(row["customer"])
                seq += 1  # the customer_added event that import appends first
            seq += 1
            if row["type"] in ("sale", "payment", "opening"):
                voidable.append(seq)
            counts[row["type"]] = counts.get(row["type"], 0) + 1
            writer.writerow([row.get(column, "") for column in HEADER])
    return {"rows": events, "events": seq, "customers": len(known), "by_type": counts}


def export_jsonl(csv_path: Path, jsonl_path: Path) -> None:
    """Canonical JSONL: import the CSV into a scratch ledger, then export it."""
    db = jsonl_path.with_suffix(".db")
    db.unlink(missing_ok=True)
    kirana = [sys.executable, "-m", "kirana.cli", "--db", str(db)]
    subprocess.run([*kirana, "import", str(csv_path)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*kirana, "export", "--format", "jsonl", "--out", str(jsonl_path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="rows to write")
    parser.add_argument("--customers", type=int, default=None, help="default: events / 100")
    parser.add_argument("--months", type=int, default=None, help="default: events / 2,000, ≥ 1")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--jsonl", action="store_true", help="also write OUT with .jsonl")
    args = parser.parse_args()
    customers = args.customers or max(50, args.events // 100)
    months = args.months or max(1, args.events // 2_000)
    summary = generate(args.events, customers, months, args.seed, args.out)
    if args.jsonl:
        export_jsonl(args.out, args.out.with_suffix(".jsonl"))
    print(summary)


if __name__ == "__main__":
    main()
