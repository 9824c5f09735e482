"""Start-up in instructions: how many CPU instructions a counter command runs, against
`python -c "import typer"`, counted by valgrind (cachegrind, no cache simulation).

Usage:
    python benchmarks/instructions.py LEDGER.db --checkout /path/to/checkout [--checkout …]
        [--customer NAME]

On a machine shared with other work, seconds wander by ±30 % from one run to the next; the
instruction count of the same command barely moves (it leaves out the kernel's time: loading
shared libraries, reading files, fsync), so it shows what a change to start-up saves. The
ledger is copied once per checkout (a sale appends to its copy). Each command runs from the
ledger's folder (`python -m` looks in the working folder first). With `--customer NAME`, the
customer's whole statement is counted too (`--format csv`, `--format json`, `--all` on screen),
output piped as ab.py pipes it. Needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

COMMANDS = {
    "import typer": lambda db, other: ["-c", "import typer"],
    "--help": lambda db, other: ["-m", "kirana", "--help"],
    "balance X": lambda db, other: ["-m", "kirana", "--db", str(db), "balance", other],
    "sale --amount 10 --cash": lambda db, other: [
        "-m", "kirana", "--db", str(db), "sale", "-a", "10", "--cash"
    ],
    "pay X 1": lambda db, other: ["-m", "kirana", "--db", str(db), "pay", other, "1"],
}  # fmt: skip
STATEMENTS = {
    "statement --format csv": ["--format", "csv"],
    "statement --format json": ["--format", "json"],
    "statement --all (screen)": ["--all"],
}


def instructions(args: list[str], env: dict, cwd: Path) -> int:
    """Instructions (user space) of `python ARGS`, as valgrind's cachegrind counts them."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        + [sys.executable, *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip()[-500:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--checkout", type=Path, action="append", required=True)
    parser.add_argument("--customer", help="also count this customer's whole statement")
    args = parser.parse_args()
    commands = dict(COMMANDS)
    for label, tail in STATEMENTS.items() if args.customer else ():
        commands[label] = lambda db, other, tail=tail: [
            "-m", "kirana", "--db", str(db), "statement", args.customer, *tail
        ]  # fmt: skip
    conn = sqlite3.connect(args.db)
    other = conn.execute("SELECT name FROM customers ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    counts: dict[str, dict[str, int]] = {}
    for number, checkout in enumerate(args.checkout):
        copy = args.db.with_name(f"{args.db.stem}.count{number}.db")
        shutil.copyfile(args.db, copy)
        env = {**os.environ, "PYTHONPATH": str(checkout.resolve()), "KIRANA_NOW": ""}
        counts[str(checkout)] = {
            label: instructions(build(copy, other), env, copy.parent)
            for label, build in commands.items()
        }
        copy.unlink()
    print(
        "| command | "
        + " | ".join(f"`{c}` instructions (M) | / import typer | / --help" for c in counts)
        + " |"
    )
    print("|---|" + "---:|---:|---:|" * len(counts))
    for label in commands:
        cells = [
            f"{found[label] / 1e6:.1f} | {found[label] / found['import typer']:.2f}×"
            f" | {found[label] / found['--help']:.2f}×"
            for found in counts.values()
        ]
        print(f"| `{label}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
