"""Read models: tables kept in the same transaction as each append, rebuilt from the log.

- customers / customer_names: who exists, under every name they have had.
- balances: each customer's current dues (full knowledge, all business time).
- entries: every khata entry naming a customer (sales, payments, returns, openings, voids,
  confirmations) with its effect on dues (0 for a cash sale, a void or a confirmation) and its
  order key: a balance as of any moment is one indexed SUM, and a customer's statement is one
  indexed range. "As known at" a moment is a prefix of the log (recorded_at never decreases
  along seq), so it needs no column here: see queries.known_at_seq.
- daily_sales: per business day, sales and returns (voided ones taken out): turnover.
- returns_against: which returns were made against which sale, and for how much.
- voided: which entries were voided, by which void, when the void was recorded.
- catalog, shop_settings: effective-dated item prices and shop configuration.
- customer_upi_ids: each UPI id -> its customer (as they count now): who paid, for the bank import.
- entry_references: the (method, reference) of each UPI, card, cheque or bank sale or payment,
  so a reference typed twice is found (voided ones stay; the query leaves them out).
- import_keys: the import key an imported entry carries (kirana/import_keys.py), so a row
  imported again is known; keys recorded before schema 3 stay in import_keys_before_3.
- year_dues: dues moved per customer and business year (kirana/year_dues.py).
- month_dues: dues moved per business month and customer (kirana/month_dues.py).
- page_lines: what a customer's page shows of each entry, in page order (kirana/page_lines.py).
- aging_runs: each customer's live credits with their running total, for aging
  (kirana/aging_runs.py).
- invoice_series: each invoice / credit note series (`INV/2025-26`) and the number it gives
  next (kirana.invoices); a voided sale keeps its number, so voids do not touch it.
- period_closes: each `kirana close` (the period, its days, the head it closed at) and the
  `kirana reopen` that ended it, if any: which periods are closed, at any entry.
kirana/rebuild.py clears and recomputes all of them; verify.py checks they equal replay.fold().
"""

from __future__ import annotations

import json
import sqlite3

from kirana import (
    aging_runs,
    dates,
    find_index,
    import_keys,
    invoices,
    month_dues,
    page_lines,
    year_dues,
)
from kirana.events import (
    CUSTOMER_ADDED,
    CUSTOMER_UPDATED,
    CUSTOMERS_MERGED,
    ITEM_PRICED,
    PAYMENT,
    PERIOD_CLOSED,
    PERIOD_REOPENED,
    RETURN,
    SALE,
    SHOP_CONFIGURED,
    VOID,
    Event,
    dues_delta_of,
    reference_key,
    upcast,
)
from kirana.read_model_tables import (
    INVOICE_SERIES_DDL,
    MERGES_DDL,
    PERIOD_CLOSES_DDL,
    READ_MODEL_DDL,
    REFERENCES_DDL,
    UPI_IDS_DDL,
)
from kirana.store import fetch_event, row_to_event, run_ddl
from kirana.store.codec import COLUMNS


def create_tables(conn: sqlite3.Connection) -> None:
    run_ddl(conn, READ_MODEL_DDL)


def create_merges(conn: sqlite3.Connection) -> None:
    """Migration 007: customers can be merged (no ledger had a merge before this)."""
    run_ddl(conn, MERGES_DDL)


def create_invoice_series(conn: sqlite3.Connection) -> None:
    """Migration 010: the invoice series read model, filled from the sales and returns a
    ledger already has (numbers came with this step, so an older ledger has none yet)."""
    run_ddl(conn, INVOICE_SERIES_DDL)
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM events WHERE type IN (?, ?) AND schema >= 3 ORDER BY seq",
        (SALE, RETURN),
    )
    pending = EntryBatch()
    for row in rows:
        pending.add_voucher(upcast(row_to_event(row)).data.get(invoices.FIELD))
    pending.flush(conn)


def create_period_closes(conn: sqlite3.Connection) -> None:
    """Migration 009: closed periods (no ledger had a period_closed event before this)."""
    run_ddl(conn, PERIOD_CLOSES_DDL)


