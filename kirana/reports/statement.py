"""A customer's statement as a report: the khata page and the ledger head it was read at.

The page itself (opening dues, every entry with its running dues, voided entries marked,
closing dues) is kirana.queries.statement; this wraps it with the head so it renders like the
month and GST reports: layout_statement.py lays it out, report_json.statement_json is its JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kirana.queries import Statement


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
) -> StatementReport:
    """The khata page of `customer` (a name or unique prefix) for the days start..end (as
    known at a recorded_at bound when given: the page as it was printed then)."""
    from kirana import customers, dates, queries
    from kirana.catalog import shop_settings_on
    from kirana.reports.period import snapshot
    from kirana.upi import dues_link

    with snapshot(ledger):  # the lines and the head from the same state of the log
        row = customers.find(ledger.conn, customer)
        page = queries.statement(ledger, row.id, start, end, known_at)
        day = end or dates.today()
        link = dues_link(shop_settings_on(ledger.conn, day), page.customer, page.closing_paise, day)
        head = queries.head_as_known_at(ledger, known_at)
        return StatementReport(page, head, upi_link=link)
