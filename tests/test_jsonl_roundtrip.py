"""Issue 4 acceptance 4: export jsonl -> import into an empty ledger reproduces the ledger exactly
(events, hashes, balances at any moment as of / as known at, statements, reports), over random
ledgers with voids, back-dated entries, renames and confirmations. Also: the rules for
importing into a non-empty ledger (re-append with re-mapped seqs; re-import appends nothing)."""

import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import customers, queries, recording
from kirana.errors import KiranaError
from kirana.io.export import export_jsonl
from kirana.io.jsonl import import_jsonl
from kirana.ledger import open_ledger
from kirana.rules import payloads
from kirana.statements import statement
from kirana.verify import verify

NAMES = ["Priya Madam", "Amit Bhai", "Rohit"]
days = st.integers(min_value=1, max_value=61)  # 2024-08-01 .. 2024-09-30
hours = st.one_of(st.none(), st.integers(min_value=7, max_value=21))
amounts = st.integers(min_value=1, max_value=500_000)
who = st.integers(min_value=0, max_value=3)  # 3 = walk-in

ops = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), who, st.sampled_from(["cash", "upi", "credit"]), amounts,
                  days, hours, st.booleans()),
        st.tuples(st.just("pay"), who, st.sampled_from(["cash", "upi", "bank"]), amounts,
                  days, hours),
        st.tuples(st.just("return"), who, st.sampled_from(["khata", "cash"]), amounts, days,
                  hours, st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("opening"), who, st.integers(-50_000, 500_000), days),
        st.tuples(st.just("void"), st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("confirm"), who, days),
        st.tuples(st.just("rename"), who),
    ),
    min_size=1,
    max_size=30,
)  # fmt: skip


def when(day: int, hour: int | None) -> str:
    from datetime import date, timedelta

    d = (date(2024, 8, 1) + timedelta(days=day - 1)).isoformat()
    return d if hour is None else f"{d}T{hour:02d}:15:00+05:30"


def build(ledger, plan) -> None:
    """Apply a random plan; requests that break a rule are skipped (as a user would retry)."""
    os.environ["KIRANA_NOW"] = "2024-10-01T09:00:00"
    names = list(NAMES)
    for name in names:
        recording.add_customer(ledger, name)
    seqs: list[int] = []
    for step, op in enumerate(plan):
        os.environ["KIRANA_NOW"] = f"2024-10-{1 + step // 10:02d}T{9 + step % 10:02d}:00:00"
        kind = op[0]
        person = names[op[1]] if kind != "void" and op[1] < 3 else None
        try:
            if kind == "sale":
                _, _, method, amount, day, hour, itemised = op
                if method == "credit" and person is None:
                    method = "cash"
                lines = None
                if itemised:
                    lines = [payloads.item_line("atta", "1.5", amount, "5", "1101", "kg")]
                    amount = None
                recorded = recording.record_sale(
                    ledger, person, method=method, occurred_at=when(day, hour),
                    lines=lines, amount_paise=amount,
                )  # fmt: skip
            elif kind == "pay" and person:
                _, _, method, amount, day, hour = op
                recorded = recording.record_payment(
                    ledger, person, amount, method=method, occurred_at=when(day, hour)
                )
            elif kind == "return":
                _, _, settlement, amount, day, hour, against = op
                target = seqs[against % len(seqs)] if seqs and against % 3 == 0 else None
                recorded = recording.record_return(
                    ledger, person, settlement=settlement if person else "cash",
                    occurred_at=when(day, hour), amount_paise=amount, against=target,
                )  # fmt: skip
            elif kind == "opening" and person:
                recorded = recording.record_opening(
                    ledger, person, op[2], occurred_at=when(op[3], None)
                )
            elif kind == "void" and seqs:
                recorded = recording.record_void(ledger, seqs[op[1] % len(seqs)], "mistake")
            elif kind == "confirm" and person:
                row = customers.find(ledger.conn, person)
                dues = queries.balance(ledger.conn, row.id, as_of=when(op[2], None) + "T24")
                recorded = recording.record_confirmation(
                    ledger, person, dues, occurred_at=when(op[2], None)
                )
            elif kind == "rename" and person:
                recorded = recording.update_customer(ledger, person, new_name=person + " Ji")
                names[op[1]] = person + " Ji"
            else:
                continue
        except KiranaError:
            continue
        seqs.append(recorded.event.seq)


