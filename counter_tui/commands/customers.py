"""`counter-tui customers import FILE`: bring the customers of a till's (POS) export in.

Asks for a shift lead's name and PIN (`lead_auth`); the rules live in
`services/customer_import.py`. Prints the layout and column mapping it uses, a progress
bar on stderr at a terminal (a line a batch otherwise, for logs), then the counts.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated

import typer

from counter_tui.cli.errors import printable
from counter_tui.commands.exports import customers_export
from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_required
from counter_tui.commands.subject_access import customers_subject_access
from counter_tui.sentences import counted
from counter_tui.services import customer_import
from counter_tui.services.customer_import import ImportCounts, ImportPlan, ImportRequest, Progress
from counter_tui.services.till_import.layouts import ColumnChoice, Till

customers_app = typer.Typer(
    help="Customers in bulk: import from a till's export, export; one customer's data.", no_args_is_help=True
)


def _column(what: str) -> object:
    return typer.Option(help=f"Plain CSV: the header of the column holding {what}.", show_default=False)


@customers_app.command("import")
def customers_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The till's customer export (CSV).", show_default=False)],
    till: Annotated[
        Till,
        typer.Option(
            "--from", case_sensitive=False, help="Which till made it; auto tells by the header row."
        ),
    ] = Till.AUTO,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show what would be new, updated, unchanged and rejected; write nothing."
        ),
    ] = False,
    exported: Annotated[
        str | None,
        typer.Option(
            "--exported",
            help="The day the export was taken, YYYY-MM-DD (default: the file's date); "
            "opt-ins recorded in the shop after it are kept.",
            show_default=False,
        ),
    ] = None,
    name_column: Annotated[str, _column("the whole name")] = "",
    first_name_column: Annotated[str, _column("the first name")] = "",
    last_name_column: Annotated[str, _column("the last name")] = "",
    phone_column: Annotated[str, _column("the phone number")] = "",
    email_column: Annotated[str, _column("the email address")] = "",
    id_column: Annotated[str, _column("the till's customer id")] = "",
    email_consent_column: Annotated[str, _column("yes/no to marketing email")] = "",
    sms_consent_column: Annotated[str, _column("yes/no to marketing texts")] = "",
    note_column: Annotated[str, _column("a note about the customer")] = "",
    batch_rows: Annotated[
        int,
        typer.Option(
            "--batch-rows", min=1, max=10_000, help="Rows saved together (a stop loses at most one batch)."
        ),
    ] = customer_import.BATCH_ROWS,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Import customers from a Shopify, Square or Lightspeed export, or a plain CSV.
    Importing the same file again changes nothing; a later export updates what changed."""
    from counter_tui.commands.common import command_shop, parse_day
    from counter_tui.errors import Stopped

    columns = ColumnChoice(
        name=name_column,
        first_name=first_name_column,
        last_name=last_name_column,
        phone=phone_column,
        email=email_column,
        till_id=id_column,
        email_consent=email_consent_column,
        sms_consent=sms_consent_column,
        note=note_column,
    )
    exported_at = datetime.combine(parse_day(exported), time(23, 59), UTC) if exported else None
    request = ImportRequest(
        file, till=till, columns=columns, exported_at=exported_at, dry_run=dry_run, batch_rows=batch_rows
    )
    with command_shop(ctx) as shop:
        allowed_by = lead_required(shop, "customers import", lead, lead_pin)
        with _ProgressBar() as progress:
            try:
                counts = customer_import.import_customers(shop, allowed_by, request, progress)
            except customer_import.ImportStopped as stopped:
                raise Stopped(_stopped(progress.rows_done, dry_run, stopped.counts)) from None
            except KeyboardInterrupt:
                raise Stopped(_stopped(progress.rows_done, dry_run, None)) from None
    _say_counts(counts, dry_run)


def _stopped(rows_done: int, dry_run: bool, counts: ImportCounts | None) -> str:
    """What a stopped import left behind, how to finish it, and where the rows to look at
    are: a run again counts the rows done as unchanged and does not list them again."""
    if dry_run:
        return "Stopped by Ctrl+C; nothing was written (dry run)."
    done = f"The first {counted(rows_done, 'row')} {'is' if rows_done == 1 else 'are'} done"
    saved = done if rows_done else "Nothing was saved"
    files = [
        f"{what} are in {path}"
        for what, path in (
            ("rows to review", counts.review_path if counts else None),
            ("rejected rows", counts.rejects_path if counts else None),
        )
        if path is not None
    ]
    joined = " and ".join(files)
    kept = f" {joined[:1].upper()}{joined[1:]}." if files else ""
    return (
        f"Stopped by Ctrl+C. {saved} (only whole batches are); run the same command again to finish: "
        f"rows already imported count as unchanged.{kept}"
    )


class _ProgressBar(Progress):
    """The mapping on stdout, then a progress bar on stderr at a terminal, or one line a
    batch when not at one."""

    def __enter__(self) -> _ProgressBar:
        from rich.console import Console

        self._console = Console(stderr=True)
        self._bar: object = None
        self.rows_done = 0
        return self

    def planned(self, plan: ImportPlan) -> None:
        typer.echo(
            f"Reading a {plan.mapping.layout.label} export ({plan.encoding}, separator {plan.separator!r}):"
        )
        for line in plan.mapping.describe():
            typer.echo(f"  {line}")
        if self._console.is_terminal:
            from rich.progress import Progress as RichProgress

            bar = RichProgress(console=self._console, transient=True)
            bar.start()
            self._task = bar.add_task("Importing", total=1)
            self._bar = bar

    def advanced(self, bytes_read: int, bytes_total: int, counts: ImportCounts) -> None:
        from rich.progress import Progress as RichProgress

        self.rows_done = counts.rows
        if isinstance(self._bar, RichProgress):
            self._bar.update(self._task, completed=bytes_read, total=max(bytes_total, 1))
        else:
            typer.echo(f"  {counted(counts.rows, 'row')} done")

    def __exit__(self, *exc: object) -> None:
        from rich.progress import Progress as RichProgress

        if isinstance(self._bar, RichProgress):
            self._bar.stop()


def _say_counts(counts: ImportCounts, dry_run: bool) -> None:
    verb = "Would import" if dry_run else "Imported"
    typer.echo(
        f"{verb} {counted(counts.rows, 'row')}: {counts.new:,} new, {counts.updated:,} updated, "
        f"{counts.unchanged:,} unchanged, {counts.rejected:,} rejected."
    )
    if counts.rejects_path is not None:
        typer.echo(f"Rejected rows, each with its reason, are in {printable(str(counts.rejects_path))}")
    elif dry_run and counts.first_rejects:
        typer.echo("First rejected rows:")
        for line in counts.first_rejects:
            typer.echo(f"  {line}")
    if counts.to_review:
        typer.echo(f"{counts.to_review:,} to review (possible duplicates, details or consents kept).")
    if counts.review_path is not None:
        where = printable(str(counts.review_path))
        typer.echo(f"Rows to review, each with the customer and the reason, are in {where}")
    elif dry_run and counts.first_reviews:
        typer.echo("First rows to review:")
        for line in counts.first_reviews:
            typer.echo(f"  {line}")
    if dry_run:
        typer.echo("Nothing was written (dry run).")


customers_app.command("export")(customers_export)
customers_app.command("subject-access")(customers_subject_access)
