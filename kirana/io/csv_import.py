"""`kirana import FILE.csv`: the CSV contract of docs/csv.md, streamed row by row.

Columns (header required, any order, UTF-8 with or without BOM):
`date,type,customer,amount,method,items,reference,note,key`; `date` and `type` and one of
`amount`/`items` must be in the header. A column named twice, or a name close to a column the
header lacks (`custmer`), is an error; other columns are ignored. A row with more non-empty
cells than the header has columns is a bad row (an unquoted comma); short rows are padded.
- `type`: sale|payment|return|opening|void, any case; aliases SALE, PAYMENT_RECEIVED,
  KIRANA_SALE_RECORDED (and opening_balance).
- `method`: sale cash|upi|card|credit (`khata` = credit); payment cash|upi|card|cheque|bank
  (default cash); return: the settlement khata|cash|upi (`credit` = khata; default khata with
  a customer, cash without).
- `items`: `NAME:QTY:PRICE[:GST[:HSN]]` joined by `;`. Without GST the catalog's rate (and HSN,
  unit) in force on the date is used, else the shop's default rate. `amount` may be empty when
  items are given; when both are, they must agree.
- `customer`: matched exactly (any case, or a former name); an unknown name is created on first
  use (dated like the row); empty = walk-in.
- `void`: `reference` is the entry no. (seq) to void, `note` the reason; the void is dated now
  (a void removes its target from every business-time view, so its own date does not matter).
- `key`: idempotency key. Without it the key is derived: sha256 of the row's normalised content
  and its occurrence number among identical rows of this file. Each imported entry carries
  its key inside the event (kirana/import_keys.py), read back through the `import_keys` read model
  (key -> fingerprint of the content, seq): a known key with the same content is a duplicate
  (skipped), with different content an error naming the line.
- A leading `'` that `kirana export --format csv` (or a spreadsheet guard) put before `= + - @`
  is removed, so an exported file imports back exactly.

How it runs (fast, and still row by row in meaning): the file is read in chunks of whole
records; each chunk is parsed and planned (csv_rules.RowPlanner: every rule a row can break by
itself, the payload, its canonical JSON and encoding) in worker processes for a big file, or
here for a small one. This process then takes the rows in file order: a planned row whose
customer is known (or new: created on the spot) is sealed into the hash chain at once and
written with the others of its chunk in one statement per table (store.EventBatch); every
other row (a void, a bad row, a changed key, an exported event id) is recorded alone in a
savepoint through the same rules as before (csv_rules.RowRules), after the batch is written.
A sale or return gets its invoice / credit note number here, as it is sealed (workers cannot
know it: it depends on every row before), appended to its planned canonical JSON; its stored
payload was usually deflated ahead, against a guessed number, in a worker (csv_ahead).
Memory stays nearly flat: chunks are streamed, a few at a time; derived keys need a set of
64-bit content digests (one per distinct row, ~60 MB for a million).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from kirana import customers, dates, import_keys, invoices, projections, queries, recording
from kirana.catalog import CatalogSnapshot
from kirana.customers import CustomerRow
from kirana.errors import InputError
from kirana.events import SALE, VOID, reference_key
from kirana.i18n import Message, marked, tr
from kirana.io.common import ImportSummary, RowResult, run_rows
from kirana.io.csv_ahead import EncodedAhead
from kirana.io.csv_chunks import (
    CHUNK_BYTES,
    CONTROL,
    UNDECODABLE,
    ChunkPlan,
    PlannedRow,
    derived_key,
    plan_chunk,
    record_chunks,
    rekeyed,
    row_fields,
    start_worker,
    too_many_cells,
)
from kirana.io.csv_header import header, header_cells
from kirana.io.csv_rules import RowPlanner, RowRules
from kirana.io.workers import ordered_map
from kirana.rules import closed_periods, ledger_checks, references
from kirana.rules.invoices import NUMBERED, Series
from kirana.store import EVENT_ID, Ledger, encode_payload
from kirana.store.batch import EventBatch

PARALLEL_FROM_BYTES = 2 * CHUNK_BYTES  # a smaller file is one or two chunks: nothing to share
_KEYS_PER_QUERY = 500


class CsvImporter:
    """Appends planned rows in file order (called by common.run_rows, without savepoints)."""

    def __init__(self, ledger: Ledger, path: Path, workers: int | None, new_customers: bool):
        self.ledger = ledger
        self.conn = ledger.conn
        self.path = path
        self.workers = workers
        self.new_customers = new_customers
        self.position = 0  # bytes of the file handed to run_rows so far
        self.index: dict[str, int] = {}
        self.header: list[str] = []

    def setup(self) -> None:
        """Read what the rows are checked against, inside the import's transaction."""
        self.catalog = CatalogSnapshot(self.conn)
        self.now = dates.now_local()
        planner = RowPlanner(self.catalog, self.now)
        self.rules = RowRules(self.ledger, planner, new_customers=self.new_customers)
        self.batch = EventBatch(self.ledger)
        self.names = {
            name_lower: (customer_id, name)
            for name_lower, customer_id, name in self.conn.execute(
                "SELECT n.name_lower, c.id, c.name FROM customer_names n"
                " JOIN customers c ON c.id = n.customer_id"
            )
        }
        self.limits = {row.id: row for row in customers.all_customers(self.conn)
                       if row.credit_limit_paise is not None}  # fmt: skip
        self.confirmed = ledger_checks.ConfirmedDues(self.conn)
        self.rules.confirmed = self.confirmed  # a void row is checked against these too
        self.references = references.References(self.conn)
        self.series = Series(self.conn)
        self.closed = closed_periods.ClosedPeriods(self.conn)  # no CSV row closes one
        self.dues: dict[int, int] = {}  # running dues of customers with a limit
        self.seen: set[int] = set()
        self.repeats: dict[int, int] = {}
        self.known: dict[bytes, tuple[bytes, int]] = {}
        self.voided: set[int] = set()  # entries the last row recorded alone voided
        self.encoded: dict[int, tuple[str, bytes, str]] = {}  # this chunk's, by line (csv_ahead)
        # A derived key can only be in import_keys if the ledger had keys before this import
        # or the import has written a key from the file: the import's own derived keys never
        # repeat (each repeat of a content gets the next occurrence). Until then, only chunks
        # with keys from the file (which may equal an earlier derived key) are looked up; a
        # repeat's key (set by _keyed) counts as one too, which only costs a lookup.
        self.look_up = import_keys.any_known(self.conn)

    # ---- the rows, chunk by chunk ------------------------------------------------------------
    def rows(self) -> Iterator[tuple[int, PlannedRow]]:
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            raise InputError(tr("no file {path}; check the name").format(path=self.path)) from None
        except IsADirectoryError:
            raise InputError(
                tr("{path} is a folder; give a CSV file").format(path=self.path)
            ) from None
        with handle:
            chunks = record_chunks(handle)
            self.index, first, header_lines = header(chunks)
            self.header = header_cells(first)
            workers = self.workers
            if workers is None:
                big = os.fstat(handle.fileno()).st_size >= PARALLEL_FROM_BYTES
                workers = min(os.cpu_count() or 1, 2) if big else 0
            tasks = _tasks(first, header_lines, chunks)
            plans = ordered_map(
                plan_chunk,
                tasks,
                processes=workers,
                initializer=start_worker,
                initargs=(self.index, self.catalog, self.now, len(self.header)),
            )
            lines_before = 0
            self.ahead = EncodedAhead(self.conn, self.series)  # sales' payloads, encoded ahead
            for plan, encoded in self.ahead.chunks(plans, workers):
                self.encoded = encoded
                yield from self._chunk_rows(plan, lines_before)
                lines_before += plan.lines
                self.position += plan.size
        self.flush()

    def _chunk_rows(self, plan: ChunkPlan, lines_before: int) -> Iterator[tuple[int, PlannedRow]]:
        self.flush()
        rows = [self._keyed(row) for row in plan.rows]
        self.known = {}  # keys of this chunk: already imported, or imported by an earlier row
        if self.look_up or any(row.key for row in rows):
            self._look_up_keys(rows)
        for row in rows:
            yield lines_before + row.line, row
        if plan.error:
            line, message = plan.error
            raise InputError(
                tr("line {value}: not a readable CSV line ({message})").format(
                    value=lines_before + line, message=message
                )
            )

    def _keyed(self, row: PlannedRow) -> PlannedRow:
        """The row with its final key: a derived key counts repeats of the same content."""
        if row.key:
            return row
        content = int.from_bytes(row.fingerprint_digest, "big")
        if content not in self.seen:
            self.seen.add(content)
            return row
        occurrence = self.repeats[content] = self.repeats.get(content, 1) + 1
        key = derived_key(row.fingerprint, occurrence)
        return rekeyed(row, key)

    def _look_up_keys(self, rows: list[PlannedRow]) -> None:
        for start in range(0, len(rows), _KEYS_PER_QUERY):
            keys = [row.key_digest for row in rows[start : start + _KEYS_PER_QUERY]]
            self.known.update(import_keys.known(self.conn, keys))

    def flush(self) -> None:
        """Write the buffered events and their read models (their import keys included)."""
        self.batch.flush()

    # ---- one row -----------------------------------------------------------------------------
    def handle(self, line: int, row: PlannedRow) -> RowResult:
        known = self.known.get(row.key_digest)
        if row.plan is None or (known and known[0] != row.fingerprint_digest):
            return self._one_at_a_time(row)
        if known:
            return RowResult(appended=False)
        if self._upi_id(row):  # a bank import's review row: its payer is remembered too
            return self._one_at_a_time(row)
        kind, occurred_at, name, effect, data_json, payload, order_key = row.plan
        self.closed.check_entry(kind, occurred_at, {})  # never a void here: those go one by one
        customer = customer_id = new_customer = None
        reference = effect[3]
        if reference is not None:  # before a new customer is added for a row that fails
            self.references.check(kind, {"method": reference[0], "reference": reference[1]},
                                  marked("this row"))  # fmt: skip
        if name is not None:
            found = self.names.get(name.lower())
            if found is None:
                if not self.new_customers:
                    ledger_checks.check_newcomer(self.ledger, name)
                event = recording.add_customer(self.ledger, name, occurred_at=occurred_at).event
                found = self.names[name.lower()] = (event.seq, name)
                new_customer = name
            customer_id, customer = found
            if effect[1] and customer_id in self.confirmed.latest:
                whose = CustomerRow(customer_id, customer, None, None)
                self.confirmed.check(whose, occurred_at, effect[1], marked("this row"))
        if kind in NUMBERED:  # numbered here, in file order, as the row is sealed
            number = self.series.number(kind, occurred_at, order_key)
            data_json = invoices.with_voucher(data_json, number)
            payload = self._payload(row.line, data_json, number)
            effect = projections.numbered(effect, number)
        seq = self.batch.append(
            kind, occurred_at, customer, customer_id, effect, data_json, payload, order_key
        )
        self.references.add(reference, Message("line {line} of this file", line=line), seq)
        self._imported(row, seq)
        warning = None
        if customer_id in self.limits:
            warning = self._over_limit(kind, customer_id, effect[1])
        return RowResult(appended=True, new_customer=new_customer, limit_warning=warning)

    def _payload(self, line: int, data_json: str, number: str) -> bytes:
        """A numbered row's stored payload: encoded ahead if from this very text (csv_ahead)."""
        ahead = self.encoded.get(line)
        if ahead is not None and ahead[0] == data_json:
            return ahead[1]
        if ahead is not None and ahead[2] != number:
            self.ahead.missed()
        return encode_payload(data_json)

    def _over_limit(self, kind: str, customer_id: int, delta: int) -> tuple[str, str] | None:
        """The credit-limit warning `sale` gives, with the dues of customers with a limit kept
        as running sums (read once, from the table and the batch not yet written)."""
        if customer_id in self.dues:
            self.dues[customer_id] += delta
        elif kind == SALE and delta > 0:
            pending = self.batch.read_models.balances.get(customer_id, 0)
            self.dues[customer_id] = queries.current_balance(self.conn, customer_id) + pending
        if kind != SALE or delta <= 0:
            return None
        row = self.limits[customer_id]
        warning = ledger_checks.over_limit_warning(row, self.dues[customer_id])
        return (row.name, warning) if warning else None

    def _imported(self, row: PlannedRow, seq: int) -> None:
        self.known[row.key_digest] = (row.fingerprint_digest, seq)  # a repeat later in the chunk
        self.look_up = self.look_up or bool(row.key)

    def _upi_id(self, row: PlannedRow) -> str:
        """The row's `upi_id` cell (a bank import's review file): the payer's UPI id."""
        position = self.index.get("upi_id")
        cells = row.cell_list() if position is not None else []
        return cells[position].strip() if position is not None and position < len(cells) else ""

    def _one_at_a_time(self, row: PlannedRow) -> RowResult:
        """A row checked against the ledger as it stands (after the batch is written)."""
        self.flush()
        self.voided: set[int] = set()
        with self.ledger.savepoint():
            result = self._check_and_record(row)
        self.confirmed.forget_voided(self.voided)  # the row may have voided a confirmation
        self.references.forget_voided(self.voided)  # or an entry whose reference is free again
        self.series.forget()  # or numbered a sale or return
        self.dues = {}  # and changed someone's dues
        if result.new_customer:
            found = self.conn.execute(
                "SELECT customer_id FROM customer_names WHERE name_lower = ?",
                (result.new_customer.lower(),),
            ).fetchone()
            self.names[result.new_customer.lower()] = (found[0], result.new_customer)
        return result

    def _check_and_record(self, row: PlannedRow) -> RowResult:
        too_many = too_many_cells(row.cell_list(), len(self.header))
        if too_many:
            raise InputError(too_many)
        if any(UNDECODABLE.search(cell) for cell in row.cell_list()):
            raise InputError(tr("not UTF-8 text; save the file as UTF-8 (CSV UTF-8)"))
        if any(CONTROL.search(cell) for cell in row.cell_list()):
            raise InputError(tr("the row has control characters (e.g. NUL); remove them"))
        key = row.key or derived_key(row.fingerprint, 1)
        if EVENT_ID.match(key) and self.ledger.get_by_id(key):
            return RowResult(appended=False)  # a row of `kirana export --format csv` of this ledger
        known = self.known.get(row.key_digest)
        if known:
            if known[0] == row.fingerprint_digest:
                return RowResult(appended=False)
            raise InputError(
                tr(
                    "key {key!r} was imported before (entry {value}) with different content; give the changed row a new key, or record a correction (void/return) instead"
                ).format(key=key, value=known[1])
            )
        fields = row_fields(row.cell_list(), self.index)
        digests = (row.key_digest, row.fingerprint_digest)
        seq, new_customer = self.rules.record(fields, import_key=digests)
        self.known[row.key_digest] = (row.fingerprint_digest, seq)
        self.look_up = self.look_up or bool(row.key)
        event = self.ledger.get(seq)
        if event.type == VOID:
            self.voided.add(event.data["target"])
        self.references.add(reference_key(event.type, event.data), f"entry {seq}", seq)
        if self._upi_id(row) and event.customer:
            recording.remember_upi_id(self.ledger, event.customer, self._upi_id(row))
        warning = ledger_checks.limit_warning_after(self.ledger, seq)
        return RowResult(appended=True, new_customer=new_customer, limit_warning=warning)