def create_upi_ids(conn: sqlite3.Connection) -> None:
    """Migration 011: customers' UPI ids, filled from the log's customer_updated events."""
    run_ddl(conn, UPI_IDS_DDL)
    kinds = (CUSTOMER_UPDATED, CUSTOMERS_MERGED)
    for row in conn.execute(
        f"SELECT {COLUMNS} FROM events WHERE type IN (?, ?) ORDER BY seq", kinds
    ):
        event = upcast(row_to_event(row))
        if event.type == CUSTOMER_UPDATED:
            _add_upi_ids(conn, event)
        else:
            _merge_upi_ids(conn, event)


def _add_upi_ids(conn: sqlite3.Connection, event: Event) -> None:
    """A customer_updated's UPI ids, each kept by the customer who had it first."""
    customer_id = customer_id_for(conn, event.customer)
    conn.executemany(
        "INSERT OR IGNORE INTO customer_upi_ids VALUES (?, ?, ?)",
        [(vpa, customer_id, event.seq) for vpa in event.data.get("upi_ids", ())],
    )


def _merge_upi_ids(conn: sqlite3.Connection, event: Event) -> None:
    """A merge: FROM's UPI ids are INTO's (read before customer_names move to INTO)."""
    conn.execute(
        "UPDATE customer_upi_ids SET customer_id = ? WHERE customer_id = ?",
        (customer_id_for(conn, event.customer), customer_id_for(conn, event.data["from"])),
    )


def final_ids(conn: sqlite3.Connection, known_seq: int | None = None) -> dict[int, int]:
    """Each merged-away customer id -> the customer it counts as now (or as known at
    `known_seq`), following chains of merges."""
    merged = {
        from_id: into_id
        for from_id, into_id, seq in conn.execute(
            "SELECT from_id, into_id, seq FROM customer_merges"
        )
        if known_seq is None or seq <= known_seq
    }
    final = {}
    for from_id, into_id in merged.items():
        into = into_id
        while into in merged:
            into = merged[into]
        final[from_id] = into
    return final


def create_import_keys(conn: sqlite3.Connection) -> None:
    """Migration 008: import keys move inside the events. The keys a ledger recorded before
    (outside its events) are kept as they were, in import_keys_before_3, and still looked up;
    import_keys becomes a read model of the events' `import_key` fields (none yet)."""
    conn.execute(f"ALTER TABLE import_keys RENAME TO {import_keys.LEGACY_TABLE}")
    conn.execute(
        "CREATE TABLE import_keys (key BLOB PRIMARY KEY, fingerprint BLOB NOT NULL,"
        " seq INTEGER NOT NULL) STRICT, WITHOUT ROWID"
    )


def create_references(conn: sqlite3.Connection) -> None:
    """Migration 006: the references read model (which live sale or payment carries which UPI
    UTR, card, cheque or bank reference), filled from the log a ledger already has."""
    run_ddl(conn, REFERENCES_DDL)
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM events WHERE type IN (?, ?) ORDER BY seq", (SALE, PAYMENT)
    )
    pending = EntryBatch()
    for row in rows:
        event = upcast(row_to_event(row))
        pending.add_reference(event.seq, reference_key(event.type, event.data))
    pending.flush(conn)


def customer_id_for(conn: sqlite3.Connection, name: str | None) -> int | None:
    if name is None:
        return None
    row = conn.execute(
        "SELECT customer_id FROM customer_names WHERE name_lower = ?", (name.lower(),)
    ).fetchone()
    return row[0] if row else None


