"""The dues and reminder views, written by one checkout, to compare byte for byte.

Usage:
    python benchmarks/aging_outputs.py --checkout /path/to/checkout --out DIR LEDGER.db ...
    python benchmarks/aging_outputs.py --compare DIR_A DIR_B

For each ledger it runs that checkout's `kirana` (through PYTHONPATH) on a copy of the ledger,
at fixed clocks (the ledger's last day, a month and a year after it, and a day in 2026), and
writes stdout, stderr and the exit code of: `dues --aging` (also with --min, --as-of and
--as-known-at), `remind` (also with --over and --min), `dues` and `balance` for everyone; text
at COLUMNS=80 and 100, and --json; in English and with KIRANA_LANG=hi; and `kirana verify`
(once a ledger).
`--compare` says which files differ (exit 1 if any).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from output_dirs import compare  # this folder's module (a script's folder is on the path)


def clocks(db: Path) -> list[str]:
    """KIRANA_NOW values: the ledger's last business day, 35 and 400 days after it, 2026-12-04."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        last = conn.execute("SELECT max(substr(order_key, 1, 10)) FROM entries").fetchone()[0]
    finally:
        conn.close()
    day = date.fromisoformat(last)
    days = [day, day + timedelta(days=35), day + timedelta(days=400), date(2026, 12, 4)]
    return [f"{d.isoformat()}T18:00:00" for d in dict.fromkeys(days)]


def cases(now: str, check: bool) -> dict[str, tuple[list[str], dict]]:
    """name -> (kirana arguments, extra environment); `check`: `kirana verify` too."""
    day = now[:10]
    half_year = (date.fromisoformat(day) - timedelta(days=183)).strftime("%d-%m-%Y")
    views = {
        "aging": ["dues", "--aging"],
        "aging-min": ["dues", "--aging", "--min", "500"],
        "aging-as-of": ["dues", "--aging", "--as-of", half_year],
        "aging-known": ["dues", "--aging", "--as-known-at", f"{day}T10:00:00"],
        "remind": ["remind"],
        "remind-over-0": ["remind", "--over", "0"],
        "remind-over-90-min": ["remind", "--over", "90", "--min", "1000"],
        "dues": ["dues"],
        "balance": ["balance"],
    }
    out: dict[str, tuple[list[str], dict]] = {}
    for lang in ("en", "hi"):
        for name, args in views.items():
            out[f"{lang}-{name}-json"] = ([*args, "--json"], {"KIRANA_LANG": lang})
            for columns in ("80", "100"):
                out[f"{lang}-{name}-{columns}"] = (args, {"KIRANA_LANG": lang, "COLUMNS": columns})
    if check:
        out["verify"] = (["verify"], {})
    return out


def write_outputs(checkout: Path, target: Path, ledgers: list[str]) -> None:
    base = {
        **os.environ,
        "PYTHONPATH": str(checkout.resolve()),
        "KIRANA_TZ": "Asia/Kolkata",
        "KIRANA_USER": "compare",
        "NO_COLOR": "1",
    }
    base.pop("KIRANA_LANG", None)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for ledger in ledgers:
            db = Path(tmp) / "ledger.db"
            shutil.copyfile(ledger, db)
            for index, now in enumerate(clocks(db)):
                folder = target / f"{Path(ledger).stem}-{now[:10]}"
                folder.mkdir(exist_ok=True)
                for name, (args, env) in cases(now, not index).items():
                    done = subprocess.run(
                        [sys.executable, "-m", "kirana", "--db", str(db), *args],
                        env={**base, **env, "KIRANA_NOW": now},
                        capture_output=True,
                        check=False,
                    )
                    (folder / f"{name}.out").write_bytes(done.stdout.replace(tmp.encode(), b"TMP"))
                    (folder / f"{name}.err").write_bytes(
                        done.stderr.replace(tmp.encode(), b"TMP")
                        + f"\nexit {done.returncode}".encode()
                    )
            print(f"{ledger}: written", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledgers", nargs="*", metavar="LEDGER.db")
    parser.add_argument("--checkout", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar="DIR")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if not (args.checkout and args.out):
        parser.error("--checkout and --out (or --compare A B)")
    write_outputs(args.checkout, args.out, args.ledgers)


if __name__ == "__main__":
    main()
