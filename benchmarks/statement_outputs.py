"""Every form of a customer's statement, written by one checkout, to compare byte for byte.

Usage:
    python benchmarks/statement_outputs.py --checkout /path/to/checkout --out DIR \\
        LEDGER.db::CUSTOMER [LEDGER.db::CUSTOMER ...] [--small LEDGER.db::CUSTOMER ...]
    python benchmarks/statement_outputs.py --compare DIR_A DIR_B

For each ledger and customer it runs `kirana statement` of that checkout (through PYTHONPATH)
on a copy of the ledger, at a fixed clock, and writes stdout, stderr and the exit code of:
csv, json, md and html; the screen view and `--all` at COLUMNS=80 and 100; all of these in
English and with KIRANA_LANG=hi; and `--from`/`--to` windows (a middle stretch of the
customer's years, an open end each way) as csv, json and `--all`. `--small` cases (a fixture's
merged or voided customer) also get the Rich table written with `--out` and the page as
known at a moment. `--compare` says which files differ (exit 1 if any).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from output_dirs import compare  # this folder's module (a script's folder is on the path)

NOW = "2026-12-04T12:00:00"


def years(db: Path, customer: str) -> tuple[int, int]:
    """The first and last year of the customer's entries (under any name), for the windows."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT min(substr(e.order_key, 1, 4)), max(substr(e.order_key, 1, 4))"
            " FROM entries e JOIN customers c ON c.id = e.customer_id"
            " WHERE lower(c.name) LIKE lower(?) || '%' OR e.customer_id IN"
            " (SELECT from_id FROM customer_merges m JOIN customers k ON k.id = m.into_id"
            "  WHERE lower(k.name) LIKE lower(?) || '%')",
            (customer, customer),
        ).fetchone()
    except sqlite3.OperationalError:
        row = conn.execute(
            "SELECT min(substr(e.order_key, 1, 4)), max(substr(e.order_key, 1, 4))"
            " FROM entries e JOIN customers c ON c.id = e.customer_id"
            " WHERE lower(c.name) LIKE lower(?) || '%'",
            (customer,),
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), int(row[1])


def cases(db: Path, customer: str, small: bool) -> dict[str, tuple[list[str], dict]]:
    """name -> (statement arguments after the customer, extra environment)."""
    out: dict[str, tuple[list[str], dict]] = {}
    for lang in ("en", "hi"):
        env = {"KIRANA_LANG": lang}
        for fmt in ("csv", "json", "md", "html"):
            out[f"{lang}-{fmt}"] = (["--format", fmt], env)
        for columns in ("80", "100"):
            wide = {**env, "COLUMNS": columns}
            out[f"{lang}-screen-{columns}"] = ([], wide)
            out[f"{lang}-all-{columns}"] = (["--all"], wide)
    first, last = years(db, customer)
    middle_from = f"01-01-{first + (last - first) // 3}"
    middle_to = f"30-06-{first + 2 * (last - first) // 3}"
    windows = {
        "window": ["--from", middle_from, "--to", middle_to],
        "from": ["--from", middle_from],
        "to": ["--to", middle_to],
    }
    for name, bounds in windows.items():
        for fmt in ("csv", "json"):
            out[f"{name}-{fmt}"] = ([*bounds, "--format", fmt], {})
        out[f"{name}-all"] = ([*bounds, "--all"], {"COLUMNS": "100"})
        out[f"{name}-screen-hi"] = (bounds, {"COLUMNS": "80", "KIRANA_LANG": "hi"})
    if small:
        for lang in ("en", "hi"):
            out[f"{lang}-table-file"] = (["--format", "table", "--out", "{tmp}/page.txt"], {})
            out[f"{lang}-known-csv"] = (
                ["--as-known-at", f"{last}-03-07T10:02:00", "--format", "csv"],
                {"KIRANA_LANG": lang},
            )
            out[f"{lang}-known-all"] = (
                ["--as-known-at", f"{last}-03-08T10:10:30", "--all"],
                {"KIRANA_LANG": lang, "COLUMNS": "80"},
            )
    return out


def write_outputs(checkout: Path, target: Path, specs: list[str], small: list[str]) -> None:
    base = {
        **os.environ,
        "PYTHONPATH": str(checkout.resolve()),
        "KIRANA_NOW": NOW,
        "KIRANA_TZ": "Asia/Kolkata",
        "KIRANA_USER": "compare",
        "NO_COLOR": "1",
    }
    base.pop("KIRANA_LANG", None)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for spec in [*specs, *small]:
            db_text, customer = spec.split("::", 1)
            db = Path(tmp) / "ledger.db"
            shutil.copyfile(db_text, db)
            folder = target / f"{Path(db_text).stem}-{customer.replace(' ', '_')}"
            folder.mkdir(exist_ok=True)
            for name, (args, env) in cases(db, customer, spec in small).items():
                args = [a.replace("{tmp}", tmp) for a in args]
                command = [sys.executable, "-m", "kirana", "--db", str(db), "statement", customer]
                done = subprocess.run(
                    [*command, *args], env={**base, **env}, capture_output=True, check=False
                )
                (folder / f"{name}.out").write_bytes(done.stdout.replace(tmp.encode(), b"TMP"))
                (folder / f"{name}.err").write_bytes(
                    done.stderr.replace(tmp.encode(), b"TMP") + f"\nexit {done.returncode}".encode()
                )
                page = Path(tmp) / "page.txt"
                if page.exists():
                    (folder / f"{name}.file").write_bytes(page.read_bytes())
                    page.unlink()
            print(f"{spec}: written", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="*", metavar="LEDGER.db::CUSTOMER")
    parser.add_argument("--small", nargs="*", default=[], metavar="LEDGER.db::CUSTOMER")
    parser.add_argument("--checkout", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar="DIR")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if not (args.checkout and args.out):
        parser.error("--checkout and --out (or --compare A B)")
    write_outputs(args.checkout, args.out, args.specs, args.small)


if __name__ == "__main__":
    main()
