"""Issue 5: the fast CSV import (chunks of whole records, rows planned in worker processes,
planned rows appended in batches) means exactly what the row-by-row import meant.

- Cutting a file into chunks never splits or merges a record, whatever the quoting (a
  property test against the csv module reading the whole text), and line numbers carry over.
- Importing with worker processes and tiny chunks gives the same ledger (every event's type,
  business time, customer and payload; every balance) as importing in-process, `verify`
  passes, bad rows are reported with the same line numbers, and a re-import appends nothing.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kirana import queries
from kirana.errors import KiranaError
from kirana.io import csv_chunks
from kirana.io.csv_chunks import last_record_end, record_chunks
from kirana.io.csv_import import import_csv
from kirana.io.workers import ordered_map
from kirana.ledger import open_ledger
from kirana.verify import verify

ROOT = Path(__file__).resolve().parent.parent

cell_text = st.text(alphabet=st.sampled_from(list("ab \",\r\n;:'")), max_size=8)


def records_of(text: str) -> list[tuple[int, list[str]]]:
    """(line where each record starts, its cells), as the csv module reads the whole text."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out, previous_end = [], 0
    for cells in reader:
        out.append((previous_end + 1, cells))
        previous_end = reader.line_num
    return out


def chunked_records(data: bytes, size: int) -> list[tuple[int, list[str]]]:
    """The same, reading each chunk on its own and adding the lines of the chunks before."""
    out, lines_before = [], 0
    for chunk in record_chunks(io.BytesIO(data), size):
        reader = csv.reader(io.StringIO(chunk.decode(), newline=""))
        previous_end = 0
        for cells in reader:
            out.append((lines_before + previous_end + 1, cells))
            previous_end = reader.line_num
        lines_before += reader.line_num
    return out


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(cell_text, min_size=1, max_size=4), max_size=12),
    raw_lines=st.lists(cell_text, max_size=4),
    size=st.integers(min_value=1, max_value=40),
)
def test_chunks_hold_whole_records_whatever_the_quoting(rows, raw_lines, size):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    for raw in raw_lines:  # stray quotes in unquoted fields, bare \r, unterminated quotes
        buffer.write(raw + "\n")
    text = buffer.getvalue()
    assert chunked_records(text.encode(), size) == records_of(text)


def test_a_chunk_ends_after_the_last_line_break_outside_quotes():
    assert last_record_end(b'a,b\nc,"d\ne') == 4
    assert last_record_end(b'a,"x""\ny"\nz') == 10
    assert last_record_end(b'a,5" tv\nb,c') == 8  # a quote inside a field is a plain character
    assert last_record_end(b'"a\nb') == 0


def test_a_chunk_may_end_at_a_lone_cr_but_never_inside_a_crlf():
    assert last_record_end(b"a,b\rc,d\re") == 8  # old Mac line ends
    assert last_record_end(b"a\r\nb\r") == 3  # the final CR may be half of a CRLF
    assert last_record_end(b"a\r") == 0


def test_a_dead_worker_fails_the_import_instead_of_hanging():
    with pytest.raises(KiranaError, match="worker process stopped"):
        list(ordered_map(_die, range(4), processes=2, initializer=_nothing))


def _die(task: int) -> int:
    os._exit(1)


def _nothing() -> None:
    pass


def test_a_header_after_rows_of_empty_cells_is_found(tmp_path, monkeypatch):
    path = tmp_path / "late_header.csv"
    path.write_text(",,,\n , \n\ndate,type,customer,amount\n2025-02-01,payment,Asha,100\n", "utf-8")
    monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 4)
    summary = run_import(tmp_path / "late.db", path, workers=0)
    assert summary.appended == 1


def test_a_byte_order_mark_is_dropped():
    assert b"".join(record_chunks(io.BytesIO(b"\xef\xbb\xbfdate,type\n1,2\n"), 4)) == (
        b"date,type\n1,2\n"
    )


