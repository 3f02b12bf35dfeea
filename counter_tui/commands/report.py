"""`counter-tui report day`: the end-of-day figures as text, CSV or JSON."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from counter_tui.commands.common import command_shop, parse_day, reportable

report_app = typer.Typer(help="Reports for a spreadsheet or an email.", no_args_is_help=True)


class ReportFormat(StrEnum):
    """How `report day` prints: text for an email, csv for a spreadsheet, json for tools."""

    TEXT = "text"
    CSV = "csv"
    JSON = "json"


@report_app.command("day")
def report_day(
    ctx: typer.Context,
    day: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="The day to report, YYYY-MM-DD (default: today in the shop's time zone).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", case_sensitive=False, help="text, csv or json.")
    ] = ReportFormat.TEXT,
) -> None:
    """Print the end-of-day figures: scorecard, unreturned calls, overdue follow-ups,
    undecided hand-offs and visits flagged for review."""
    from counter_tui.report import render_day_report

    wanted = parse_day(day) if day is not None else None
    with command_shop(ctx) as shop:
        today = shop.calendar.local_date(shop.now())
        report = render_day_report(shop, reportable(wanted or today, today), fmt.value)
    typer.echo(report, nl=not report.endswith("\n"))
