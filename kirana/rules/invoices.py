"""The invoice series rule, in one place: every sale gets the next number of its financial
year's invoice series, every return the next of its credit note series, assigned when it is
appended (commands, both paths of the CSV import) and checked when it arrives whole (JSONL).

The numbers come from the `invoice_series` read model (kirana.projections); `Series` keeps the
numbers it has given out, so the CSV import can number a whole chunk of rows before the chunk's
read-model changes are written.
"""

from __future__ import annotations

from kirana import dates, invoices
from kirana.errors import InputError
from kirana.events import RETURN, SALE, Event
from kirana.i18n import tr

NUMBERED = (SALE, RETURN)


class Series:
    """The next invoice and credit note numbers, as the ledger (and the rows numbered since it
    was read) stand."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.order_key = dates.order_key_function()
        self.next: dict[str, int] = {}
        self._series: dict[tuple[str, str], tuple[str, int]] = {}  # (kind, occurred_at) ->

    def number(self, kind: str, occurred_at: str, order_key: str | None = None) -> str:
        """The number the next `kind` (sale or return) dated `occurred_at` gets; taken.
        `order_key`: dates.order_key(occurred_at), when the caller has it (an import's row):
        its month names the financial year."""
        memo = (kind, order_key[:7]) if order_key else (kind, occurred_at)
        found = self._series.get(memo)
        if found is None:
            key = order_key or self.order_key(occurred_at)
            year, month = int(key[:4]), int(key[5:7])
            fy_start = year if month >= 4 else year - 1
            found = invoices.series_name(invoices.prefix_for(kind), fy_start), fy_start
            if len(self._series) > 50_000:
                self._series.clear()  # an import's dates repeat: a few hundred a year
            self._series[memo] = found
        series, fy_start = found
        number = self.next.get(series)
        if number is None:
            row = self.conn.execute(
                "SELECT next_number FROM invoice_series WHERE series = ?", (series,)
            ).fetchone()
            number = row[0] if row else 1
        self.next[series] = number + 1
        if number < 10_000:  # the usual form, as invoices.format_number writes it
            return f"{series}/{number:04d}"
        return invoices.format_number(invoices.prefix_for(kind), fy_start, number)

    def forget(self) -> None:
        """Read the read model again (something else has numbered entries since)."""
        self.next = {}


def stamped(ledger, kind: str, occurred_at: str, data: dict) -> dict:
    """The payload of a sale or return with its number (anything else unchanged)."""
    if kind not in NUMBERED:
        return data
    return {**data, invoices.FIELD: Series(ledger.conn).number(kind, occurred_at)}


def check_arrived(ledger, event: Event) -> None:
    """A sale or return that arrives whole (JSONL) carries the next number of its series; one
    recorded before numbers (schema 1 or 2) carries none."""
    if event.type not in NUMBERED:
        return
    given = event.data.get(invoices.FIELD)
    what = tr("invoice") if event.type == SALE else tr("credit note")
    if given is None:
        if event.schema >= 3:
            raise InputError(
                tr("a {type} recorded by this kirana carries its {what} number").format(
                    type=event.type, what=what
                )
            )
        return
    expected = Series(ledger.conn).number(event.type, event.occurred_at)
    if given != expected:
        raise InputError(
            tr(
                "{what} number {given} is not the next of its series ({expected}); numbers run on without gaps in entry order"
            ).format(what=what, given=given, expected=expected)
        )
