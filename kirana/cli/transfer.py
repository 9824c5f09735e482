"""Moving data in and out: import (CSV/JSONL), export (jsonl/csv/ledger/beancount), backup."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import typer

from kirana.cli import options
from kirana.cli.context import open_ledger, read_ledger
from kirana.i18n import tr, tr_n

SHOW_NEW = 20  # new customers listed by name in the plain summary


def _format_for(path: Path, given: str | None) -> str:
    from kirana.errors import InputError

    fmt = (given or "").strip().lower()
    if not fmt:
        fmt = "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "csv"
    if fmt not in ("csv", "jsonl", "bank"):
        raise InputError(
            tr("import format {given!r} is unknown; use csv, jsonl or bank").format(given=given)
        )
    return fmt


class _Progress:
    """A Rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, path: Path):
        self.bar = None
        if not sys.stderr.isatty():
            return
        from rich.progress import Progress

        from kirana.cli import render

        self.bar = Progress(console=render.console(stderr=True), transient=True)
        self.task = self.bar.add_task(f"Importing {path.name}", total=path.stat().st_size or None)

    def __enter__(self):
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, done: int, total: int) -> None:
        if self.bar is not None and total:
            self.bar.update(self.task, completed=done)

    @property
    def callback(self):
        return self.update if self.bar is not None else None


def import_file(
    file: Path = typer.Argument(..., help="The CSV or JSONL file to import."),
    fmt: str | None = typer.Option(
        None,
        "--format",
        help="csv, jsonl or bank (a bank statement or UPI app report; default: from the file"
        " name, .jsonl = jsonl).",
        autocompletion=options.completing("csv", "jsonl", "bank"),
    ),
    profile: str | None = typer.Option(
        None,
        "--profile",
        help="bank: hdfc, sbi, icici, axis, kotak, phonepe, paytm or generic (default: from"
        " the header row).",
    ),
    columns: str | None = typer.Option(
        None,
        "--columns",
        help="bank, --profile generic: which header holds what, e.g."
        " 'date=Txn Date,narration=Remarks,credit=Deposit,debit=Withdrawal,ref=UTR'.",
    ),
    review: Path | None = typer.Option(
        None,
        "--review",
        help="bank: where unmatched credits are written (default FILE.review.csv).",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check everything, append nothing."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Append the good rows; write the bad ones to --rejects."
    ),
    rejects: Path | None = typer.Option(
        None, "--rejects", help="Where --skip-invalid writes bad rows (default FILE.rejects.csv)."
    ),
    new_customers: bool = typer.Option(
        False,
        "--new-customers",
        help="CSV: add a new customer even when the name looks like one the khata has"
        " (default: such a row is an error that names the look-alike).",
    ),
    as_json: bool = options.JSON,
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=0,
        help="CSV: processes that check rows beside this one (default: one per core, up to 2,"
        " for a file of 512 KB or more; 0 = check them here).",
    ),
) -> None:
    """Import sales, payments, returns, opening dues and voids from a CSV (or a JSONL export),
    or the day's UPI money from a bank statement (--format bank).

    All or nothing: every bad row is reported as `line N: reason` and nothing is appended,
    unless --skip-invalid. Safe to repeat: rows already imported are counted as duplicates.
    CSV columns: date,type,customer,amount,method,items,reference,note,key.

    Example: kirana import sample_data/sharma_store.csv --dry-run
    """
    from kirana.cli import render

    kind = _format_for(file, fmt)
    if not file.is_file():
        from kirana.errors import InputError

        raise InputError(
            tr("no file {file}; check the path").format(file=file)
        )  # before a ledger file is created
    if kind == "bank":
        from kirana.cli.bank import import_statement

        bank = {"profile": profile, "columns": columns, "review": review}
        import_statement(file, **bank, dry_run=dry_run, skip_invalid=skip_invalid,
                         as_json=as_json, progress=_Progress)  # fmt: skip
        return
    if profile is not None or columns is not None or review is not None:
        from kirana.errors import InputError

        raise InputError(tr("--profile, --columns and --review are for --format bank"))
    if skip_invalid and rejects is None:
        suffix = ".rejects.jsonl" if kind == "jsonl" else ".rejects.csv"
        rejects = file.with_name(file.stem + suffix)
    if rejects is not None:  # before anything is read or appended
        from kirana.io.safe_file import check_target

        check_target(rejects, flag="--rejects", inputs=[file])

    def problem(line: int, reason: str) -> None:
        from kirana.safe_text import visible  # the reason may quote the file

        sys.stderr.write(tr("line {line}: {reason}\n").format(line=line, reason=visible(reason)))

    if kind == "jsonl":
        from kirana.io.jsonl import import_jsonl as run

        options = {}
    else:
        from kirana.io.csv_import import import_csv as run

        options = {"workers": workers, "new_customers": new_customers}
    with open_ledger() as ledger, _Progress(file) as bar:
        summary = run(
            ledger,
            file,
            **options,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            rejects_path=rejects,
            on_problem=problem,
            progress=bar.callback,
        )
    for warning in summary.warnings:
        render.warn(warning)
    if as_json:
        render.print_json(summary.to_json())
        return
    verb = tr("Dry run: would append") if dry_run else tr("Imported {file}:").format(file=file.name)
    appended, duplicates = summary.appended, summary.duplicates
    parts = [
        tr_n("{count} entry", "{count} entries", appended).format(count=appended),
        tr_n("{count} duplicate skipped", "{count} duplicates skipped", duplicates).format(
            count=duplicates
        ),
        tr("{count} rejected").format(count=summary.rejected),
    ]
    print(f"{verb} {', '.join(parts)}")
    if summary.new_customers:
        shown = ", ".join(summary.new_customers[:SHOW_NEW])
        more = len(summary.new_customers) - SHOW_NEW
        shown += " " + tr("and {count} more (see --json)").format(count=more) if more > 0 else ""
        label = tr("Customers it would add") if dry_run else tr("New customers")
        render.line(f"{label} ({len(summary.new_customers)}): {shown}")
    if summary.rejects_path:
        print(
            tr("Rejected rows with reasons: {rejects_path}").format(
                rejects_path=summary.rejects_path
            )
        )
    if dry_run:
        print(tr("Nothing was written (dry run)."))


