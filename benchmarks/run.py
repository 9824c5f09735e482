"""Measure every SPEC §7 figure on generated ledgers and print a Markdown table.

Usage:
    python benchmarks/run.py --sizes 10000,100000,1000000 --runs 3 [--journals]

For each size: generate the CSV (benchmarks/generate.py), import it into a fresh ledger
(`kirana import`, whole command, peak RSS of it and its worker processes), then time one customer's balance as
of random moments in-process (p50/p95 over 1,000 queries), `dues` for everyone, the month and
GST reports, `verify`, bytes per event, and the wall time of `kirana --help` and
`kirana balance X`. Every figure is the median of --runs runs. With --journals, the ledger is
also exported as a journal and `hledger bal` / `ledger bal` at a date are timed against
`kirana balance --as-of` on the same data. With --views, the views a shopkeeper opens (the
statement of the customer with the most entries, `dues --aging`, `remind`, `balance` for
everyone, `log`), `rebuild`, `export` and the counter commands (`balance X`, `sale`, `pay`)
are timed round-robin together with `kirana --help` and `python -c "import typer"` (the
start-up floor), and each is also given as a ratio to `--help` measured in the same rounds.
Results also go to benchmarks/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
KIRANA = [sys.executable, "-m", "kirana"]


def kirana_bin() -> list[str]:
    """The installed console script, as a user runs it (falls back to python -m kirana)."""
    script = Path(sys.executable).with_name("kirana")
    return [str(script)] if script.exists() else KIRANA


def timed(cmd: list[str]) -> float:
    """Wall seconds of one whole command (it must succeed)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return wall


