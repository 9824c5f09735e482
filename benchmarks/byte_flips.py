"""Flip random bytes of a ~1 MB ledger and run `kirana verify` on each copy.

Not a timed test: a robustness census. For each of N copies one random byte (seeded) is
changed, then `kirana verify` runs as a real process. Each outcome is counted as:
- `crash`: a traceback, or an exit code other than 0/1, or no `Error:`/`PROBLEM` line on exit 1
  (never acceptable);
- `detected-named`: exit 1 with every problem naming an entry (`entry N`), a table or read
  model, SQLite's integrity check, or the file (`Error:` line saying what is wrong);
- `detected-unnamed`: exit 1 but some problem line names nothing (should be 0);
- `unchanged`: exit 0, and a byte-by-byte check shows the flip landed where SQLite keeps no
  live data (free space in a page, an unused page, the unused tail of a cell), so there was
  nothing to detect. `exit 0` with the events or read models really changed is `missed`.

Usage: python benchmarks/byte_flips.py [--flips 300] [--seed 7] [--out-dir /tmp/flips]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMED = re.compile(
    r"entry \d+|read model|table|index|trigger|view|integrity_check|quick_check|SQLite|"
    r"customer \d+|schema object|not a finished ledger|not a kirana ledger|damaged|ledger file"
)


def make_ledger(folder: Path, events: int) -> Path:
    """A ledger of about 1 MB: the generator's CSV imported (plus a merge and a void)."""
    csv_file = folder / "rows.csv"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--events",
            str(events),
            "--out",
            str(csv_file),
        ],
        check=True,
        capture_output=True,
    )
    db = folder / "ledger.db"
    run = {**os.environ, "KIRANA_DB": str(db)}
    subprocess.run(
        [sys.executable, "-m", "kirana", "import", str(csv_file), "--new-customers"],
        check=True,
        capture_output=True,
        env=run,
    )
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def dump(db: Path) -> list | None:
    """Everything a flip could change that matters: every table's rows (None if unreadable)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        conn.text_factory = bytes
        try:
            tables = [
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            schema = list(conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name"))
            rows = [sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables]
            return [schema, *rows]
        finally:
            conn.close()
    except (sqlite3.Error, ValueError):
        return None  # unreadable: certainly changed


def classify(result: subprocess.CompletedProcess, changed: bool) -> str:
    text = result.stdout + result.stderr
    if "Traceback" in text or result.returncode not in (0, 1):
        return "crash"
    if result.returncode == 0:
        return "missed" if changed else "unchanged"
    if "Error: unexpected" in text:
        return "crash"  # the CLI's last-resort message for an exception it did not expect
    lines = [
        line
        for line in text.splitlines()
        if line.startswith(("PROBLEM", "Error:")) and not line.startswith("Error: verify found")
    ]
    if not lines:
        return "crash"
    return "detected-named" if all(NAMED.search(line) for line in lines) else "detected-unnamed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flips", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--events", type=int, default=2500, help="rows imported (~1 MB at 2500)")
    parser.add_argument("--out-dir", type=Path, default=Path("/tmp/kirana-flips"))
    args = parser.parse_args()
    shutil.rmtree(args.out_dir, ignore_errors=True)
    args.out_dir.mkdir(parents=True)
    original = make_ledger(args.out_dir, args.events)
    pristine = dump(original)
    size = original.stat().st_size
    print(f"ledger: {size:,} bytes; {args.flips} flips, seed {args.seed}")
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for number in range(args.flips):
        copy = args.out_dir / "flipped.db"
        shutil.copyfile(original, copy)
        for companion in ("-wal", "-shm", ".lock"):
            Path(f"{copy}{companion}").unlink(missing_ok=True)
        offset = rng.randrange(size)
        with open(copy, "r+b") as handle:
            handle.seek(offset)
            old = handle.read(1)[0]
            handle.seek(offset)
            handle.write(bytes([old ^ (1 << rng.randrange(8))]))
        changed = dump(copy) != pristine
        result = subprocess.run(
            [sys.executable, "-m", "kirana", "verify"],
            check=False,
            capture_output=True,
            text=True,
            env={**os.environ, "KIRANA_DB": str(copy)},
            timeout=120,
        )
        outcome = classify(result, changed)
        counts[outcome] += 1
        if outcome in ("crash", "missed", "detected-unnamed") or len(examples.get(outcome, [])) < 3:
            first = (result.stdout + result.stderr).strip().splitlines()[-3:]
            examples.setdefault(outcome, []).append(f"flip {number} @ {offset}: {first}")
    print("| outcome | flips |\n|---|---|")
    for outcome in ("detected-named", "unchanged", "detected-unnamed", "missed", "crash"):
        print(f"| {outcome} | {counts[outcome]} |")
    for outcome, lines in examples.items():
        print(f"\n{outcome}:")
        for line in lines[:10]:
            print("  " + line)


if __name__ == "__main__":
    main()
