"""Milliseconds per command: `kirana shell` (one process, the ledger opened once) against a new
`kirana` process per command, on the same generated ledger and the same commands.

Usage:
    python benchmarks/shell.py --events 10000 --commands 60 --runs 5 --out-dir /tmp/shellbench

A ledger of --events generated rows (benchmarks/generate.py, imported with `kirana import`) gets
the same --commands commands both ways, taken in turn within each run: reads (balance, dues,
statement, log) and writes (a credit sale, a payment) of the counter's day. Shell: the wall time
of one `kirana shell` fed a warm-up (one command of each kind) then the commands, less that of
a shell fed only the warm-up (start-up and first imports), divided by the commands; also given
whole (the whole shell's time over all the commands it ran). Process: the
wall time of the commands run one `kirana` process each, divided by the commands. Each figure
is the median over --runs runs; the ratio is of the medians. Results also go to shell.json in
--out-dir.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def kirana_bin() -> list[str]:
    script = Path(sys.executable).with_name("kirana")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kirana"]


def commands(names: list[str], count: int) -> list[list[str]]:
    """The counter's mix, cycling through the customers."""
    shapes = (
        lambda n: ["balance", n],
        lambda n: ["dues", "--json"],
        lambda n: ["sale", n, "--amount", "10", "--credit"],
        lambda n: ["statement", n, "--format", "json"],
        lambda n: ["pay", n, "5", "--cash"],
        lambda n: ["log", "--last", "5"],
    )
    return [shapes[i % len(shapes)](names[i % len(names)]) for i in range(count)]


def run_shell(lines: list[list[str]], env: dict) -> float:
    import shlex

    script = "".join(shlex.join(words) + "\n" for words in lines)
    start = time.perf_counter()
    done = subprocess.run(
        [*kirana_bin(), "shell"], check=False, input=script, capture_output=True, text=True, env=env
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"kirana shell failed: {done.stderr.strip()}")
    return wall


def run_processes(lines: list[list[str]], env: dict) -> float:
    start = time.perf_counter()
    for words in lines:
        done = subprocess.run(
            [*kirana_bin(), *words], check=False, capture_output=True, text=True, env=env
        )
        if done.returncode != 0:
            raise RuntimeError(f"kirana {' '.join(words)} failed: {done.stderr.strip()}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--commands", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out-dir", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = args.out_dir / f"shell-{args.events}.csv"
    db = args.out_dir / f"shell-{args.events}.db"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIRANA_")}
    env.update(KIRANA_DB=str(db), KIRANA_USER="bench", NO_COLOR="1")
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--events", str(args.events), "--out", str(csv_path)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*kirana_bin(), "import", str(csv_path), "--new-customers"],
        check=True,
        capture_output=True,
        env=env,
    )
    listed = subprocess.run(
        [*kirana_bin(), "customer", "list", "--json"], check=True, capture_output=True, env=env
    )
    names = [row["customer"] for row in json.loads(listed.stdout)["customers"]][:12]
    lines = commands(names, args.commands)

    warm_up = commands(names, 6)
    shell_ms, shell_whole_ms, process_ms, startup_ms = [], [], [], []
    for _ in range(args.runs):
        empty = run_shell([], env)
        warm = run_shell(warm_up, env)
        whole = run_shell(warm_up + lines, env)
        apart = run_processes(lines, env)
        startup_ms.append(empty * 1000)
        shell_whole_ms.append(whole * 1000 / (len(warm_up) + len(lines)))
        shell_ms.append(max(whole - warm, 0) * 1000 / len(lines))
        process_ms.append(apart * 1000 / len(lines))
    result = {
        "events": args.events,
        "commands": len(lines),
        "runs": args.runs,
        "shell_ms_per_command": round(statistics.median(shell_ms), 2),
        "shell_ms_per_command_with_startup": round(statistics.median(shell_whole_ms), 2),
        "shell_startup_ms": round(statistics.median(startup_ms), 1),
        "process_ms_per_command": round(statistics.median(process_ms), 2),
    }
    shell_each = result["shell_ms_per_command"]
    result["ratio"] = (
        round(result["process_ms_per_command"] / shell_each, 1) if shell_each else None
    )
    (args.out_dir / "shell.json").write_text(json.dumps(result, indent=2) + "\n")
    print("| figure | median ms |")
    print("|---|---:|")
    print(f"| `kirana shell`, per command (once warm) | {result['shell_ms_per_command']} |")
    print(
        f"| `kirana shell`, per command, start-up and first imports included"
        f" ({len(warm_up) + len(lines)} commands)"
        f" | {result['shell_ms_per_command_with_startup']} |"
    )
    print(f"| `kirana shell` start-up (an empty script) | {result['shell_startup_ms']} |")
    print(f"| a `kirana` process per command | {result['process_ms_per_command']} |")
    print(f"| ratio (process / shell) | {result['ratio']}× |")


if __name__ == "__main__":
    main()
