"""Closing the books: `kirana close PERIOD` and `kirana reopen PERIOD --reason R`.

A closed month or quarter (e.g. once its GST return is filed) takes no entry dated inside it:
the commands and every import refuse one (kirana.rules.closed_periods) until it is reopened.
"""

from __future__ import annotations

import typer

from kirana.cli import options
from kirana.cli.context import open_ledger
from kirana.i18n import tr

PERIOD_HELP = "A month YYYY-MM or a calendar quarter YYYY-Qn (Q3 = Jul–Sep)."


def close(
    period: str = typer.Argument(..., help=PERIOD_HELP),
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Close a month or quarter: entries dated inside it are refused from now on.

    Example: kirana close 2025-09
    """
    from kirana import recording
    from kirana.cli import render

    with open_ledger() as ledger:
        recorded = recording.close_period(ledger, period)
    if as_json:
        render.print_json(recorded.event.to_json())
        return
    data = recorded.event.data
    render.line(
        tr(
            "#{seq} Closed {period} at entry {head_seq} (hash {value}); entries dated inside it are refused until kirana reopen {period} --reason …"
        ).format(
            seq=recorded.event.seq,
            period=data["period"],
            head_seq=data["head_seq"],
            value=data["head_hash"][:12],
        )
    )


def reopen(
    period: str = typer.Argument(..., help=PERIOD_HELP),
    reason: str = typer.Option(..., "--reason", help="Why it is reopened (kept in the log)."),
    as_json: bool = options.JSON_EVENT,
) -> None:
    """Reopen a closed month or quarter, saying why; its reports will say what changed after.

    Example: kirana reopen 2025-09 --reason 'late bill from 28 Sep'
    """
    from kirana import recording
    from kirana.cli import render

    with open_ledger() as ledger:
        recorded = recording.reopen_period(ledger, period, reason)
    if as_json:
        render.print_json(recorded.event.to_json())
        return
    data = recorded.event.data
    render.line(
        tr("#{seq} Reopened {period}: {reason}").format(
            seq=recorded.event.seq, period=data["period"], reason=data["reason"]
        )
    )


def register(app: typer.Typer) -> None:
    for command in (close, reopen):
        app.command(help=command.__doc__)(command)
