"""Time the read commands of two checkouts of kirana on the same ledger, alternating runs.

Each checkout gets its own copy of the ledger (a newer kirana may add read-model tables when it
opens it). Prints a Markdown table: the median wall seconds of `--runs` runs per command and
checkout, and their ratio (candidate / baseline). Runs alternate, so a busy machine slows both.

    python benchmarks/compare_reads.py --baseline ../main --candidate . \
        --ledger /tmp/bench/gen-100000.db --month 2025-10 --quarter 2025-Q4
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="checkout to compare against")
    parser.add_argument("--candidate", required=True, help="checkout being measured")
    parser.add_argument("--ledger", required=True, help="a ledger (e.g. from run.py)")
    parser.add_argument("--month", required=True, help="YYYY-MM for report month")
    parser.add_argument("--quarter", required=True, help="YYYY-Qn for report gst")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    commands = {
        "dues --json": ["dues", "--json"],
        "dues --aging --json": ["dues", "--aging", "--json"],
        "report month --format json": ["report", "month", args.month, "--format", "json"],
        "report gst --format json": ["report", "gst", args.quarter, "--format", "json"],
    }
    checkouts = {"baseline": args.baseline, "candidate": args.candidate}
    with tempfile.TemporaryDirectory() as folder:
        ledgers = {}
        for name in checkouts:
            ledgers[name] = Path(folder) / f"{name}.db"
            shutil.copyfile(args.ledger, ledgers[name])
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.runs):
            for label, words in commands.items():
                for name, checkout in checkouts.items():
                    env = {**os.environ, "PYTHONPATH": str(Path(checkout).resolve()),
                           "KIRANA_DB": str(ledgers[name])}  # fmt: skip
                    start = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "kirana", *words], env=env,
                                   check=True, capture_output=True)  # fmt: skip
                    times.setdefault((label, name), []).append(time.perf_counter() - start)
    print("| command | baseline s | candidate s | ratio |")
    print("|---|---:|---:|---:|")
    for label in commands:
        base, cand = (statistics.median(times[(label, n)]) for n in checkouts)
        print(f"| `kirana {label}` | {base:.3f} | {cand:.3f} | {cand / base:.2f} |")


if __name__ == "__main__":
    main()
