"""The bank import's cost against the CSV import of the same payments, measured in one run.

A ledger with CUSTOMERS customers, each with a UPI id, and two files holding the same N
payments (one per UTR, dated in 2025): an HDFC statement (narration, zero-padded reference,
Indian-grouped amounts, a preamble and a footer) and kirana's own CSV (`date,type,customer,
amount,method,reference,key`). Each is imported with `kirana import` (a real process) into a
fresh copy of the ledger, RUNS times in turn; the medians and their ratio are printed as JSON.

    python benchmarks/bank_import.py --credits 10000 --runs 3 --out-dir /tmp/bankbench
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CUSTOMERS = 200


def write_files(folder: Path, credits: int) -> tuple[Path, Path]:
    statement, plain = folder / "statement.csv", folder / "payments.csv"
    with (
        statement.open("w", newline="", encoding="utf-8") as a,
        plain.open("w", newline="", encoding="utf-8") as b,
    ):
        bank, ours = csv.writer(a), csv.writer(b)
        bank.writerows([["HDFC BANK Ltd."], ["Statement of account"], []])
        bank.writerow(["Date", "Narration", "Chq./Ref.No.", "Value Dt", "Withdrawal Amt.",
                       "Deposit Amt.", "Closing Balance"])  # fmt: skip
        ours.writerow(["date", "type", "customer", "amount", "method", "reference", "key"])
        for i in range(credits):
            day, month = 1 + i % 28, 1 + (i // 1000) % 12
            who, utr, rupees = i % CUSTOMERS, f"5{i:011d}", 100 + i % 900
            bank.writerow([f"{day:02d}/{month:02d}/25",
                           f"UPI-CUSTOMER {who}-cust{who}@okaxis-UTIB0000553-{utr}-UPI",
                           f"0000{utr}", f"{day:02d}/{month:02d}/25", "",
                           f"{rupees:,}.00", "1,00,000.00"])  # fmt: skip
            ours.writerow([f"2025-{month:02d}-{day:02d}", "payment", f"Customer {who}",
                           f"{rupees}.00", "upi", utr, utr])  # fmt: skip
        bank.writerows([[], ["STATEMENT SUMMARY :-"]])
    return statement, plain


def base_ledger(folder: Path, env: dict) -> Path:
    path = folder / "base.db"
    code = (
        "import sys\nfrom kirana.ledger import open_ledger\nfrom kirana import recording\n"
        "with open_ledger(sys.argv[1]) as ledger:\n"
        f"    for c in range({CUSTOMERS}):\n"
        "        recording.add_customer(ledger, f'Customer {c}', occurred_at='2025-01-01')\n"
        "        recording.update_customer(ledger, f'Customer {c}', upi_ids=[f'cust{c}@okaxis'])\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, env=env)
    return path


def timed_import(base: Path, folder: Path, args: list[str], env: dict) -> float:
    db = folder / "run.db"
    for leftover in folder.glob("run.db*"):
        leftover.unlink()
    shutil.copyfile(base, db)
    started = time.perf_counter()
    subprocess.run(["kirana", "import", *args, "--json"], check=True, capture_output=True,
                   env={**env, "KIRANA_DB": str(db)})  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out-dir", type=Path, required=True)
    options = parser.parse_args()
    folder = options.out_dir
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KIRANA_NOW": "2025-12-31T20:00", "KIRANA_TZ": "Asia/Kolkata"}
    statement, plain = write_files(folder, options.credits)
    base = base_ledger(folder, env)
    bank_runs, csv_runs = [], []
    for _ in range(options.runs):  # in turn, so both see the same machine
        bank_runs.append(timed_import(base, folder, [str(statement), "--format", "bank"], env))
        csv_runs.append(timed_import(base, folder, [str(plain)], env))
    bank, plain_csv = statistics.median(bank_runs), statistics.median(csv_runs)
    result = {
        "credits": options.credits,
        "runs": options.runs,
        "bank_import_s": round(bank, 3),
        "csv_import_s": round(plain_csv, 3),
        "ratio_bank_to_csv": round(bank / plain_csv, 2),
        "bank_payments_per_s": round(options.credits / bank),
    }
    (folder / "bank_results.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