@pytest.fixture(scope="module")
def generated_csv(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    path = tmp_path_factory.mktemp("parallel") / "gen.csv"
    generate.generate(events=3000, customers=30, months=3, seed=11, out=path)
    return path


def ledger_contents(db: Path) -> tuple[list, dict]:
    with open_ledger(db) as ledger:
        events = [(e.seq, e.type, e.occurred_at, e.customer, e.data) for e in ledger.iter_events()]
        balances = dict(queries.all_balances(ledger.conn))
        assert verify(ledger).ok
    return events, balances


def run_import(db: Path, path: Path, workers: int, **options):
    with open_ledger(db) as ledger:
        return import_csv(ledger, path, workers=workers, new_customers=True, **options)


def test_workers_and_small_chunks_build_the_same_ledger(generated_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("KIRANA_NOW", "2026-01-01T12:00:00")  # after the generated months
    alone = run_import(tmp_path / "alone.db", generated_csv, workers=0)
    monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 2000)
    parallel = run_import(tmp_path / "parallel.db", generated_csv, workers=2)
    assert parallel.to_json() == alone.to_json()
    assert alone.appended == 3000
    assert ledger_contents(tmp_path / "parallel.db") == ledger_contents(tmp_path / "alone.db")
    again = run_import(tmp_path / "parallel.db", generated_csv, workers=2)
    assert (again.appended, again.duplicates) == (0, 3000)


def test_bad_rows_have_the_same_line_numbers_with_workers(tmp_path, monkeypatch):
    lines = ["date,type,customer,amount,method,items,reference,note,key"]
    bad_lines, line = [], 2
    for n in range(300):
        if n % 37 == 5:
            lines.append(f'01-02-2025,payment,Asha {n % 7},abc,cash,,,"two\nlines",')
            bad_lines.append(line)
            line += 2  # its note spans two lines
            continue
        if n % 41 == 7:
            lines.append(f"31-02-2025,sale,Asha {n % 7},10,cash,,,,")
            bad_lines.append(line)
        else:
            lines.append(f'01-02-2025,sale,"Asha {n % 7}",{n + 1},credit,,,"say ""hi""",')
        line += 1
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def problems(workers: int) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        db = tmp_path / f"w{workers}.db"
        with pytest.raises(Exception, match="bad rows; nothing imported"):
            run_import(db, path, workers, on_problem=lambda line, why: found.append((line, why)))
        return found

    alone = problems(0)
    assert [line for line, _ in alone] == bad_lines
    monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 500)
    assert problems(2) == alone


def test_a_chunk_plan_crosses_processes_unchanged(generated_csv, tmp_path, monkeypatch):
    """ChunkPlan pickles its rows as plain tuples; they come back as equal PlannedRows."""
    import pickle

    monkeypatch.setenv("KIRANA_NOW", "2026-01-01T12:00:00")  # after the generated months
    from kirana.catalog import CatalogSnapshot
    from kirana.io.csv_header import header as _header

    with open_ledger(tmp_path / "plan.db") as ledger, open(generated_csv, "rb") as handle:
        chunks = record_chunks(handle, 100_000)
        index, first, header_lines = _header(chunks)
        csv_chunks.start_worker(index, CatalogSnapshot(ledger.conn), None)
        plan = csv_chunks.plan_chunk((first, header_lines))
    assert len(plan.rows) > 50 and any(row.plan for row in plan.rows)
    assert any(row.plan is None for row in plan.rows)  # a void: checked one at a time
    back = pickle.loads(pickle.dumps(plan))
    assert back == plan
    assert all(type(row) is csv_chunks.PlannedRow for row in back.rows)


def test_an_import_leaves_the_collector_and_page_cache_as_they_were(
    generated_csv, tmp_path, monkeypatch
):
    import gc

    monkeypatch.setenv("KIRANA_NOW", "2026-01-01T12:00:00")
    with open_ledger(tmp_path / "bulk.db") as ledger:
        cache_size = ledger.conn.execute("PRAGMA cache_size").fetchone()[0]
        seen_during: list[tuple] = []
        import_csv(
            ledger,
            generated_csv,
            workers=0,
            new_customers=True,
            progress=lambda *_: seen_during.append(
                (gc.isenabled(), ledger.conn.execute("PRAGMA cache_size").fetchone()[0])
            ),
        )
        assert seen_during and seen_during[0] == (False, -64 * 1024)
        assert gc.isenabled()
        assert ledger.conn.execute("PRAGMA cache_size").fetchone()[0] == cache_size

        bad = tmp_path / "bad.csv"
        bad.write_text("date,type,amount\n2025-01-01,sale,abc\n", encoding="utf-8")
        with pytest.raises(KiranaError):
            import_csv(ledger, bad, workers=0)
        import_csv(ledger, generated_csv, workers=0, new_customers=True, dry_run=True)
        assert gc.isenabled()
        assert ledger.conn.execute("PRAGMA cache_size").fetchone()[0] == cache_size


def test_derived_keys_keep_their_stored_form():
    """import_keys of existing ledgers hold these digests: a re-import must find them again."""
    from kirana.io.csv_chunks import derived_key, digest, fingerprint

    fields = {
        "date": "03-03-2025",
        "type": "Sale",
        "customer": " Asha  Devi ",
        "amount": "120.50",
        "method": "UPI",
        "items": "atta:2:50 ; ; dal:1:20.5",
        "reference": "r1",
        "note": 'naya ₹ "x"',
        "key": "",
    }
    content = fingerprint(fields)
    assert content == "f560d1fb707ebac56843014ba9d2dd25cf04ae1145fe73cb7c40e0b44d0021c3"
    key = derived_key(content, 1)
    assert key == "sha256:4ddcaa6ebc186b974d3e4a3ba7d9383272dab2b275128ac313ba05eeae0765c7"
    assert digest(key, 16).hex() == "21703fde5bfd5387986a252f37eef6a8"
    assert digest(content, 8).hex() == "f6c964f2ed18b182"


