"""A statement's render alone, in-process: the time from its lines (already read) to the output.

Usage:
    python benchmarks/statement_render.py LEDGER.db CUSTOMER --old CHECKOUT --new CHECKOUT
        [--rounds 7] [--instructions]

After a warm-up round, each round runs, for each checkout in turn (through PYTHONPATH), a
child process that reads the customer's whole page into a list (not timed), then times
writing it to /dev/null as the command does: `--format csv` and `--format json` through cli.emit.emit, and `--all` on screen
through reports.render_table.stream_statement at 160 columns, in CPU seconds of the process
(time.process_time: steadier than wall time on a shared machine). The cyclic collector is
paused as the command pauses it. Each side reads its own copy of the ledger (LEDGER.old.db and
LEDGER.new.db beside it, as benchmarks/ab.py makes them: newer code may add read models).
Prints the median CPU milliseconds of each, old and new, and new/old. With --instructions,
each render's instructions instead (valgrind: one child per form, less one that renders
nothing), which do not move with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

FORMS = ("csv", "json", "all")


def child(db: Path, customer: str, forms: tuple[str, ...]) -> None:
    """One round of the checkout on PYTHONPATH: prints {form: seconds} as JSON (`forms` empty:
    the page is read and nothing rendered, the baseline of --instructions)."""
    import gc
    import io

    from kirana.cli.emit import emit
    from kirana.ledger import open_ledger
    from kirana.reports.render_table import stream_statement
    from kirana.reports.statement import statement_report

    sink = open(os.devnull, "wb")  # noqa: SIM115 - open for the whole round
    out = io.TextIOWrapper(sink, encoding="utf-8", write_through=False)
    sys.stdout = out
    figures = {}
    with open_ledger(db, create=False) as ledger:
        for form in forms or ("none",):
            report = statement_report(ledger, customer)  # every line read, not timed
            gc.disable()
            start = time.process_time()
            if form == "all":
                stream_statement(report, sys.stdout, 160)
            elif form != "none":
                emit(report, form, None)
            sys.stdout.flush()
            figures[form] = time.process_time() - start
            gc.enable()
    sys.stdout = sys.__stdout__
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("customer")
    parser.add_argument("--old", type=Path)
    parser.add_argument("--new", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count each render's instructions with valgrind instead (one run each)",
    )
    parser.add_argument("--child", nargs="*", choices=FORMS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.db, args.customer, tuple(args.child))
        return
    if not (args.old and args.new):
        parser.error("--old and --new are needed")
    sides = {}
    for side, checkout in (("old", args.old), ("new", args.new)):
        copy = args.db.resolve().with_name(f"{args.db.stem}.{side}.db")
        shutil.copyfile(args.db, copy)
        sides[side] = (copy, {**os.environ, "PYTHONPATH": str(checkout.resolve())})
    if args.instructions:
        counted(sides, args.customer)
        return
    runs: dict[tuple[str, str], list[float]] = {}
    for round_no in range(args.rounds + 1):  # round 0 warms up (and brings each copy up to date)
        for side, (copy, env) in sides.items():
            done = subprocess.run(
                [sys.executable, __file__, str(copy), args.customer, "--child", *FORMS],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=copy.parent,
            )
            for form, took in json.loads(done.stdout).items():
                if round_no:
                    runs.setdefault((form, side), []).append(took)
    print(f"median of {args.rounds} rounds, {args.customer!r}: the render's CPU ms (process_time)")
    print("| output | old ms | new ms | new/old |")
    print("|---|---:|---:|---:|")
    for form in FORMS:
        old = statistics.median(runs[(form, "old")]) * 1e3
        new = statistics.median(runs[(form, "new")]) * 1e3
        label = "--all (screen)" if form == "all" else f"--format {form}"
        print(f"| `{label}` | {old:.1f} | {new:.1f} | {new / old:.2f} |")


def counted(sides: dict, customer: str) -> None:
    """Each render's instructions (valgrind's cachegrind): a child reading the page and
    rendering one form, less a child reading it and rendering nothing."""
    import re

    def count(copy: Path, env: dict, forms: list[str]) -> int:
        done = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
            + [sys.executable, __file__, str(copy), customer, "--child", *forms],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=copy.parent,
        )
        return int(re.search(r"I\s+refs:\s+([\d,]+)", done.stderr).group(1).replace(",", ""))

    found = {}
    for side, (copy, env) in sides.items():
        subprocess.run(  # a first open may bring the ledger up to that code's version: not counted
            [sys.executable, __file__, str(copy), customer, "--child"],
            env=env,
            capture_output=True,
            check=True,
            cwd=copy.parent,
        )
        base = count(copy, env, [])
        for form in FORMS:
            found[(form, side)] = (count(copy, env, [form]) - base) / 1e6
    print(f"{customer!r}: the render's instructions (M), page already read")
    print("| output | old M | new M | new/old |")
    print("|---|---:|---:|---:|")
    for form in FORMS:
        old, new = found[(form, "old")], found[(form, "new")]
        label = "--all (screen)" if form == "all" else f"--format {form}"
        print(f"| `{label}` | {old:.0f} | {new:.0f} | {new / old:.2f} |")


if __name__ == "__main__":
    main()
