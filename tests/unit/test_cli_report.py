"""`counter-tui report day`: the hand-built day of the report tests printed through the
command line in each format, the default day in the shop's time zone, and bad dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner, Result

from counter_tui import cli
from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.config import Settings
from counter_tui.report import render_day_report
from counter_tui.services.context import ShopContext
from tests.conftest import Team, set_shop_rules
from tests.unit.test_report import FRIDAY, build_day, expected_report

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_on_the_test_clock(monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    """The command opens the shop on the test's manual clock and with the test shop's name,
    so its figures are those of the hand-built day."""

    def open_on_test_clock(settings: Settings, **options: object) -> ShopContext:
        return open_shop(settings, clock=clock)

    monkeypatch.setattr("counter_tui.bootstrap.open_shop", open_on_test_clock)
    monkeypatch.setenv("COUNTER_TUI_SHOP__NAME", "Test Shop")


def report(database_url: str, *args: str) -> Result:
    """Run `counter-tui --db URL report day ARGS…` in-process."""
    return runner.invoke(cli.app, ["--db", database_url, "report", "day", *args])


def test_json_for_a_date_is_the_hand_built_day(
    ctx: ShopContext, team: Team, clock: ManualClock, database_url: str
) -> None:
    day = build_day(ctx, team, clock)

    result = report(database_url, "--date", "2026-11-20", "--format", "json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected_report(day)
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_text_and_csv_print_the_report_exactly(
    ctx: ShopContext, team: Team, clock: ManualClock, database_url: str, fmt: str
) -> None:
    """Byte for byte what the report module renders (checked line by line in test_report)."""
    build_day(ctx, team, clock)

    result = report(database_url, "--date", "2026-11-20", "--format", fmt.upper())

    assert result.exit_code == 0, result.output
    assert result.stdout == render_day_report(ctx, FRIDAY, fmt)
    assert result.stdout.startswith(
        "Test Shop - end of day 2026-11-20" if fmt == "text" else "section,who,item,value,target,met,detail\n"
    )


def test_text_is_the_default_format_and_today_the_default_day(
    ctx: ShopContext, team: Team, clock: ManualClock, database_url: str
) -> None:
    build_day(ctx, team, clock)  # leaves the clock at Friday 17:45

    result = report(database_url)

    assert result.exit_code == 0, result.output
    assert result.stdout == render_day_report(ctx, FRIDAY, "text")


def test_today_is_the_shops_day_not_the_utc_day(
    ctx: ShopContext, clock: ManualClock, database_url: str
) -> None:
    """At 03:00 UTC on Saturday it is still Friday evening in New York."""
    set_shop_rules(ctx, {"shop.timezone": "America/New_York"})
    clock.moment = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)

    result = report(database_url, "--format", "json")

    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert (printed["date"], printed["timezone"]) == ("2026-11-20", "America/New_York")


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "20-11-2026", "20261120", "tomorrow", ""])
def test_a_bad_date_is_one_red_line(database_url: str, bad: str) -> None:
    result = report(database_url, "--date", bad)

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == f"{bad!r} is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-20.\n"
    assert "Traceback" not in result.output


def test_an_unknown_format_is_refused_by_name(database_url: str) -> None:
    result = report(database_url, "--format", "xml")

    assert result.exit_code == 2
    assert "xml" in result.stderr
    assert result.stdout == ""