def export(
    fmt: str = typer.Option(
        "jsonl",
        "--format",
        help="jsonl, csv, ledger, beancount; for one --period: gstr1, gstr3b, cmp08, tally.",
        autocompletion=options.completing(
            "jsonl", "csv", "ledger", "beancount", "gstr1", "gstr3b", "cmp08", "tally"
        ),
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to a file (default: stdout)."),
    period: str | None = typer.Option(
        None, "--period", help="gstr1/gstr3b/cmp08/tally: a month YYYY-MM or a quarter YYYY-Qn."
    ),
    as_known_at: str | None = options.AS_KNOWN_AT,
) -> None:
    """Export the whole ledger for another tool or another kirana, or one period's GST
    return file or TallyPrime import file for the accountant.

    jsonl is exact and re-importable, csv is the import format, ledger is an hledger /
    ledger-cli journal, beancount a beancount file. gstr1 and gstr3b are the GST portal's
    JSON, cmp08 a composition quarter's, tally a TallyPrime XML import (masters and vouchers).

    Example: kirana export --format gstr1 --period 2025-09 --out gstr1-2025-09.json
    """
    from kirana import dates
    from kirana.io.export import FORMATS, PERIOD_FORMATS
    from kirana.io.export import export as run

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        from kirana.errors import InputError

        raise InputError(
            tr("export format {fmt!r} is unknown; use one of {formats}").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )
    from kirana.cli import render

    known_at = dates.known_at_bound(as_known_at)
    warnings: list[str] = []
    with read_ledger() as ledger:
        if out is None:
            run(ledger, fmt, sys.stdout, period, known_at, warnings)
            for warning in warnings:
                render.warn(warning)
            return
        from kirana.io.safe_file import writing

        with writing(out, flag="--out", ledger=ledger.path) as handle:
            count = run(ledger, fmt, handle, period, known_at, warnings)
    for warning in warnings:
        render.warn(warning)
    if fmt in PERIOD_FORMATS:
        print(
            tr_n(
                "Exported {fmt} for {period} ({count} document) to {out}",
                "Exported {fmt} for {period} ({count} documents) to {out}",
                count,
            ).format(fmt=fmt, period=period, count=count, out=out)
        )
        return
    print(
        tr_n(
            "Exported {count} entry to {out} ({fmt})",
            "Exported {count} entries to {out} ({fmt})",
            count,
        ).format(count=count, out=out, fmt=fmt)
    )


def backup(file: Path = typer.Argument(..., help="The new backup file (must not exist).")) -> None:
    """Write a consistent copy of the ledger (SQLite backup API); the copy passes verify.

    Example: kirana backup khata-2025-03-31.db
    """
    from kirana.events import head_check
    from kirana.io.backup import backup_ledger

    with read_ledger() as ledger:
        head = backup_ledger(ledger, file)
    print(
        tr("Backed up {seq} entries to {file} (head: entry {seq} {hash})").format(
            seq=head["seq"], file=file, hash=head["hash"]
        )
    )
    check = head_check(head["seq"], head["hash"])
    print(
        tr("Check it later with: kirana --db {quote} verify --expect-head {check}").format(
            quote=shlex.quote(str(file)), check=check
        )
    )


def register(app: typer.Typer) -> None:
    app.command(name="import", help=import_file.__doc__)(import_file)
    app.command(help=export.__doc__)(export)
    app.command(help=backup.__doc__)(backup)
