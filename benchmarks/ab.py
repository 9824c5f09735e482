"""Old and new kirana side by side: each command run by both, alternately, in the same rounds.

Usage:
    python benchmarks/ab.py LEDGER.db --old /path/to/old/checkout --new /path/to/new/checkout
        [--rounds 5] [--out results.json] [--only 'dues --aging' remind] [--customer NAME]
    python benchmarks/ab.py LEDGER.db --installed --old /path/to/old/venv --new /path/to/new/venv

Every round runs, for each command, the old code then the new one (each through PYTHONPATH,
so `kirana` is whichever checkout is named), plus `python -c "import typer"` and
`kirana --help` of each: a busy moment of the machine weighs on both alike. The ledger is
copied once per side (a command that appends writes only its own side's copy; the new code
may add read models to its copy when it opens it). Prints a Markdown table of medians (after
one warm-up round) with new/old and each figure's ratio to its own side's `--help` and to
`import typer`, then the same for CPU seconds (user + system of each command): on a machine
busy with other work, wall time mostly measures the neighbours. The statements are of the
customer with the most entries, or of `--customer NAME`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path


def busiest(db: Path) -> tuple[str, str, str, str]:
    """(the customer with the most entries, another customer, the last month with sales, the
    month in the middle of the days with sales)."""
    conn = sqlite3.connect(db)
    try:
        name = conn.execute(
            "SELECT c.name FROM entries e JOIN customers c ON c.id = e.customer_id"
            " GROUP BY e.customer_id ORDER BY count(*) DESC, c.name LIMIT 1"
        ).fetchone()[0]
        other = conn.execute("SELECT name FROM customers ORDER BY id LIMIT 1").fetchone()[0]
        month = conn.execute("SELECT max(substr(day, 1, 7)) FROM daily_sales").fetchone()[0]
        middle = conn.execute(
            "SELECT substr(day, 1, 7) FROM daily_sales ORDER BY day LIMIT 1 OFFSET"
            " (SELECT count(*) / 2 FROM daily_sales)"
        ).fetchone()[0]
    finally:
        conn.close()
    return name, other, month, middle


def wall(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of the command and its workers). `cwd` is
    the ledger's folder: `python -m` puts the working folder first on the path, so run from a
    checkout both sides would import that checkout's kirana."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.decode().strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def installed(cmd: list[str], venv: Path) -> list[str]:
    """`cmd` as an installed build runs it: the venv's `kirana` script for `python -m kirana`
    (compiled at install, started as a shopkeeper starts it), the venv's python for the rest."""
    if cmd[:3] == [sys.executable, "-m", "kirana"]:
        return [str(venv / "bin" / "kirana"), *cmd[3:]]
    return [str(venv / "bin" / "python"), *cmd[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--old", type=Path, required=True, help="checkout of the old code")
    parser.add_argument("--new", type=Path, required=True, help="checkout of the new code")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--installed", action="store_true", help="--old and --new are venvs kirana is installed in"
    )
    parser.add_argument("--heavy", action="store_true", help="also rebuild and export")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--customer", help="time the statements of this customer (default: the busiest)"
    )
    parser.add_argument(
        "--only", nargs="+", metavar="LABEL",
        help="time only these commands (labels as in the table, e.g. 'dues --aging' remind);"
        " `import typer` and `--help` are always timed",
    )  # fmt: skip
    args = parser.parse_args()
    args.db = args.db.resolve()
    name, other, month, middle = busiest(args.db)
    name = args.customer or name
    sides = {}
    for side, checkout in (("old", args.old), ("new", args.new)):
        copy = args.db.with_name(f"{args.db.stem}.{side}.db")
        shutil.copyfile(args.db, copy)
        env = {**os.environ, "PYTHONPATH": str(checkout.resolve()), "KIRANA_NOW": ""}
        if args.installed:
            del env["PYTHONPATH"]
        sides[side] = (copy, env, checkout.resolve())
    kirana = [sys.executable, "-m", "kirana"]
    commands = {
        "import typer": lambda db: [sys.executable, "-c", "import typer"],
        "--help": lambda db: [*kirana, "--help"],
        "balance X": lambda db: [*kirana, "--db", str(db), "balance", other],
        "sale --amount 10 --cash": lambda db: [*kirana, "--db", str(db), "sale", "-a", "10", "--cash"],
        "pay X 1": lambda db: [*kirana, "--db", str(db), "pay", other, "1"],
        "statement (screen)": lambda db: [*kirana, "--db", str(db), "statement", name],
        "statement --format csv": lambda db: [
            *kirana, "--db", str(db), "statement", name, "--format", "csv"
        ],
        "statement --format json": lambda db: [
            *kirana, "--db", str(db), "statement", name, "--format", "json"
        ],
        "statement --all (screen)": lambda db: [*kirana, "--db", str(db), "statement", name, "--all"],
        "dues --aging": lambda db: [*kirana, "--db", str(db), "dues", "--aging"],
        "remind": lambda db: [*kirana, "--db", str(db), "remind"],
        "dues --aging --json": lambda db: [*kirana, "--db", str(db), "dues", "--aging", "--json"],
        "remind --json": lambda db: [*kirana, "--db", str(db), "remind", "--json"],
        "balance (everyone)": lambda db: [*kirana, "--db", str(db), "balance"],
        "balance --json (everyone)": lambda db: [*kirana, "--db", str(db), "balance", "--json"],
        "dues": lambda db: [*kirana, "--db", str(db), "dues"],
        "log --last 1000": lambda db: [*kirana, "--db", str(db), "log", "--last", "1000"],
        "report month --format json": lambda db: [
            *kirana, "--db", str(db), "report", "month", month, "--format", "json"
        ],
        "report month (screen)": lambda db: [*kirana, "--db", str(db), "report", "month", month],
        "report month MIDDLE --format json": lambda db: [
            *kirana, "--db", str(db), "report", "month", middle, "--format", "json"
        ],
        "report month MIDDLE (screen)": lambda db: [
            *kirana, "--db", str(db), "report", "month", middle
        ],
    }  # fmt: skip
    if args.heavy:
        out = args.db.with_suffix(".ab.jsonl")
        commands["export --format jsonl"] = lambda db: [
            *kirana, "--db", str(db), "export", "--format", "jsonl", "--out", str(out)
        ]  # fmt: skip
        commands["rebuild"] = lambda db: [*kirana, "--db", str(db), "rebuild"]
    if args.only:
        unknown = set(args.only) - set(commands)
        if unknown:
            parser.error(f"no such command label: {', '.join(sorted(unknown))}")
        keep = {"import typer", "--help", *args.only}
        commands = {label: build for label, build in commands.items() if label in keep}
    times: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}
    for round_no in range(args.rounds + 1):
        for label, build in commands.items():
            for side, (db, env, checkout) in sides.items():
                cmd = installed(build(db), checkout) if args.installed else build(db)
                took, cpu = wall(cmd, env, db.parent)
                if round_no:
                    times.setdefault((label, side), []).append(took)
                    cpus.setdefault((label, side), []).append(cpu)
        print(f"round {round_no} done", file=sys.stderr)
    med = {key: statistics.median(values) for key, values in times.items()}
    cpu_med = {key: statistics.median(values) for key, values in cpus.items()}
    rows = [
        "| command | old s | new s | new/old | old / --help | new / --help | new / import typer |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label in commands:
        old, new = med[(label, "old")], med[(label, "new")]
        rows.append(
            f"| `{label}` | {old:.3f} | {new:.3f} | {new / old:.2f} |"
            f" {old / med[('--help', 'old')]:.2f}× | {new / med[('--help', 'new')]:.2f}× |"
            f" {new / med[('import typer', 'new')]:.2f}× |"
        )
    print(
        f"median of {args.rounds} rounds; statement of {name!r}; month {month}; MIDDLE = {middle}"
    )
    print("\n".join(rows))
    print()
    print("CPU seconds (user + system of the command), the steadier figure on a busy machine:")
    print()
    print("| command | old CPU s | new CPU s | new/old | new / --help | new / import typer |")
    print("|---|---:|---:|---:|---:|---:|")
    for label in commands:
        old, new = cpu_med[(label, "old")], cpu_med[(label, "new")]
        print(
            f"| `{label}` | {old:.3f} | {new:.3f} | {new / old:.2f} |"
            f" {new / cpu_med[('--help', 'new')]:.2f}× |"
            f" {new / cpu_med[('import typer', 'new')]:.2f}× |"
        )
    if args.out:
        figures = {f"{k[0]}|{k[1]}": v for k, v in med.items()}
        figures |= {f"{k[0]}|{k[1]}|cpu": v for k, v in cpu_med.items()}
        args.out.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
