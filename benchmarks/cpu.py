"""CPU seconds of one kirana command run in-process (best of --runs), without start-up.

Usage:
    PYTHONPATH=CHECKOUT python benchmarks/cpu.py LEDGER.db [--runs 3] -- rebuild
    PYTHONPATH=CHECKOUT python benchmarks/cpu.py LEDGER.db -- export --format jsonl --out F

On a machine shared with other work, wall time mostly measures the neighbours; the CPU time
of this process (time.process_time: a worker process a command starts is not counted) is the
steadier figure for per-event costs. The first run also pays the imports; the best of the
runs does not.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    from kirana.cli.main import main as kirana

    command = [word for word in args.command if word != "--"]
    best = float("inf")
    for _ in range(args.runs):
        start = time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):
            kirana(["--db", args.db, *command])
        best = min(best, time.process_time() - start)
    print(f"{' '.join(command)}: {best:.3f} s CPU (best of {args.runs}, in-process)")


if __name__ == "__main__":
    main()
