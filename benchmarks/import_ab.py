"""Old and new `kirana import` of the same file, alternately, and whether they write the same ledger.

Usage:
    python benchmarks/import_ab.py FILE --old OLD_CHECKOUT --new NEW_CHECKOUT --out-dir DIR
        [--pairs 5] [--base LEDGER.db] [--now 2026-01-01T12:00] [-- IMPORT OPTIONS…]

Each pair imports FILE once with each checkout (through PYTHONPATH; the order alternates from
pair to pair, so a busy moment of the machine weighs on both alike), each time into a fresh copy
of `--base` (or a new ledger), under a fixed KIRANA_NOW. Import options after `--` are passed on
(default `--new-customers`; a bank statement: `-- --format bank`). Per run: wall seconds and the
CPU seconds of the command and its worker processes (user + system, from getrusage of the
children), and of the command's own process alone (the import's serial part). Prints a JSON summary: medians, new/old ratios, events appended and events/s.

Then (unless --no-check) the two ledgers are compared: each checkout imports FILE once more
with event ids minted from a counter instead of at random (the only difference two runs of the
same code would have), exports `--format jsonl` with its own code and runs `kirana verify`: the
exports must be the same bytes (same events, payloads and hashes), the stored payload bytes the
same, and verify must report the same head.
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

# `python -c` programs that run the CLI: MAIN_CPU writes the CPU seconds of the command's own
# process (not its workers) to the file named first; FIXED_IDS also mints event ids from a counter.
MAIN_CPU = (
    "import atexit, resource, sys\n"
    "out = sys.argv[1]\n"
    "def report():\n"
    "    used = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    with open(out, 'w') as handle:\n"
    "        handle.write(str(used.ru_utime + used.ru_stime))\n"
    "atexit.register(report)\n"  # forked workers end with os._exit: only the command reports
    "sys.argv = ['kirana', *sys.argv[2:]]\n"
    "from kirana.cli.main import run\n"
    "run()\n"
)
FIXED_IDS = (
    "import itertools, sys\n"
    "from kirana.store import codec\n"
    "counter = itertools.count(1)\n"
    "codec.new_event_ids = lambda count: [f'{next(counter):032x}' for _ in range(count)]\n"
    "sys.argv = ['kirana', *sys.argv[1:]]\n"
    "from kirana.cli.main import run\n"
    "run()\n"
)


def fresh(base: Path | None, db: Path) -> None:
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()
    if base is not None:
        shutil.copyfile(base, db)


def kirana(checkout: Path, args: list[str], env: dict, *, fixed_ids: bool = False,
           main_cpu: Path | None = None):  # fmt: skip
    # -P: the current folder is not put in front of PYTHONPATH (run from a checkout, it would
    # import that checkout's kirana for both sides)
    head = [sys.executable, "-P", "-m", "kirana"]
    if fixed_ids:
        head = [sys.executable, "-P", "-c", FIXED_IDS]
    elif main_cpu is not None:
        head = [sys.executable, "-P", "-c", MAIN_CPU, str(main_cpu)]
    run_env = {**env, "PYTHONPATH": str(checkout)}
    done = subprocess.run([*head, *args], env=run_env, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} ({checkout}): {done.stderr.decode()[-2000:]}")
    return done


def timed(checkout: Path, db: Path, args: list[str], env: dict) -> dict:
    main_cpu = db.with_suffix(".cpu")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    kirana(checkout, ["--db", str(db), "import", *args], env, main_cpu=main_cpu)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": took, "cpu": cpu, "main_cpu": float(main_cpu.read_text())}


def events(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def same_ledger(options, args: list[str], env: dict) -> dict:
    """Each checkout imports with counter ids, exports and verifies; the results compared."""
    found = {}
    for side in ("old", "new"):
        checkout = getattr(options, side)
        db = options.out_dir / f"same-{side}.db"
        fresh(options.base, db)
        kirana(checkout, ["--db", str(db), "import", *args], env, fixed_ids=True)
        export = options.out_dir / f"same-{side}.jsonl"
        export.unlink(missing_ok=True)
        kirana(checkout, ["--db", str(db), "export", "--format", "jsonl", "--out", str(export)],
               env)  # fmt: skip
        verified = kirana(checkout, ["--db", str(db), "verify"], env).stdout.decode()
        conn = sqlite3.connect(db)
        stored = conn.execute("SELECT group_concat(hex(data), ',') FROM events").fetchone()[0]
        conn.close()
        found[side] = (export.read_bytes(), verified, stored)
    old, new = found["old"], found["new"]
    return {
        "export_identical": old[0] == new[0],
        "export_bytes": len(new[0]),
        "stored_payloads_identical": old[2] == new[2],
        "verify_identical": old[1] == new[1],
        "verify_new": new[1].strip().splitlines()[-1] if new[1].strip() else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--new", type=Path, required=True)
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--base", type=Path, help="a ledger to import into (copied each run)")
    parser.add_argument("--now", default="2026-01-01T12:00")
    parser.add_argument("--no-check", action="store_true", help="skip the same-ledger check")
    argv = sys.argv[1:]
    rest = argv[argv.index("--") + 1 :] if "--" in argv else []
    options = parser.parse_args(argv[: len(argv) - len(rest) - (1 if rest else 0)])
    options.out_dir = options.out_dir.resolve()
    options.out_dir.mkdir(parents=True, exist_ok=True)
    args = [str(options.file.resolve()), *(rest or ["--new-customers"])]
    env = {**os.environ, "KIRANA_NOW": options.now}
    env.pop("KIRANA_DB", None)
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    appended = 0
    for pair in range(options.pairs):
        order = ("old", "new") if pair % 2 == 0 else ("new", "old")
        for side in order:
            db = options.out_dir / f"run-{side}.db"
            fresh(options.base, db)
            start = events(db) if options.base else 0
            runs[side].append(timed(getattr(options, side), db, args, env))
            appended = events(db) - start
        print(f"pair {pair + 1}: " + ", ".join(
            f"{side} {runs[side][-1]['wall']:.2f} s wall {runs[side][-1]['cpu']:.2f} s CPU"
            f" ({runs[side][-1]['main_cpu']:.2f} s main)"
            for side in order), file=sys.stderr)  # fmt: skip
    result: dict = {"file": str(options.file), "pairs": options.pairs, "events": appended}
    for figure in ("wall", "cpu", "main_cpu"):
        old = statistics.median(run[figure] for run in runs["old"])
        new = statistics.median(run[figure] for run in runs["new"])
        pairs = [n[figure] / o[figure] for o, n in zip(runs["old"], runs["new"], strict=True)]
        result[f"{figure}_s_old"] = round(old, 3)
        result[f"{figure}_s_new"] = round(new, 3)
        result[f"{figure}_new_over_old"] = round(new / old, 3)
        result[f"{figure}_pair_ratio_median"] = round(statistics.median(pairs), 3)
    result["events_per_s_old"] = round(appended / result["wall_s_old"])
    result["events_per_s_new"] = round(appended / result["wall_s_new"])
    result["cpu_us_per_event_old"] = round(result["cpu_s_old"] / appended * 1e6, 1)
    result["cpu_us_per_event_new"] = round(result["cpu_s_new"] / appended * 1e6, 1)
    if not options.no_check:
        result["same_ledger"] = same_ledger(options, args, env)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
