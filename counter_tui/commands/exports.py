"""`counter-tui customers export`, `visits export`, `followups export`: the shop's data as
CSV for a spreadsheet (`--bom` for Excel) or JSON Lines for tools.

Each asks for a shift lead's name and PIN (`lead_auth`) and is audited as that lead with
the row count; the rows and their rules come from `services/exports.py`. Written to
`--out FILE` (a new file in a folder that exists, readable by its user only, never over
an existing file: `files.new_private_file`) or to standard output, with the
count said on standard error so a pipe gets only the data. Stopped by Ctrl+C, it says
which: the file not written, or the rows on standard output incomplete.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_required
from counter_tui.services.export_format import ExportFormat
from counter_tui.services.exports import ExportKind, Period

visits_app = typer.Typer(help="Visits in bulk: export.", no_args_is_help=True)
followups_app = typer.Typer(help="Follow-ups in bulk: export.", no_args_is_help=True)

FormatOption = Annotated[
    ExportFormat,
    typer.Option("--format", case_sensitive=False, help="csv (for a spreadsheet) or jsonl (for tools)."),
]
BomOption = Annotated[
    bool,
    typer.Option("--bom", help="Start the CSV with a UTF-8 byte order mark, so Excel reads accents right."),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="The file to write (default: standard output).", show_default=False),
]
STOPPED_ON_STDOUT = "Stopped by Ctrl+C; what the export wrote to standard output is incomplete."
NOUNS = {ExportKind.CUSTOMERS: "customer", ExportKind.VISITS: "visit", ExportKind.FOLLOWUPS: "follow-up"}


def customers_export(
    ctx: typer.Context,
    fmt: FormatOption = ExportFormat.CSV,
    bom: BomOption = False,
    out: OutOption = None,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Every customer on file with their consents (erased customers are never exported)."""
    _export(ctx, ExportKind.CUSTOMERS, fmt, bom, out, Period(), lead, lead_pin)


@visits_app.command("export")
def visits_export(
    ctx: typer.Context,
    first: Annotated[
        str | None,
        typer.Option("--from", help="First day, YYYY-MM-DD (default: the first visit).", show_default=False),
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).", show_default=False)
    ] = None,
    fmt: FormatOption = ExportFormat.CSV,
    bom: BomOption = False,
    out: OutOption = None,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Visits that arrived between --from and --to (shop days, both included)."""
    from counter_tui.commands.common import parse_day

    period = Period(parse_day(first) if first else None, parse_day(last) if last else None)
    _export(ctx, ExportKind.VISITS, fmt, bom, out, period, lead, lead_pin)


@followups_app.command("export")
def followups_export(
    ctx: typer.Context,
    fmt: FormatOption = ExportFormat.CSV,
    bom: BomOption = False,
    out: OutOption = None,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Every follow-up, open, done or cancelled, with its customer and owner."""
    _export(ctx, ExportKind.FOLLOWUPS, fmt, bom, out, Period(), lead, lead_pin)


def _export(
    ctx: typer.Context,
    kind: ExportKind,
    fmt: ExportFormat,
    bom: bool,
    out: Path | None,
    period: Period,
    lead: str | None,
    lead_pin: str | None,
) -> None:
    from counter_tui.cli.errors import printable
    from counter_tui.commands.common import command_shop
    from counter_tui.errors import Stopped
    from counter_tui.files import checked_new_file, new_private_file
    from counter_tui.sentences import counted
    from counter_tui.services import exports

    if out is not None:
        checked_new_file(out, "the export")  # before asking for a PIN
    with command_shop(ctx) as shop:
        allowed_by = lead_required(shop, f"{kind.value} export", lead, lead_pin)
        if out is None:
            try:
                count = exports.export(shop, allowed_by, kind, sys.stdout, fmt, bom=bom, period=period)
            except KeyboardInterrupt:
                raise Stopped(STOPPED_ON_STDOUT) from None
        else:
            with (
                new_private_file(out, "the export") as new,
                new.partial.open("w", encoding="utf-8", newline="") as stream,
            ):
                count = exports.export(
                    shop, allowed_by, kind, stream, fmt, bom=bom, period=period, destination=str(out)
                )
    where = f" to {printable(str(out))}" if out is not None else ""
    typer.echo(f"Exported {counted(count, NOUNS[kind])}{where}.", err=out is None)