KEYS_HEADER = "date,type,customer,amount,method,items,reference,note,key"
TWIN = "2025-02-01,payment,Asha,75,cash,,,,"  # a keyless row; TWIN + its derived key is keyed
FILLER = [f"2025-02-01,sale,,{n + 1},cash,,,," for n in range(40)]


def derived_key_of(row: str) -> str:
    from kirana.io.csv_chunks import derived_key, fingerprint, row_fields

    columns = {name: position for position, name in enumerate(KEYS_HEADER.split(","))}
    return derived_key(fingerprint(row_fields(row.split(","), columns)), 1)


def import_in_small_chunks(tmp_path, monkeypatch, lines: list[str]):
    """(problems as (line, reason), summary) of a --skip-invalid import into a new ledger,
    in chunks of a few rows."""
    path = tmp_path / "keys.csv"
    path.write_text("\n".join([KEYS_HEADER, *lines]) + "\n", encoding="utf-8")
    monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 200)
    problems: list[tuple[int, str]] = []
    summary = run_import(
        tmp_path / "keys.db",
        path,
        workers=0,
        skip_invalid=True,
        on_problem=lambda line, reason: problems.append((line, reason)),
    )
    return problems, summary


def test_keys_from_the_file_are_found_again_in_later_chunks_of_a_new_ledger(tmp_path, monkeypatch):
    """A new ledger skips key lookups until a row brings its own key; from then on a key
    repeated in a later chunk is still a duplicate (same row) or an error (changed row)."""
    lines = [
        "2025-02-01,payment,Asha,100,cash,,,,k-1",
        "2025-02-01,payment,Asha,200,cash,,,,k-2",
        TWIN + derived_key_of(TWIN),  # a chosen key: a later keyless row's derived key
        *FILLER,
        TWIN,  # keyless, same content as the keyed twin, in a chunk of new rows: a duplicate
        *[f"2025-02-01,sale,,{n},cash,,,," for n in range(41, 51)],
        "2025-02-01,payment,Asha,100,cash,,,,k-1",  # the same row again: a duplicate
        "2025-02-01,payment,Asha,250,cash,,,,k-2",  # changed: an error naming its line
    ]
    problems, summary = import_in_small_chunks(tmp_path, monkeypatch, lines)
    assert [line for line, _ in problems] == [len(lines) + 1]
    assert "key 'k-2' was imported before (entry" in problems[0][1]
    assert (summary.appended, summary.duplicates) == (53, 2)


def test_a_chosen_key_equal_to_an_earlier_rows_derived_key_is_found(tmp_path, monkeypatch):
    """The other order: a keyless row first, then (chunks later, on a new ledger) a row whose
    own key is that row's derived key: the same row is a duplicate, a changed one an error."""
    twin_key = derived_key_of(TWIN)
    lines = [
        TWIN,
        *FILLER,
        TWIN + twin_key,  # the same row, now with its derived key written out: a duplicate
        "2025-02-01,payment,Asha,80,cash,,,," + twin_key,  # changed: an error
    ]
    problems, summary = import_in_small_chunks(tmp_path, monkeypatch, lines)
    assert [line for line, _ in problems] == [len(lines) + 1]
    assert f"key {twin_key!r} was imported before (entry" in problems[0][1]
    assert (summary.appended, summary.duplicates) == (41, 1)


def test_invoice_numbers_run_on_without_gaps_across_chunks_and_workers(
    generated_csv, tmp_path, monkeypatch
):
    """Rows are planned in workers but numbered as they are sealed, in file order."""
    from kirana import invoices
    from kirana.verify import verify

    monkeypatch.setenv("KIRANA_NOW", "2026-01-01T12:00:00")
    monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 2000)
    run_import(tmp_path / "numbered.db", generated_csv, workers=2)
    with open_ledger(tmp_path / "numbered.db") as ledger:
        seen: dict[str, list[int]] = {}
        for event in ledger.iter_events("type IN ('sale', 'return')", ()):
            series, number = invoices.parse_number(event.data["voucher"])
            seen.setdefault(series, []).append(number)
        assert verify(ledger).ok
    assert seen and all(found == list(range(1, len(found) + 1)) for found in seen.values())
