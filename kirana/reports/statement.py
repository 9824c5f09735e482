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
    from kirana import customers, queries
    from kirana.reports.period import snapshot

    with snapshot(ledger):  # the lines and the head from the same state of the log
        row = customers.find(ledger.conn, customer)
        page = queries.statement(ledger, row.id, start, end, known_at)
        return StatementReport(page, queries.head_as_known_at(ledger, known_at))
