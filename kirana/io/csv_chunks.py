"""Cutting a CSV file into chunks of whole records, and planning one chunk's rows.

A long import reads the file in chunks of about CHUNK_BYTES and hands each chunk to a worker
process, which parses it and plans its rows (csv_rules.RowPlanner: everything a row can get
wrong by itself, the payload's canonical JSON and its stored encoding); the main process then
appends the planned rows in file order. A chunk ends at a line break outside quotes, found by
following the csv module's own quoting rules (a quote opens a quoted field only at the start
of a field; inside one, `""` is a quote and a lone `"` closes it; elsewhere a quote is a plain
character), so each chunk parses exactly as it does inside the whole file.

`plan_chunk` runs in a worker (or in-process for a small file) after `start_worker` gave it
the header's column index and width, a catalog snapshot and the import's clock. A row with
more (non-empty) cells than the header has columns is left unplanned (`too_many_cells`), so the
main process reports it one at a time, with the same line number whatever the chunks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, NamedTuple

from kirana import import_keys
from kirana.catalog import CatalogSnapshot
from kirana.errors import KiranaError
from kirana.i18n import tr
from kirana.io.csv_rules import TYPE_ALIASES, RowPlanner
from kirana.jsonfast import canonical, loads_payload
from kirana.projections import entry_effect
from kirana.rules.invoices import NUMBERED
from kirana.store import EVENT_ID, encode_payload
from kirana.tabular import FORMULA_STARTS

COLUMNS = ("date", "type", "customer", "amount", "method", "items", "reference", "note", "key")
CHUNK_BYTES = 1 << 18
BOM = b"\xef\xbb\xbf"
_QUOTES = re.compile(rb'"+')
_FIELD_START = b",\r\n"
UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # e.g. NUL
BAD_TEXT = re.compile(f"{UNDECODABLE.pattern}|{CONTROL.pattern}")


def record_chunks(handle: BinaryIO, size: int | None = None) -> Iterator[bytes]:
    """The file's bytes (without a UTF-8 byte order mark) in chunks that each end with a
    whole record (the last may not end with a line break). A record longer than `size` makes
    its chunk longer. `size` defaults to CHUNK_BYTES."""
    size = size or CHUNK_BYTES
    carry = handle.read(len(BOM))
    if carry == BOM:
        carry = b""  # the csv module never sees it
    while True:
        block = handle.read(size)
        if not block:
            if carry:
                yield carry
            return
        data = carry + block
        cut = last_record_end(data)
        if cut:
            yield data[:cut]
            carry = data[cut:]
        else:
            carry = data


def last_record_end(data: bytes) -> int:
    """The offset just after the last line break of `data` (which starts at a record's start)
    that is outside quotes, or 0 if there is none. A line break is LF, CRLF or a lone CR (old
    Mac files); a CR that ends `data` is left for the next read, which may bring its LF."""
    if b'"' not in data:
        return _last_line_end(data, 0, len(data))
    quoted, gap_start, unquoted_gaps = False, 0, []
    for run in _QUOTES.finditer(data):
        start, end = run.span()
        if not quoted:
            unquoted_gaps.append((gap_start, start))
        if quoted:
            quoted = (end - start) % 2 == 0  # pairs are quotes; an odd one out closes
        elif start == 0 or data[start - 1] in _FIELD_START:
            quoted = (end - start) % 2 == 1  # opens; any pairs after it are quotes
        gap_start = end
    if not quoted:
        unquoted_gaps.append((gap_start, len(data)))
    for start, end in reversed(unquoted_gaps):
        cut = _last_line_end(data, start, end)
        if cut:
            return cut
    return 0


def _last_line_end(data: bytes, start: int, end: int) -> int:
    if end == len(data) and end > start and data[end - 1] == 0x0D:
        end -= 1  # maybe the first half of a CRLF
    return max(data.rfind(b"\n", start, end), data.rfind(b"\r", start, end)) + 1


def unneutralise(text: str) -> str:
    """Undo kirana.tabular.neutralise: "'=x" -> "=x"; any other text is unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def row_fields(cells: list[str], index: dict[str, int]) -> dict[str, str]:
    """A row's cells -> {column: stripped text} for every column of docs/csv.md ('' when absent)."""
    fields = dict.fromkeys(COLUMNS, "")
    width = len(cells)
    for name, position in _positions(index):
        if position < width:
            text = cells[position].strip()
            fields[name] = unneutralise(text) if text[:1] == "'" else text
    return fields


_positions_of: list = [None, ()]  # [the header's index, its kirana columns' (name, position)]


def _positions(index: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """The kirana columns of a header index, worked out once per import (it holds the index
    itself, so the answer is never another dict's)."""
    if _positions_of[0] is not index:
        columns = tuple((name, position) for name, position in index.items() if name in COLUMNS)
        _positions_of[:] = [index, columns]
    return _positions_of[1]


def too_many_cells(cells: list[str], width: int | None) -> str | None:
    """Why a row with more cells than the header's `width` columns is bad (a comma in an
    unquoted cell moves every cell after it), or None. Empty cells beyond the header are
    allowed: spreadsheets add them. The caller compares lengths first; this runs only then."""
    if width is None or len(cells) <= width:
        return None
    used = len(cells)
    while used > width and not cells[used - 1].strip():
        used -= 1
    if used <= width:
        return None
    return tr(
        "{used} cells but the header has {width} columns; quote a cell that holds a comma"
    ).format(used=used, width=width)


def fingerprint(fields: dict[str, str]) -> str:
    """The row's normalised content (everything but the key), hashed."""
    kind = TYPE_ALIASES.get(fields["type"].lower(), fields["type"].lower())
    normal = [
        fields["date"],
        kind,
        " ".join(fields["customer"].split()).lower(),
        fields["amount"],
        fields["method"].lower(),
        ";".join(part.strip() for part in fields["items"].split(";") if part.strip()),
        fields["reference"],
        fields["note"],
    ]
    text = canonical(normal)  # as json.dumps(normal, ensure_ascii=False, separators=…)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def derived_key(fingerprint_hex: str, occurrence: int) -> str:
    """The key of a row without one: its content and which repeat of that content it is."""
    return "sha256:" + hashlib.sha256(f"{fingerprint_hex}:{occurrence}".encode()).hexdigest()


def digest(text: str, size: int) -> bytes:
    """A short, fixed-size digest of a key or fingerprint for the import_keys table."""
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()[:size]


class PlannedRow(NamedTuple):
    """One CSV row as a worker leaves it (a plain tuple: cheap to send between processes).

    `plan` is (type, occurred_at, customer, projections.entry_effect, data_json, stored
    payload, order key) for a row the main process may append directly, or None for a row it
    must check against the ledger one at a time (a void, a bad row, an exported event id)."""

    line: int  # within its chunk; the main process adds the lines before the chunk
    cells: list[str] | str  # a planned row's cells joined by NUL (which it cannot contain)
    fingerprint: str
    key: str  # as written ('' = derive it)
    key_digest: bytes  # of the written key, or of the derived key for a first occurrence
    fingerprint_digest: bytes
    plan: tuple | None

    def cell_list(self) -> list[str]:
        return self.cells.split("\0") if isinstance(self.cells, str) else self.cells


@dataclass(slots=True)
class ChunkPlan:
    """A chunk's rows, how many lines it spans, and a CSV syntax error that ended it."""

    size: int  # bytes
    rows: list[PlannedRow] = field(default_factory=list)
    lines: int = 0
    error: tuple[int, str] | None = None  # (line within the chunk, csv's message)

    def __reduce__(self) -> tuple:
        """Rows travel between processes as plain tuples: a NamedTuple is pickled through
        Python code, four times slower (2.6 against 0.6 µs a row)."""
        return _chunk_plan, (self.size, [tuple(row) for row in self.rows], self.lines, self.error)


def _chunk_plan(size: int, rows: list[tuple], lines: int, error: tuple | None) -> ChunkPlan:
    return ChunkPlan(size, list(map(PlannedRow._make, rows)), lines, error)


_worker: dict[str, Any] = {}


def start_worker(
    index: dict[str, int], catalog: CatalogSnapshot, now: datetime, width: int | None = None
) -> None:
    """Give this process what plan_chunk needs (a worker's initializer); `width`: how many
    columns the header has (None: rows are not checked against it)."""
    _worker["index"] = index
    _worker["width"] = width
    _worker["planner"] = RowPlanner(catalog, now)


def plan_chunk(task: tuple[bytes, int]) -> ChunkPlan:
    """Parse and plan one chunk: (its bytes, how many lines to skip: the header's)."""
    data, skip_lines = task
    index, planner, width = _worker["index"], _worker["planner"], _worker["width"]
    text = data.decode("utf-8", "surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    result = ChunkPlan(len(data))
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.error = (previous_end + 1, str(exc))
            break
        line, previous_end = previous_end + 1, reader.line_num
        if line <= skip_lines or not cells or all(not cell.strip() for cell in cells):
            continue
        wide = width is not None and len(cells) > width and too_many_cells(cells, width)
        result.rows.append(_plan_row(line, cells, index, planner, plannable=not wide))
    result.lines = reader.line_num
    return result


def _plan_row(
    line: int, cells: list[str], index: dict[str, int], planner: RowPlanner, plannable: bool
) -> PlannedRow:
    fields = row_fields(cells, index)
    fingerprint_hex = fingerprint(fields)
    key = fields["key"]
    key_digest = digest(key or derived_key(fingerprint_hex, 1), 16)
    content_digest = digest(fingerprint_hex, 8)
    plan = None
    if plannable and not BAD_TEXT.search("".join(cells)) and not EVENT_ID.match(key):
        try:
            planned = planner.plan(fields)
        except KiranaError:
            planned = None  # the main process reports it, with the same rules
        if planned is not None and planned.occurred_at is not None:
            data = import_keys.keyed(planned.data, key_digest, content_digest)
            order_key = planner.order_key(planned.occurred_at)
            plan = plan_of(planned.type, planned.occurred_at, planned.customer, data, order_key)
            cells = "\0".join(cells)
    return PlannedRow(line, cells, fingerprint_hex, key, key_digest, content_digest, plan)


def plan_of(kind: str, occurred_at: str, customer: str | None, data: dict, key: str) -> tuple:
    """A planned row's `plan`: what the main process appends without decoding anything
    (`key`: the business time's order key, dates.order_key)."""
    data_json = canonical(data)  # the payload builders' values: text, integers, no floats
    effect = entry_effect(kind, data, customer is not None)  # a walk-in's entry has no page
    # a sale or return is encoded once numbered, in the main process (csv_import)
    payload = b"" if kind in NUMBERED else encode_payload(data_json)
    return kind, occurred_at, customer, effect, data_json, payload, key


def rekeyed(row: PlannedRow, key: str) -> PlannedRow:
    """The row under another key (a repeat of the same content gets the next derived key);
    a planned row's payload carries its key, so its plan is made again."""
    key_digest = digest(key, 16)
    plan = row.plan
    if plan is not None:
        kind, occurred_at, customer, _, data_json, _, order_key = plan
        data = import_keys.keyed(loads_payload(data_json), key_digest, row.fingerprint_digest)
        plan = plan_of(kind, occurred_at, customer, data, order_key)
    return row._replace(key=key, key_digest=key_digest, plan=plan)
