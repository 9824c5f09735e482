"""Generate a realistic month of a kirana store as a SPEC §5 import CSV (stdlib only, seeded).

    python sample_data/make_month.py                      # writes sample_data/generated_month.csv
    python sample_data/make_month.py OUT.csv --events 20000 --seed 7 --month 2024-10

The month: opening dues from the paper khata for some customers on the 1st (bare dates), then
each day walk-in cash/UPI sales, credit (udhaar) sales to regulars, payments (UPI ones carry a
UPI reference and an idempotency key), and a few returns. Items and prices come from
sample_data/catalog.csv (the rate in force at the start of the month), written with their GST
rate and HSN, so the file imports the same whatever the ledger's catalog says. The same seed
always gives the same file.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["date", "type", "customer", "amount", "method", "items", "reference", "note", "key"]
FIRST = [
    "Priya", "Amit", "Rohit", "Sunita", "Ramesh", "Kavita", "Suresh", "Anita", "Vijay", "Meena",
    "Rajesh", "Pooja", "Manoj", "Geeta", "Arjun", "Lakshmi", "Deepak", "Neha", "Sanjay", "Rekha",
    "Imran", "Farida", "Joseph", "Mary", "Gurpreet", "Simran", "Venkat", "Padma", "Bablu", "Rani",
]  # fmt: skip
SUFFIX = ["Madam", "Bhai", "Ji", "Didi", "Uncle", "Aunty", "Sharma", "Patel", "Iyer", "Khan"]


def load_catalog(path: Path, on: str) -> list[tuple[str, str, str, str, str]]:
    """(name, price, gst, hsn, unit) of each catalog item, as in force on `on`."""
    latest: dict[str, tuple[str, list[str]]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            start = row.get("from") or "2000-01-01"
            if start <= on and (row["name"] not in latest or latest[row["name"]][0] <= start):
                latest[row["name"]] = (start, row)
    return [
        (row["name"], row["price"], row["gst"], row.get("hsn", ""), row.get("unit", ""))
        for _, row in (latest[name] for name in sorted(latest))
    ]


def customer_names(count: int) -> list[str]:
    names: list[str] = []
    for index in range(count):
        first = FIRST[index % len(FIRST)]
        suffix = SUFFIX[(index // len(FIRST) + index) % len(SUFFIX)]
        names.append(f"{first} {suffix}")
    seen: set[str] = set()
    unique = []
    for base in names:
        name, number = base, 1
        while name.lower() in seen:
            number += 1
            name = f"{base} {number}"
        seen.add(name.lower())
        unique.append(name)
    return unique


def paise(rupees: str) -> int:
    return int(Decimal(rupees) * 100)


def rupees(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def month_rows(
    events: int = 2200, seed: int = 2024, month: str = "2024-09", customers: int = 60
) -> Iterator[list[str]]:
    """Yield the data rows (without the header) of one generated month."""
    rng = random.Random(seed)
    year, mon = (int(part) for part in month.split("-"))
    days = calendar.monthrange(year, mon)[1]
    items = load_catalog(HERE / "catalog.csv", f"{month}-01")
    people = customer_names(customers)
    dues = {name: 0 for name in people}
    produced = 0
    for name in people[: customers * 2 // 5]:
        amount = rng.randrange(100, 3000) * 100
        dues[name] += amount
        yield [f"{month}-01", "opening", name, rupees(amount), "", "", "", "paper khata", ""]
        produced += 1
    per_day = max(1, (events - produced) // days)
    for day in range(1, days + 1):
        count = per_day if day < days else events - produced
        minutes = sorted(rng.randrange(7 * 60, 21 * 60 + 30) for _ in range(count))
        for minute in minutes:
            when = f"{month}-{day:02d} {minute // 60:02d}:{minute % 60:02d}"
            yield _one_event(rng, when, items, people, dues)
            produced += 1


def _basket(rng: random.Random, items) -> tuple[str, int]:
    specs, total = [], 0
    for name, price, gst, hsn, unit in rng.sample(items, rng.randint(1, 4)):
        qty = rng.choice(["0.5", "1", "1", "2", "1.5"]) if unit == "kg" else str(rng.randint(1, 3))
        total += int((Decimal(qty) * paise(price)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        specs.append(":".join([name, qty, price, gst] + ([hsn] if hsn else [])))
    return ";".join(specs), total


def _one_event(rng: random.Random, when: str, items, people, dues) -> list[str]:
    roll = rng.random()
    if roll < 0.45:
        basket, total = _basket(rng, items)
        amount = rupees(total) if rng.random() < 0.3 else ""
        return [when, "sale", "", amount, rng.choice(["cash", "upi", "upi", "card"]), basket]
    if roll < 0.78:
        name = rng.choice(people)
        basket, total = _basket(rng, items)
        dues[name] += total
        return [when, rng.choice(["sale", "SALE"]), name, "", "credit", basket, "", "", ""]
    owing = [name for name in people if dues[name] >= 10000]
    if roll < 0.95 and owing:
        name = rng.choice(owing)
        amount = min(dues[name], rng.randrange(1, 20) * 5000)
        dues[name] -= amount
        if rng.random() < 0.6:
            ref = f"{rng.randrange(10**11, 10**12)}"
            return [
                when,
                "PAYMENT_RECEIVED",
                name,
                rupees(amount),
                "upi",
                "",
                ref,
                "",
                f"upi-{ref}",
            ]
        return [when, "payment", name, rupees(amount), "cash", "", "", "", ""]
    name = rng.choice(owing or people)
    amount = min(rng.randrange(1, 10) * 1000, max(dues[name], 1000))
    if dues[name] >= amount:
        dues[name] -= amount
        return [when[:10], "return", name, rupees(amount), "khata", "", "", "damaged packet", ""]
    return [when[:10], "return", "", rupees(amount), "cash", "", "", "damaged packet", ""]


def write(path: Path, **options) -> int:
    """Write a generated month to `path`; returns the number of data rows."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for row in month_rows(**options):
            writer.writerow(row + [""] * (len(HEADER) - len(row)))
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(HERE / "generated_month.csv"))
    parser.add_argument("--events", type=int, default=2200)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--month", default="2024-09")
    parser.add_argument("--customers", type=int, default=60)
    args = parser.parse_args()
    rows = write(
        Path(args.out),
        events=args.events,
        seed=args.seed,
        month=args.month,
        customers=args.customers,
    )
    print(f"wrote {rows} rows to {args.out}")


if __name__ == "__main__":
    main()