def apply(conn: sqlite3.Connection, raw: Event, *, runs: bool = True, text: bool = True) -> None:
    """Update every read model for one newly appended event (aging_runs too unless `runs` is
    False, find_text too unless `text` is False: rebuild fills each once at the end)."""
    event = upcast(raw)
    kind, data = event.type, event.data
    if kind == CUSTOMER_ADDED:
        conn.execute(
            "INSERT INTO customers (id, name, phone, credit_limit_paise, added_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                event.seq,
                event.customer,
                data.get("phone"),
                data.get("credit_limit_paise"),
                event.occurred_at,
            ),
        )
        conn.execute(
            "INSERT INTO customer_names VALUES (?, ?)", (event.customer.lower(), event.seq)
        )
        conn.execute("INSERT INTO balances VALUES (?, 0)", (event.seq,))
    elif kind == CUSTOMER_UPDATED:
        customer_id = customer_id_for(conn, event.customer)
        for column in ("name", "phone", "credit_limit_paise"):
            if column in data:
                conn.execute(
                    f"UPDATE customers SET {column} = ? WHERE id = ?", (data[column], customer_id)
                )
        if "name" in data:
            conn.execute(
                "INSERT OR REPLACE INTO customer_names VALUES (?, ?)",
                (data["name"].lower(), customer_id),
            )
        if "upi_ids" in data:
            _add_upi_ids(conn, event)
    elif kind == VOID:
        conn.execute("INSERT INTO voided VALUES (?, ?)", (data["target"], event.seq))
        _take_back(conn, event, runs)
        key = import_keys.of(data)
        if key is not None:
            conn.execute("INSERT OR IGNORE INTO import_keys VALUES (?, ?, ?)", (*key, event.seq))
    elif kind == CUSTOMERS_MERGED:
        _merge(conn, event, runs)
    elif kind == PERIOD_CLOSED:
        from kirana.periods import close_row  # rare: kept off the start-up path

        conn.execute("INSERT INTO period_closes VALUES (?, ?, ?, ?, ?, ?)",
                     close_row(event.seq, data))  # fmt: skip
    elif kind == PERIOD_REOPENED:
        conn.execute(
            "UPDATE period_closes SET reopened_seq = ? WHERE period = ? AND reopened_seq IS NULL",
            (event.seq, data["period"]),
        )
    elif kind == ITEM_PRICED:
        conn.execute(
            "INSERT INTO catalog VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                data["name"].lower(),
                data["effective_from"],
                event.seq,
                data["name"],
                data["price_paise"],
                data["gst_rate"],
                data.get("hsn", ""),
                data.get("unit", ""),
            ),
        )
    elif kind == SHOP_CONFIGURED:
        settings = {k: v for k, v in data.items() if k != "effective_from"}
        conn.execute(
            "INSERT INTO shop_settings VALUES (?, ?, ?)",
            (data["effective_from"], event.seq, json.dumps(settings, sort_keys=True)),
        )
    else:
        pending = EntryBatch(runs, text_later=not text)
        pending.add(
            event.seq,
            kind,
            entry_effect(kind, data, event.customer is not None),
            dates.order_key(event.occurred_at),
            customer_id_for(conn, event.customer),
            event.customer,
            event.occurred_at,
        )
        pending.flush(conn)
        return
    row = find_index.row(raw.seq, raw.customer, raw.data)  # as stored
    find_index.insert(conn, [row], text=text)


def entry_effect(kind: str, data: dict, paged: bool = True) -> tuple:
    """What a khata entry does to the read models: (its amount, its change to the customer's
    dues, the sale it is a return against or None, its (method, reference) or None, its import
    key digests or None, its invoice / credit note number or None, its find index terms, its
    page line: page_lines.line_of, or None unless `paged`: a walk-in's entry has none). Small, so an import's worker can send it instead of the
    payload (the import's main process fills in the number when it seals the row: `numbered`)."""
    amount, delta = data.get("amount_paise", 0), dues_delta_of(kind, data)
    reference, voucher = reference_key(kind, data), data.get(invoices.FIELD)
    terms, line = find_index.payload_terms(data), page_lines.line_of(data) if paged else None
    return amount, delta, data.get("against"), reference, import_keys.of(data), voucher, terms, line


def numbered(effect: tuple, voucher: str) -> tuple:
    """The entry_effect of a payload without a number once it is given `voucher`."""
    terms = find_index.with_voucher(effect[6], voucher)
    line = effect[7] and page_lines.with_voucher(effect[7], voucher)
    return (*effect[:5], voucher, terms, line)


_DAILY = frozenset({SALE, RETURN})  # the entries counted in daily_sales


def entry_batch() -> EntryBatch:
    """A fresh EntryBatch (what store.EventBatch asks the read models for)."""
    return EntryBatch()