def timed_rss(cmd: list[str]) -> tuple[float, float, str]:
    """Like timed(), but also the peak memory of the command with its worker processes: the
    largest sum of their resident sets (VmRSS, sampled every 20 ms from /proc; pages a forked
    worker shares with its parent count twice, so this errs high), and never below the
    child's own peak (wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak_kb = [0]
    sampler = threading.Thread(target=_sample_tree_rss, args=(proc, peak_kb), daemon=True)
    sampler.start()
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {err.decode().strip()}")
    return wall, max(usage.ru_maxrss, peak_kb[0]) / 1024, out.decode()


def _sample_tree_rss(proc: subprocess.Popen, peak_kb: list[int]) -> None:
    while proc.returncode is None:
        peak_kb[0] = max(peak_kb[0], sum(_rss_kb(pid) for pid in _tree(proc.pid)))
        time.sleep(0.02)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(child) for child in children)
    return pids


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def median(values: list[float]) -> float:
    return statistics.median(values)


def generate(size: int, csv_path: Path) -> dict:
    if not csv_path.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                "--events",
                str(size),
                "--out",
                str(csv_path),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return {"csv_bytes": csv_path.stat().st_size}


def import_ledger(csv_path: Path, db: Path, runs: int) -> dict:
    walls, rss = [], []
    for _ in range(runs):
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        wall, peak, _ = timed_rss(
            [*kirana_bin(), "--db", str(db), "import", str(csv_path), "--new-customers"]
        )
        walls.append(wall)
        rss.append(peak)
    return {"import_s": median(walls), "import_peak_rss_mb": median(rss)}


def in_process_queries(db: Path, runs: int) -> dict:
    from kirana import dates, queries
    from kirana.ledger import open_ledger

    rng = random.Random(11)
    with open_ledger(db, create=False) as ledger:
        ids = [cid for (cid,) in ledger.conn.execute("SELECT id FROM customers")]
        first, last = ledger.conn.execute(
            "SELECT min(substr(occurred_at,1,10)), max(substr(occurred_at,1,10)) FROM events"
        ).fetchone()
        from datetime import date, timedelta

        start, end = date.fromisoformat(first), date.fromisoformat(last)
        span = (end - start).days or 1
        p50s, p95s = [], []
        for _ in range(runs):
            samples = []
            for _ in range(1000):
                cid = rng.choice(ids)
                bound = dates.as_of_bound_for_day(start + timedelta(days=rng.randrange(span + 1)))
                t = time.perf_counter()
                queries.balance(ledger.conn, cid, as_of=bound)
                samples.append((time.perf_counter() - t) * 1000)
            samples.sort()
            p50s.append(samples[499])
            p95s.append(samples[949])
        dues_times = []
        for _ in range(runs):
            bound = dates.as_of_bound_for_day(start + timedelta(days=span // 2))
            t = time.perf_counter()
            queries.all_balances(ledger.conn, as_of=bound)
            dues_times.append(time.perf_counter() - t)
        events = ledger.event_count()
        customer = ledger.conn.execute("SELECT name FROM customers ORDER BY id LIMIT 1").fetchone()[
            0
        ]
    return {
        "balance_as_of_p50_ms": median(p50s),
        "balance_as_of_p95_ms": median(p95s),
        "dues_as_of_in_process_s": median(dues_times),
        "events": events,
        "customer": customer,
        "last_day": last,
    }


def commands(db: Path, info: dict, runs: int) -> dict:
    base = [*kirana_bin(), "--db", str(db)]
    month = info["last_day"][:7]
    quarter = f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    timings = {
        "dues_cmd_s": [*base, "dues", "--json"],
        "month_report_s": [*base, "report", "month", month, "--format", "json"],
        "gst_report_s": [*base, "report", "gst", quarter, "--format", "json"],
        "verify_s": [*base, "verify"],
        "help_s": [*kirana_bin(), "--help"],
        "balance_cmd_s": [*base, "balance", info["customer"], "--as-of", info["last_day"]],
    }
    results = {}
    for name, cmd in timings.items():
        walls = []
        for _ in range(max(runs, 5) if name in ("help_s", "balance_cmd_s") else runs):
            try:
                walls.append(timed(cmd))
            except RuntimeError as exc:
                print(f"  {name}: {exc}", file=sys.stderr)
                break
        results[name] = median(walls) if walls else None
    return results


def journals(db: Path, info: dict, runs: int) -> dict:
    """hledger / ledger-cli vs kirana: one customer's balance at a date, whole command."""
    results: dict = {}
    base = [*kirana_bin(), "--db", str(db)]
    journal = db.with_suffix(".journal")
    subprocess.run(
        [*base, "export", "--format", "ledger", "--out", str(journal)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    day = info["last_day"]
    from kirana.io.journals import customer_accounts
    from kirana.ledger import open_ledger

    with open_ledger(db, create=False) as ledger:
        account = customer_accounts(ledger)[info["customer"].lower()]
    cmds = {"kirana_s": [*base, "balance", info["customer"], "--as-of", day]}
    if shutil.which("hledger") and account:
        cmds["hledger_s"] = ["hledger", "-f", str(journal), "bal", account, "-e", day]
    if shutil.which("ledger") and account:
        cmds["ledger_s"] = ["ledger", "-f", str(journal), "bal", account, "--end", day]
    for name, cmd in cmds.items():
        results[name] = median([timed(cmd) for _ in range(runs)])
    for tool in ("hledger_s", "ledger_s"):
        if tool in results:
            results[tool.replace("_s", "_ratio")] = results[tool] / results["kirana_s"]
    return results


def busiest_customer(db: Path) -> tuple[str, int]:
    """The customer with the most khata entries, and how many."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT c.name, count(*) FROM entries e JOIN customers c ON c.id = e.customer_id"
            " GROUP BY e.customer_id ORDER BY count(*) DESC, c.name LIMIT 1"
        ).fetchone()
    finally:
        conn.close()


def customer_near(db: Path, entries: int) -> tuple[str, int]:
    """The customer whose number of khata entries is nearest `entries`, and that number."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT c.name, count(*) AS n FROM entries e JOIN customers c ON c.id = e.customer_id"
            " GROUP BY e.customer_id ORDER BY abs(count(*) - ?), c.name LIMIT 1",
            (entries,),
        ).fetchone()
    finally:
        conn.close()


def supports(cmd: list[str], flag: str) -> bool:
    """Whether this kirana's command accepts `flag` (the before/after runs differ)."""
    proc = subprocess.run([*cmd, "--help"], capture_output=True, text=True, check=False)
    return flag in proc.stdout


def round_robin(cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall seconds of each command, run in turn `runs` times (one of each per round,
    so a busy moment of the machine weighs on every figure alike), after one warm-up round."""
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    for round_no in range(runs + 1):
        for name, cmd in cmds.items():
            try:
                wall = timed(cmd)
            except RuntimeError as exc:
                print(f"  {name}: {exc}", file=sys.stderr)
                continue
            if round_no:
                walls[name].append(wall)
    return {name: median(values) for name, values in walls.items() if values}


def views(db: Path, info: dict, runs: int) -> dict:
    """The views a shopkeeper opens many times a day, rebuild, export and the counter commands,
    each with its ratio to `kirana --help` and to `python -c "import typer"` timed in the same
    rounds (three groups of rounds: views, rebuild and export, the commands that append)."""
    base = [*kirana_bin(), "--db", str(db)]
    busiest, entries = busiest_customer(db)
    near_20k, entries_20k = customer_near(db, 20_000)
    export_to = db.with_suffix(".export.jsonl")
    floors = {
        "typer_floor_s": [sys.executable, "-c", "import typer"],
        "help_s": [*kirana_bin(), "--help"],
    }
    cmds = {
        "balance_x_s": [*base, "balance", info["customer"]],
        "statement_s": [*base, "statement", busiest],
        "statement_csv_s": [*base, "statement", busiest, "--format", "csv"],
        "aging_s": [*base, "dues", "--aging"],
        "remind_s": [*base, "remind"],
        "balance_all_s": [*base, "balance"],
        "balance_all_json_s": [*base, "balance", "--json"],
        "dues_table_s": [*base, "dues"],
        "log_1000_s": [*base, "log", "--last", "1000"],
        "month_table_s": [*base, "report", "month", info["last_day"][:7]],
        "statement_20k_csv_s": [*base, "statement", near_20k, "--format", "csv"],
        "statement_20k_json_s": [*base, "statement", near_20k, "--format", "json"],
    }
    if supports([*base, "statement"], "--all"):
        cmds["statement_all_s"] = [*base, "statement", busiest, "--all"]
        cmds["statement_20k_all_s"] = [*base, "statement", near_20k, "--all"]
    heavy = {
        "rebuild_s": [*base, "rebuild"],
        "export_s": [*base, "export", "--format", "jsonl", "--out", str(export_to)],
    }
    writes = db.with_suffix(".writes.db")  # the counter commands that append, on a copy
    shutil.copyfile(db, writes)
    wbase = [*kirana_bin(), "--db", str(writes)]
    appends = {
        "sale_s": [*wbase, "sale", "--amount", "10", "--cash"],
        "pay_s": [*wbase, "pay", info["customer"], "1"],
    }
    results: dict = {"statement_entries": entries, "statement_20k_entries": entries_20k}
    for group in (cmds, heavy, appends):
        timed_group = round_robin({**floors, **group}, runs)
        for name, wall in timed_group.items():
            results.setdefault(name, wall)
            if name not in floors:
                results[name[:-2] + "_x_help"] = wall / timed_group["help_s"]
                results[name[:-2] + "_x_typer"] = wall / timed_group["typer_floor_s"]
    export_to.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(writes) + suffix).unlink(missing_ok=True)
    events = info["events"]
    results["rebuild_us_per_event"] = results["rebuild_s"] / events * 1e6
    results["export_us_per_event"] = results["export_s"] / events * 1e6
    return results


def run(
    size: int,
    runs: int,
    with_journals: bool,
    out: Path,
    with_views: bool = False,
    reuse: bool = False,
) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / f"gen-{size}.csv"
    db = out / f"gen-{size}.db"
    row: dict = {"size": size}
    if reuse and db.exists():
        print(f"[{size}] reusing {db} (no import figures)", file=sys.stderr)
    else:
        row.update(generate(size, csv_path))
        print(f"[{size}] importing…", file=sys.stderr)
        row.update(import_ledger(csv_path, db, runs))
    info = in_process_queries(db, runs)
    row.update({k: v for k, v in info.items() if k not in ("customer", "last_day")})
    if "import_s" in row:
        row["import_events_per_s"] = row["events"] / row["import_s"]
    row["bytes_per_event"] = db.stat().st_size / row["events"]
    print(f"[{size}] commands…", file=sys.stderr)
    row.update(commands(db, info, runs))
    if with_views:
        print(f"[{size}] views…", file=sys.stderr)
        row.update(views(db, {**info, "events": row["events"]}, runs))
    if with_journals:
        print(f"[{size}] journals…", file=sys.stderr)
        row.update(journals(db, info, runs))
    return row


COLUMNS = [
    ("events", "events", "{:,.0f}"),
    ("import_events_per_s", "import ev/s", "{:,.0f}"),
    ("import_peak_rss_mb", "import RSS MB", "{:.0f}"),
    ("balance_as_of_p50_ms", "as-of p50 ms", "{:.3f}"),
    ("balance_as_of_p95_ms", "as-of p95 ms", "{:.3f}"),
    ("dues_as_of_in_process_s", "dues as-of (in-proc) s", "{:.3f}"),
    ("dues_cmd_s", "dues cmd s", "{:.3f}"),
    ("month_report_s", "month s", "{:.3f}"),
    ("gst_report_s", "GST s", "{:.3f}"),
    ("verify_s", "verify s", "{:.2f}"),
    ("bytes_per_event", "bytes/event", "{:.0f}"),
    ("help_s", "--help s", "{:.3f}"),
    ("balance_cmd_s", "balance X s", "{:.3f}"),
    ("kirana_s", "kirana as-of s", "{:.3f}"),
    ("hledger_s", "hledger s", "{:.3f}"),
    ("ledger_s", "ledger s", "{:.3f}"),
    ("hledger_ratio", "hledger/kirana", "{:.1f}×"),
    ("ledger_ratio", "ledger/kirana", "{:.1f}×"),
    ("typer_floor_s", "import typer s", "{:.3f}"),
    ("statement_entries", "statement: entries of the busiest customer", "{:,.0f}"),
    ("statement_20k_entries", "statement: entries of the customer nearest 20k", "{:,.0f}"),
]
VIEW_FIGURES = [
    ("statement_s", "statement (terminal)"),
    ("statement_all_s", "statement --all (terminal)"),
    ("statement_csv_s", "statement --format csv"),
    ("statement_20k_all_s", "statement ~20k --all (terminal)"),
    ("statement_20k_csv_s", "statement ~20k --format csv"),
    ("statement_20k_json_s", "statement ~20k --format json"),
    ("aging_s", "dues --aging"),
    ("remind_s", "remind"),
    ("balance_all_s", "balance (everyone)"),
    ("balance_all_json_s", "balance --json (everyone)"),
    ("dues_table_s", "dues"),
    ("log_1000_s", "log --last 1000"),
    ("month_table_s", "report month (table)"),
    ("rebuild_s", "rebuild"),
    ("export_s", "export --format jsonl"),
    ("balance_x_s", "balance X (now)"),
    ("sale_s", "sale --amount 10 --cash"),
    ("pay_s", "pay X 1"),
]
for _key, _label in VIEW_FIGURES:
    COLUMNS.append((_key[:-2] + "_x_help", f"{_label} / --help", "{:.2f}×"))
    COLUMNS.append((_key[:-2] + "_x_typer", f"{_label} / import typer", "{:.2f}×"))
COLUMNS += [
    ("statement_all_s", "statement --all s", "{:.3f}"),
    ("statement_s", "statement s", "{:.3f}"),
    ("statement_csv_s", "statement csv s", "{:.3f}"),
    ("statement_20k_all_s", "statement ~20k --all s", "{:.3f}"),
    ("statement_20k_csv_s", "statement ~20k csv s", "{:.3f}"),
    ("statement_20k_json_s", "statement ~20k json s", "{:.3f}"),
    ("aging_s", "dues --aging s", "{:.3f}"),
    ("remind_s", "remind s", "{:.3f}"),
    ("balance_all_s", "balance (everyone) s", "{:.3f}"),
    ("balance_all_json_s", "balance --json (everyone) s", "{:.3f}"),
    ("dues_table_s", "dues (table) s", "{:.3f}"),
    ("log_1000_s", "log --last 1000 s", "{:.3f}"),
    ("month_table_s", "report month (table) s", "{:.3f}"),
    ("rebuild_us_per_event", "rebuild µs/event", "{:.1f}"),
    ("export_us_per_event", "export jsonl µs/event", "{:.1f}"),
    ("sale_s", "sale s", "{:.3f}"),
    ("pay_s", "pay s", "{:.3f}"),
]


def table(rows: list[dict]) -> str:
    present = [c for c in COLUMNS if any(c[0] in r for r in rows)]
    lines = [
        "| figure | " + " | ".join(f"{r['size']:,}" for r in rows) + " |",
        "|---|" + "---:|" * len(rows),
    ]
    for key, label, fmt in present:
        cells = [fmt.format(r[key]) if r.get(key) is not None else "–" for r in rows]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated event counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--journals", action="store_true", help="also time hledger and ledger")
    parser.add_argument("--views", action="store_true", help="also time views, rebuild, export")
    parser.add_argument("--out-dir", type=Path, default=OUT, help="where data and results go")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the ledger gen-SIZE.db already in --out-dir (no import, no import figures)",
    )
    args = parser.parse_args()
    rows = [
        run(int(n), args.runs, args.journals, args.out_dir, args.views, args.reuse)
        for n in args.sizes.split(",")
    ]
    (args.out_dir / "results.json").write_text(json.dumps(rows, indent=2))
    print(table(rows))


if __name__ == "__main__":
    main()
