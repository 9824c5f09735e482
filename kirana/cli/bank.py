"""`kirana import FILE --format bank`: the day's UPI money from a statement, and what it says
back (payments recorded, duplicates, unmatched credits and the review file to fill in)."""

from __future__ import annotations

import sys
from pathlib import Path

from kirana.i18n import tr, tr_n

SHOW_PAYMENTS = 30  # payments listed by line in the plain summary (--json lists all)
SHOW_UNMATCHED = 30  # unmatched credits listed in the plain summary (all are in the review file)


def import_statement(
    file: Path,
    *,
    profile: str | None,
    columns: str | None,
    review: Path | None,
    dry_run: bool,
    skip_invalid: bool,
    as_json: bool,
    progress,
) -> None:
    from kirana.cli import render
    from kirana.cli.context import open_ledger
    from kirana.errors import InputError
    from kirana.io import bank_import, bank_profiles
    from kirana.io.safe_file import check_target
    from kirana.safe_text import visible

    if skip_invalid:
        raise InputError(
            tr("--skip-invalid is not for a bank statement: fix the file, or the rows")
        )
    chosen = bank_profiles.profile_named(profile, columns)
    review = review or file.with_name(file.stem + ".review.csv")
    check_target(review, flag="--review", inputs=[file])  # before anything is appended

    def problem(line: int, reason: str) -> None:
        sys.stderr.write(tr("line {line}: {reason}\n").format(line=line, reason=visible(reason)))

    with open_ledger() as ledger, progress(file) as bar:
        size = file.stat().st_size

        def moved(done: int, total: int) -> None:
            bar.update(size * done // max(total, 1), size)

        summary = bank_import.import_statement(
            ledger,
            file,
            profile=chosen,
            dry_run=dry_run,
            review_path=review,
            on_problem=problem,
            progress=moved if bar.callback else None,
        )
    for warning in summary.warnings:
        render.warn(warning)
    if as_json:
        render.print_json(summary.to_json())
        return
    verb = (
        tr("Dry run: would append")
        if dry_run
        else tr("Imported {file} ({profile}):").format(file=file.name, profile=summary.profile)
    )
    count, duplicates = summary.appended, summary.duplicates
    others = summary.other_credits_skipped
    parts = [
        tr_n("{count} payment", "{count} payments", count).format(count=count),
        tr_n("{count} duplicate skipped", "{count} duplicates skipped", duplicates).format(
            count=duplicates
        ),
        tr("{count} unmatched").format(count=len(summary.unmatched)),
        tr("{count} debits skipped").format(count=summary.debits_skipped),
    ]
    if others:
        parts.append(tr("{count} other credits skipped").format(count=others))
    render.line(f"{verb} {', '.join(parts)}")
    for payment in summary.payments[:SHOW_PAYMENTS]:
        render.line(
            tr(
                "  line {line}: {amount} from {customer} ({method} {reference}, by {matched_by})"
            ).format(
                line=payment["line"],
                amount=render_rupees(payment["amount_paise"]),
                customer=payment["customer"],
                method=payment["method"].upper(),
                reference=payment["reference"],
                matched_by=payment["matched_by"],
            )
        )
    if len(summary.payments) > SHOW_PAYMENTS:
        render.line(
            tr("  and {value} more (see --json)").format(
                value=len(summary.payments) - SHOW_PAYMENTS
            )
        )
    if summary.unmatched:
        render.line(tr("Not matched to a customer (never guessed):"))
        for credit in summary.unmatched[:SHOW_UNMATCHED]:
            render.line(f"  {bank_import.describe(credit)}")
        more = len(summary.unmatched) - SHOW_UNMATCHED
        if more > 0:
            render.line(tr("  and {more} more (see --json)").format(more=more))
        if summary.review_path:
            render.line(
                tr(
                    "Fill in the customer column of {review_path}, then: kirana import {review_path}"
                ).format(review_path=summary.review_path)
            )
    if dry_run:
        render.line(tr("Nothing was written (dry run)."))


def render_rupees(paise: int) -> str:
    from kirana.money import format_rupees

    return format_rupees(paise)