def _tasks(first: bytes, header_lines: int, chunks: Iterator[bytes]) -> Iterator[tuple]:
    yield first, header_lines
    for chunk in chunks:
        yield chunk, 0


def import_csv(
    ledger: Ledger,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    on_problem: Callable[[int, str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    new_customers: bool = False,
) -> ImportSummary:
    """Import a CSV file (see the module docstring); raises InputError if nothing was imported
    because of bad rows (each reported through `on_problem(line, reason)` first). `workers`:
    processes that plan rows (default: one per core, up to 2, for a file of 512 KB or more)."""
    path = Path(path)
    importer = CsvImporter(ledger, path, workers, new_customers)
    rejects = _RejectsWriter(rejects_path) if skip_invalid and not dry_run else None
    total = path.stat().st_size if path.is_file() else 0

    def problem(line: int, reason: str, row: PlannedRow) -> None:
        if on_problem is not None:
            on_problem(line, reason)
        if rejects is not None:
            rejects.header = importer.header
            rejects.write(row.cell_list(), reason)

    try:
        summary = run_rows(
            ledger,
            importer.rows(),
            importer.handle,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            on_problem=problem,
            on_progress=(lambda _done: progress(importer.position, total)) if progress else None,
            setup=importer.setup,
            savepoints=False,
        )
    finally:
        if rejects is not None:
            rejects.close()
    if rejects is not None and rejects.count:
        summary.rejects_path = rejects.path
    return summary


class _RejectsWriter:
    """Writes rejected rows (original cells + a `reason` column), opened on the first reject.

    Through kirana.io.safe_file: never the ledger, a temp file until close(), which moves it
    into place, or drops it if the import is failing (an exception is on its way out)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.header: list[str] = []
        self.count = 0
        self._output = None
        self._handle = None
        self._writer = None

    def write(self, cells: list[str], reason: str) -> None:
        if self.path is None:
            return
        if self._writer is None:
            from kirana.io.safe_file import OutputFile

            self._output = OutputFile(self.path, flag="--rejects")
            self._handle = self._output.open(errors="surrogateescape")
            self._writer = csv.writer(self._handle, lineterminator="\n")
            width = len(self.header)
            self._writer.writerow([*self.header, "reason"])
            self._width = width
        padded = list(cells) + [""] * max(0, self._width - len(cells))
        self._writer.writerow([*padded, reason])
        self._handle.flush()  # a full disk stops the import, not just the rejects file
        self.count += 1

    def close(self) -> None:
        if self._output is None:
            return
        import sys

        output, self._output = self._output, None
        if sys.exc_info()[0] is None:  # called from the import's `finally`
            output.commit()
        else:
            output.discard()
