"""Issue 5 acceptance 4: the benchmark scripts run end to end on a small ledger (no timing
assertions: timings belong in BENCHMARKS.md, not in tests)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generator_is_deterministic(tmp_path):
    outputs = []
    for name in ("a.csv", "b.csv"):
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "generate.py"),
                "--events",
                "500",
                "--out",
                str(tmp_path / name),
            ],
            check=True,
            capture_output=True,
        )
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith(b"date,type,customer,amount,method,items,reference,note,key\n")


def test_generate_and_run_at_5k_events(tmp_path, monkeypatch):
    monkeypatch.delenv("KIRANA_NOW")  # the generated history ends in 2025; use the real clock
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--sizes",
            "5000",
            "--runs",
            "1",
            "--journals",
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    (row,) = json.loads((tmp_path / "results.json").read_text())
    assert row["events"] == 5050  # 5,000 rows + the customers they create
    for figure in (
        "import_events_per_s",
        "balance_as_of_p50_ms",
        "dues_cmd_s",
        "month_report_s",
        "gst_report_s",
        "verify_s",
        "bytes_per_event",
        "help_s",
        "balance_cmd_s",
    ):
        assert row[figure] is not None and row[figure] > 0, figure
    assert "| verify s |" in completed.stdout
    verify = subprocess.run(
        [sys.executable, "-m", "kirana", "--db", str(tmp_path / "gen-5000.db"), "verify"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    floor = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "sql_writes.py"),
            str(tmp_path / "gen-5000.db"),
            "--runs",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert floor.returncode == 0, floor.stderr
    assert "| SQL writes of 5,050 events (median of 1) |" in floor.stdout
    assert "| all |" in floor.stdout


def test_the_bank_import_benchmark_runs(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bank_import.py"),
            "--credits",
            "50",
            "--runs",
            "1",
            "--out-dir",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(completed.stdout)
    assert result["credits"] == 50
    assert set(result) >= {"bank_import_s", "csv_import_s", "ratio_bank_to_csv"}


def test_the_shell_benchmark_runs_on_a_small_ledger(tmp_path, monkeypatch):
    monkeypatch.delenv("KIRANA_NOW")
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "shell.py"),
            "--events",
            "300",
            "--commands",
            "6",
            "--runs",
            "1",
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads((tmp_path / "shell.json").read_text())
    assert result["commands"] == 6
    assert result["process_ms_per_command"] > 0
    assert "| a `kirana` process per command |" in completed.stdout
