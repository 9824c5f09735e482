"""The read models' tables: the DDL each migration runs, and the list `rebuild` clears.

What each table holds is told in kirana/projections.py, which keeps them up to date; the
year_dues, month_dues and page_lines tables live with their own modules (kirana/year_dues.py,
kirana/month_dues.py, kirana/page_lines.py).
"""

READ_MODEL_DDL = """
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    credit_limit_paise INTEGER,
    added_at TEXT NOT NULL
) STRICT;
CREATE TABLE customer_names (name_lower TEXT PRIMARY KEY, customer_id INTEGER NOT NULL) STRICT;
CREATE TABLE balances (customer_id INTEGER PRIMARY KEY, balance_paise INTEGER NOT NULL) STRICT;
CREATE TABLE entries (
    seq INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    order_key TEXT NOT NULL,
    delta_paise INTEGER NOT NULL
) STRICT;
CREATE INDEX entries_by_customer ON entries (customer_id, order_key);
CREATE TABLE voided (target_seq INTEGER PRIMARY KEY, void_seq INTEGER NOT NULL) STRICT;
CREATE TABLE daily_sales (
    day TEXT PRIMARY KEY,
    sales_paise INTEGER NOT NULL,
    returns_paise INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE returns_against (
    sale_seq INTEGER NOT NULL,
    return_seq INTEGER NOT NULL,
    amount_paise INTEGER NOT NULL,
    PRIMARY KEY (sale_seq, return_seq)
) STRICT;
CREATE TABLE catalog (
    name_lower TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    price_paise INTEGER NOT NULL,
    gst_rate TEXT NOT NULL,
    hsn TEXT NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (name_lower, effective_from, seq)
) STRICT;
CREATE TABLE shop_settings (
    effective_from TEXT NOT NULL,
    seq INTEGER NOT NULL,
    settings TEXT NOT NULL,
    PRIMARY KEY (effective_from, seq)
) STRICT;
"""
MERGES_DDL = """
ALTER TABLE customers ADD COLUMN merged_into INTEGER;
CREATE TABLE customer_merges (
    from_id INTEGER PRIMARY KEY,
    into_id INTEGER NOT NULL,
    seq INTEGER NOT NULL
) STRICT;
"""
REFERENCES_DDL = """
CREATE TABLE entry_references (
    seq INTEGER PRIMARY KEY,
    method TEXT NOT NULL,
    reference TEXT NOT NULL
) STRICT;
CREATE INDEX entry_references_by_reference ON entry_references (method, reference);
"""
INVOICE_SERIES_DDL = """
CREATE TABLE invoice_series (series TEXT PRIMARY KEY, next_number INTEGER NOT NULL) STRICT;
"""
PERIOD_CLOSES_DDL = """
CREATE TABLE period_closes (
    seq INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    first_day TEXT NOT NULL,
    end_day TEXT NOT NULL,
    head_seq INTEGER NOT NULL,
    reopened_seq INTEGER
) STRICT;
"""
UPI_IDS_DDL = """
CREATE TABLE customer_upi_ids (
    vpa TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    seq INTEGER NOT NULL
) STRICT;
CREATE INDEX customer_upi_ids_by_customer ON customer_upi_ids (customer_id);
"""
READ_MODEL_TABLES = (
    "customers",
    "customer_names",
    "balances",
    "entries",
    "voided",
    "returns_against",
    "daily_sales",
    "catalog",
    "shop_settings",
    "entry_references",
    "customer_merges",
    "import_keys",
    "year_dues",
    "month_dues",
    "page_lines",
    "aging_runs",
    "invoice_series",
    "period_closes",
    "customer_upi_ids",
)
