"""A customer's statement as a report: the khata page and the ledger head it was read at.

The page itself (opening dues, every entry with its running dues, voided entries marked,
closing dues) is kirana.statements.statement; this wraps it with the head so it renders like the
month and GST reports: layout_statement.py lays it out, report_json.statement_json is its JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kirana.statements import Statement


@dataclass(frozen=True)
class StatementReport:
    page: Statement
    head: dict
    warnings: tuple[str, ...] = ()
    upi_link: str | None = None  # upi://pay for the closing dues, when the shop has a UPI id

    @property
    def period(self) -> str:
        return f"{self.page.start or 'the beginning'} to {self.page.end or 'today'}"


def statement_report(
    ledger,
    customer: str,
    start: date | None = None,
    end: date | None = None,
    known_at: str | None = None,
    *,
    newest: int | None = None,
    lazy: bool = False,
) -> StatementReport:
    """The khata page of `customer` (a name or unique prefix) for the days start..end (as
    known at a recorded_at bound when given: the page as it was printed then, read whole);
    with `newest`, only that many of the newest entries (opening with the dues before them). A
    `lazy` page reads its lines as they are drawn: draw it inside `period.snapshot(ledger)`,
    so the lines and the head come from the same state of the log."""
    from kirana import customers, dates, queries, statements
    from kirana.catalog import shop_settings_on
    from kirana.reports.period import snapshot
    from kirana.upi import dues_link

    with snapshot(ledger):  # the lines and the head from the same state of the log
        row = customers.find(ledger.conn, customer)
        page = statements.statement(ledger, row.id, start, end, known_at, newest=newest, lazy=lazy)
        day = end or dates.today()
        link = dues_link(shop_settings_on(ledger.conn, day), page.customer, page.closing_paise, day)
        head = queries.head_as_known_at(ledger, known_at)
        return StatementReport(page, head, upi_link=link)
