"""The options many commands share, declared once: --json, --on, --ref, --note, --as-of,
--as-known-at, --format/--out, and the payment-method flags with the rule for choosing one.

A command names them as defaults (`as_json: bool = options.JSON`), so the flag, its short
form and its help read the same in every `--help`.
"""

from __future__ import annotations

import typer

from kirana.cli.emit import FORMAT_HELP, OUT_HELP

ON_HELP = "When it happened: 2025-03-03, 03-03-2025, '2025-03-03 14:05', yesterday (default: now)."
AS_OF_HELP = "Dues as of this moment in business time (a date means the end of that day)."
KNOWN_HELP = "Use only entries recorded by then: what did the khata say on that day?"

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
JSON_EVENT = typer.Option(False, "--json", help="Print the appended event as JSON.")
ON = typer.Option(None, "--on", help=ON_HELP)
REF = typer.Option(None, "--ref", help="Reference: bill no., UPI transaction id (UTR), cheque no.")
NOTE = typer.Option(None, "--note", help="A free-text note.")
AS_OF = typer.Option(None, "--as-of", help=AS_OF_HELP)
AS_KNOWN_AT = typer.Option(None, "--as-known-at", help=KNOWN_HELP)


def completing(*choices: str):
    """A shell-completion function offering `choices` (for an option with fixed values)."""

    def complete(incomplete: str) -> list[str]:
        return [choice for choice in choices if choice.startswith(incomplete.lower())]

    return complete


def complete_format(incomplete: str) -> list[str]:
    """Shell completion of --format: the report formats starting with what has been typed."""
    from kirana.reports.render import FORMATS

    return [fmt for fmt in FORMATS if fmt.startswith(incomplete.lower())]


FORMAT = typer.Option(None, "--format", "-f", help=FORMAT_HELP, autocompletion=complete_format)
OUT = typer.Option(None, "--out", "-o", help=OUT_HELP)

CUSTOMER_GSTIN = typer.Option(
    None, "--gstin", help="The customer's GSTIN, for a business that buys B2B (GSTR-1 b2b)."
)
DUPLICATE_REF = typer.Option(
    False,
    "--duplicate-ref",
    help="Record it even though another entry has the same --ref (a second transfer).",
)
CASH = typer.Option(False, "--cash", help="Paid in cash.")
UPI = typer.Option(False, "--upi", help="Paid by UPI.")
CARD = typer.Option(False, "--card", help="Paid by card.")
CHEQUE = typer.Option(False, "--cheque", help="Paid by cheque.")
BANK = typer.Option(False, "--bank", help="Bank transfer (NEFT/IMPS/RTGS).")
CREDIT = typer.Option(False, "--credit", help="On credit (udhaar): adds to dues.")


def one_method(flags: dict[str, bool], default: str | None) -> str:
    """The one method flag given (--cash, --upi, …), else `default`; two flags, or none
    without a default, is an error."""
    from kirana.errors import InputError
    from kirana.i18n import tr

    chosen = [name for name, on in flags.items() if on]
    if len(chosen) > 1:
        given = " and ".join("--" + c for c in chosen)
        raise InputError(tr("choose one method, not {flags}").format(flags=given))
    if chosen:
        return chosen[0]
    if default is None:
        choices = " | ".join("--" + n for n in flags)
        raise InputError(tr("say how it was paid: {flags}").format(flags=choices))
    return default