class EntryBatch:
    """Read-model changes of khata entries (sale, payment, return, opening, confirmation),
    gathered and then written with one statement per table: `apply()` uses it for one event,
    the CSV import for thousands. `add` is the one rule for what an entry does to them.
    `runs`: keep aging_runs too (rebuild fills it once at the end instead)."""

    def __init__(self, runs: bool = True, text_later: bool = False) -> None:
        self.runs = runs
        self.text_later = text_later  # rebuild: find_text is built at once at the end
        self.clear()

    def clear(self) -> None:
        self.entries: list[tuple[int, int, str, int]] = []
        self.balances: dict[int, int] = {}
        self.daily: dict[str, list[int]] = {}
        self.against: list[tuple[int, int, int]] = []
        self.references: list[tuple[int, str, str]] = []
        self.import_keys: list[tuple[bytes, bytes, int]] = []
        self.months: dict[tuple[int, str], int] = {}  # (customer id, 'YYYY-MM') -> dues moved
        self.series: dict[str, int] = {}
        self.finds: list[tuple] = []  # find_index rows
        self.pages: list[tuple] = []  # page_lines rows

    def add(
        self,
        seq: int,
        kind: str,
        effect: tuple,
        key: str,
        customer_id: int | None,
        customer: str | None,
        occurred_at: str,
    ) -> None:
        """One appended entry with its entry_effect; `key` is its order key, `customer_id`
        None for a walk-in, `customer` and `occurred_at` its columns."""
        amount, delta, against, reference, import_key, voucher, terms, line = effect
        # the helpers below (add_reference, add_daily, add_year), inlined: rebuild
        # and the CSV import call this once an entry
        self.finds.append(find_index.row_of(seq, customer, terms))
        if reference is not None:
            self.references.append((seq, *reference))
        if import_key is not None:
            self.import_keys.append((*import_key, seq))
        if voucher is not None:
            self.add_voucher(voucher)
        if kind in _DAILY:
            totals = self.daily.get(key[:10])
            if totals is None:
                totals = self.daily[key[:10]] = [0, 0]
            totals[0 if kind == SALE else 1] += amount
            if kind == RETURN and against is not None:
                self.against.append((against, seq, amount))
        if customer_id is None:
            return
        self.entries.append((seq, customer_id, key, delta))
        self.pages.append((customer_id, key, seq, kind, occurred_at, customer, line))
        if delta:
            balances = self.balances
            balances[customer_id] = balances.get(customer_id, 0) + delta
            month = (customer_id, key[:7])  # the year's too: flush_totals adds them up
            self.months[month] = self.months.get(month, 0) + delta

    def add_reference(self, seq: int, reference: tuple[str, str] | None) -> None:
        if reference is not None:
            self.references.append((seq, *reference))

    def add_voucher(self, voucher: str | None) -> None:
        """An invoice or credit note number: its series gives the one after it next."""
        if voucher is not None:
            series, number = invoices.series_of(voucher)
            self.series[series] = max(self.series.get(series, 0), number + 1)

    def add_void(self, void: Event, customer_id: int | None, key: str) -> None:
        """A void's entry (it moves no dues itself) and page line; `key` is its order key."""
        if customer_id is not None:
            self.entries.append((void.seq, customer_id, key, 0))
            row = (customer_id, key, void.seq, void.type, void.occurred_at, void.customer)
            self.pages.append((*row, page_lines.line_of(void.data)))

    def add_year(self, customer_id: int, key: str, delta: int) -> None:
        """`delta` moves the dues of `customer_id` in the business month (and so the year) of
        order key `key`."""
        month = (customer_id, key[:7])
        self.months[month] = self.months.get(month, 0) + delta

    def add_daily(self, key: str, kind: str, amount: int) -> None:
        totals = self.daily.setdefault(key[:10], [0, 0])
        totals[0 if kind == SALE else 1] += amount

    def flush(self, conn: sqlite3.Connection) -> None:
        self.flush_rows(conn)
        self.flush_totals(conn)

    def flush_rows(self, conn: sqlite3.Connection) -> None:
        """Write the rows gathered (entries, returns, references, import keys, find rows)."""
        if self.entries:
            conn.executemany("INSERT INTO entries VALUES (?, ?, ?, ?)", self.entries)
            if self.runs:
                aging_runs.add_credits(conn, [entry for entry in self.entries if entry[3] > 0])
        if self.against:
            conn.executemany("INSERT INTO returns_against VALUES (?, ?, ?)", self.against)
        if self.references:
            conn.executemany("INSERT INTO entry_references VALUES (?, ?, ?)", self.references)
        if self.import_keys:
            self.write_import_keys(conn)
        if self.pages:
            self.write_pages(conn)
        find_index.insert(conn, self.finds, text=not self.text_later)
        self.entries, self.against, self.references, self.import_keys = [], [], [], []
        self.finds, self.pages = [], []

    def write_pages(self, conn: sqlite3.Connection) -> None:
        """page_lines rows, in key order (nearer one another in the table)."""
        self.pages.sort()
        conn.executemany(page_lines.INSERT, self.pages)

    def write_import_keys(self, conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT OR IGNORE INTO import_keys VALUES (?, ?, ?)", self.import_keys)

    def flush_totals(self, conn: sqlite3.Connection) -> None:
        """Add the totals gathered (balances, days, years, invoice series) to the tables: every
        one is added to what is stored, so totals may wait past rows written after them."""
        if self.balances:
            conn.executemany(
                "UPDATE balances SET balance_paise = balance_paise + ? WHERE customer_id = ?",
                [(delta, customer_id) for customer_id, delta in self.balances.items()],
            )
        if self.daily:
            conn.executemany(
                "INSERT INTO daily_sales VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET"
                " sales_paise = sales_paise + excluded.sales_paise,"
                " returns_paise = returns_paise + excluded.returns_paise",
                [(day, sales, returns) for day, (sales, returns) in self.daily.items()],
            )
        if self.months:
            years: dict[tuple[int, int], int] = {}
            for (customer_id, month), delta in self.months.items():
                year = (customer_id, int(month[:4]))
                years[year] = years.get(year, 0) + delta
            year_dues.add_moved(conn, years)
            month_dues.add_moved(conn, self.months)
        if self.series:
            conn.executemany(
                "INSERT INTO invoice_series VALUES (?, ?) ON CONFLICT (series) DO UPDATE SET"
                " next_number = max(next_number, excluded.next_number)",
                list(self.series.items()),
            )
        self.balances, self.daily, self.months, self.series = {}, {}, {}, {}


def _merge(conn: sqlite3.Connection, event: Event, runs: bool = True) -> None:
    """FROM's dues move to INTO, FROM's names become INTO's former names, and FROM's row stays
    (marked merged) so views as known before the merge still show two customers."""
    from_id = customer_id_for(conn, event.data["from"])
    into_id = customer_id_for(conn, event.customer)
    _merge_upi_ids(conn, event)
    conn.execute("INSERT INTO customer_merges VALUES (?, ?, ?)", (from_id, into_id, event.seq))
    conn.execute("UPDATE customers SET merged_into = ? WHERE id = ?", (into_id, from_id))
    conn.execute(
        "UPDATE customer_names SET customer_id = ? WHERE customer_id = ?", (into_id, from_id)
    )
    moved = conn.execute(
        "SELECT balance_paise FROM balances WHERE customer_id = ?", (from_id,)
    ).fetchone()[0]
    conn.execute("DELETE FROM balances WHERE customer_id = ?", (from_id,))
    conn.execute(
        "UPDATE balances SET balance_paise = balance_paise + ? WHERE customer_id = ?",
        (moved, into_id),
    )
    if runs:
        aging_runs.refill(conn, [into_id], drop=(from_id,))


def _take_back(conn: sqlite3.Connection, void: Event, runs: bool = True) -> None:
    """A void takes its target out of the day's totals and its customer's dues."""
    pending = EntryBatch(runs)
    target = fetch_event(conn, void.data["target"])
    if target and target.type in (SALE, RETURN):
        pending.add_daily(dates.order_key(target.occurred_at), target.type, -target.amount_paise)
    row = conn.execute(
        "SELECT customer_id, delta_paise, order_key FROM entries WHERE seq = ?",
        (void.data["target"],),
    ).fetchone()
    if row and row[1]:
        owner = final_ids(conn).get(row[0], row[0])  # a merged customer's dues are INTO's
        pending.balances[owner] = -row[1]
        pending.add_year(row[0], row[2], -row[1])  # the year as the entries have it
    pending.add_void(void, customer_id_for(conn, void.customer), dates.order_key(void.occurred_at))
    pending.flush(conn)
    if runs and row and row[1] > 0:  # a credit goes: its customer's running totals change
        aging_runs.take_out(conn, owner, row[2], void.data["target"])
