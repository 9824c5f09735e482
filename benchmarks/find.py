"""`kirana find` with the old code (a scan of every payload) and the new (the find index), side by
side, in the same rounds.

Usage:
    python benchmarks/find.py LEDGER.db --old /path/to/old/checkout --new /path/to/new/checkout
        [--rounds 5]

The ledger (e.g. one `benchmarks/generate.py` + `kirana import` made) is copied once per side;
the new side's first command opens its copy and so runs the find index's migration, timed on
its own. Then every round runs each `find` with the old code, then the new (each through
PYTHONPATH), and prints a Markdown table of medians with new/old. The needles: a UTR of an
entry near the start (a scan reads the whole log), a customer's exact name (spread over the
log), a note many voids carry (the newest 50 are near the end), an amount, an item name, text
no entry has (of three letters, and of two: shorter than the trigram index holds).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path


def pick(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        first_ref = conn.execute(
            "SELECT reference FROM entry_references ORDER BY seq LIMIT 1"
        ).fetchone()[0]
        name = conn.execute("SELECT name FROM customers ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    return {
        "an old UTR (whole log)": first_ref[3:],
        "a customer's name": name,
        "a note of many voids": "entered in error",
        "an amount (123.45)": "123.45",
        "an item (dal)": "dal",
        "no match (3+ letters)": "qqxq",
        "no match (2 letters)": "qx",
    }


def wall(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.decode().strip()}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--old", type=Path, required=True, help="checkout of the old code")
    parser.add_argument("--new", type=Path, required=True, help="checkout of the new code")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    needles = pick(args.db)
    kirana = [sys.executable, "-m", "kirana"]
    sides = {}
    for side, checkout in (("old", args.old), ("new", args.new)):
        copy = args.db.with_name(f"{args.db.stem}.find-{side}.db")
        shutil.copyfile(args.db, copy)
        env = {**os.environ, "PYTHONPATH": str(checkout.resolve()), "KIRANA_NOW": ""}
        sides[side] = (copy, env)
    copy, env = sides["new"]
    first = wall([*kirana, "--db", str(copy), "find", "qqxq"], env)
    print(f"new side's first open (migration 014_find_index included): {first:.2f} s")
    times: dict[tuple[str, str], list[float]] = {}
    for round_no in range(args.rounds + 1):
        for label, needle in needles.items():
            for side, (db, env) in sides.items():
                took = wall([*kirana, "--db", str(db), "find", needle, "--json"], env)
                if round_no:  # round 0 warms the page cache
                    times.setdefault((label, side), []).append(took)
        print(f"round {round_no} done", file=sys.stderr)
    med = {key: statistics.median(values) for key, values in times.items()}
    print(f"median of {args.rounds} rounds, `kirana find TEXT --json` (whole command)")
    print("| find | text | old s | new s | new/old |")
    print("|---|---|---:|---:|---:|")
    for label, needle in needles.items():
        old, new = med[(label, "old")], med[(label, "new")]
        print(f"| {label} | `{needle}` | {old:.3f} | {new:.3f} | {new / old:.3f} |")


if __name__ == "__main__":
    main()