def snapshot(ledger) -> dict:
    """Everything a user can see: events, balances at moments, statements."""
    conn = ledger.conn
    events = [e.to_json() for e in ledger.iter_events()]
    moments = [f"2024-08-{d:02d}T24" for d in (1, 9, 17, 31)] + ["2024-09-15T12:00:00", None]
    known = sorted({e["recorded_at"] for e in events})[:: max(1, len(events) // 4)] + [None]
    balances = {
        (as_of, known_at): queries.all_balances(conn, as_of, known_at)
        for as_of in moments
        for known_at in known
    }
    statements = {}
    for row in customers.all_customers(conn):
        page = statement(ledger, row.id)
        statements[row.name] = (
            page.opening_paise,
            page.closing_paise,
            [(ln.seq, ln.description, ln.debit_paise, ln.credit_paise, ln.balance_paise,
              ln.voided_by) for ln in page.lines],
        )  # fmt: skip
    return {"events": events, "balances": balances, "statements": statements}


@contextlib.contextmanager
def workdir():
    path = Path(tempfile.mkdtemp(prefix="kirana-rt-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def round_trip(folder: Path, plan):
    with open_ledger(folder / "source.db") as source:
        build(source, plan)
        with (folder / "export.jsonl").open("w", encoding="utf-8") as out:
            export_jsonl(source, out)
        expected = snapshot(source)
        source_problems = [(p.seq, p.message) for p in verify(source).problems]
        assert source_problems == []  # no entry the rules accept can break a confirmation
    os.environ["KIRANA_NOW"] = "2025-01-01T10:00:00"
    with open_ledger(folder / "copy.db") as copy:
        summary = import_jsonl(copy, folder / "export.jsonl")
        assert summary.appended == len(expected["events"])
        # a back-dated entry after a confirmation is flagged the same way in both ledgers
        assert [(p.seq, p.message) for p in verify(copy).problems] == source_problems
        assert snapshot(copy) == expected
        again = import_jsonl(copy, folder / "export.jsonl")
        assert (again.appended, again.duplicates) == (0, len(expected["events"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=ops)
def test_jsonl_export_import_reproduces_the_ledger_exactly(plan):
    with workdir() as folder:
        round_trip(folder, plan)


def test_an_edited_line_is_refused_naming_its_line(kirana, tmp_path, db_path):
    assert (
        kirana("import", Path(__file__).parent.parent / "sample_data/sharma_store.csv").exit_code
        == 0
    )
    exported = tmp_path / "khata.jsonl"
    assert kirana("export", "--format", "jsonl", "--out", exported).exit_code == 0
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert '"amount_paise":67000' in lines[1]
    lines[1] = lines[1].replace('"amount_paise":67000', '"amount_paise":6700')
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kirana("--db", tmp_path / "copy.db", "import", exported)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "line 2: entry 2: content does not match its hash (edited after export?)",
        "line 3: entry 3 follows entry 2, which was not imported",
    ]
    assert result.stderr.splitlines()[-1] == f"Error: {len(lines) - 1} bad rows; nothing imported"
    with open_ledger(tmp_path / "copy.db") as copy:
        assert copy.event_count() == 0


def test_jsonl_cli_round_trip_gives_the_same_head(kirana, tmp_path):
    assert (
        kirana("import", Path(__file__).parent.parent / "sample_data/generated_month.csv").exit_code
        == 0
    )
    exported = tmp_path / "khata.jsonl"
    assert kirana("export", "--out", exported).exit_code == 0
    copy = tmp_path / "copy.db"
    result = kirana("--db", copy, "import", exported, "--json")
    assert result.exit_code == 0 and result.json()["rejected"] == 0
    assert (
        kirana("--db", copy, "info", "--json").json()["head"]
        == kirana("info", "--json").json()["head"]
    )
    assert kirana("--db", copy, "verify").exit_code == 0


def _run(db: Path, *args: str) -> tuple[int, str]:
    from kirana.cli.main import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--db", str(db), *args])
    return code, buffer.getvalue()


def _report_command_exists() -> bool:
    import typer.main

    from kirana.cli.main import app

    return "report" in typer.main.get_command(app).list_commands(None)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=ops)
def test_month_and_gst_reports_are_identical_after_the_round_trip(plan):
    if not _report_command_exists():
        pytest.skip("`kirana report` is not registered yet (issue 3); reports not compared")
    with workdir() as folder:
        round_trip(folder, plan)
        for args in (
            ("report", "month", "2024-08", "--format", "json"),
            ("report", "month", "2024-09", "--format", "json"),
            ("report", "gst", "2024-Q3", "--format", "json"),
        ):
            source = _run(folder / "source.db", *args)
            copy = _run(folder / "copy.db", *args)
            assert source[0] == 0, source
            assert json.loads(source[1]) == json.loads(copy[1])


def test_jsonl_skip_invalid_writes_rejects_and_keeps_the_good_events(kirana, tmp_path):
    assert (
        kirana("import", Path(__file__).parent.parent / "sample_data/sharma_store.csv").exit_code
        == 0
    )
    exported = tmp_path / "khata.txt"
    assert kirana("export", "--out", exported).exit_code == 0
    lines = exported.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "{not json")
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    copy = tmp_path / "copy.db"
    strict = kirana("--db", copy, "import", exported, "--format", "jsonl")
    assert strict.exit_code == 1 and strict.stderr.startswith("line 3: not valid JSON")
    loose = kirana(
        "--db", copy, "import", exported, "--format", "jsonl", "--skip-invalid", "--json"
    )
    assert loose.exit_code == 0
    assert (loose.json()["appended"], loose.json()["rejected"]) == (len(lines) - 1, 1)
    rejects = (tmp_path / "khata.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(r)["line"] for r in rejects] == [3]
    assert kirana("--db", copy, "verify").exit_code == 0


def test_unknown_import_format_is_refused(kirana, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("date,type,amount\n", encoding="utf-8")
    result = kirana("import", path, "--format", "xml")
    assert result.exit_code == 1
    assert result.stderr == "Error: import format 'xml' is unknown; use csv, jsonl or bank\n"
