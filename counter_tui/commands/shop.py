"""`counter-tui shop …`: the shop-wide settings (hours, holidays, time zone, thresholds,
targets, kiosk choices) from the command line: show them, set one, set a day's hours,
add or remove a holiday.

Every terminal reads these from the database, so a change here reaches all of them
without a restart. Changing asks for a shift lead's name and PIN (`lead_auth`) and is
audited as that lead; the rules live in `services/shop_settings.py`. A change of when the
shop is open says how many open follow-ups it moved off times the shop is now shut.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_for_command
from counter_tui.services import shop_settings
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.due_moves import moved_said
from counter_tui.services.shop_settings import SettingsChanged
from counter_tui.shop_rules import flatten, show_value
from counter_tui.text import one_line

shop_app = typer.Typer(
    help="The shop's own rules, the same on every terminal: hours, holidays, thresholds, targets.",
    no_args_is_help=True,
)
holiday_app = typer.Typer(help="Days the shop is closed.", no_args_is_help=True)
shop_app.add_typer(holiday_app, name="holiday")

DayArgument = Annotated[str, typer.Argument(help="The date, YYYY-MM-DD.", show_default=False)]


REPAIRED = "stored out of range, so this nearest allowed value is used until a lead sets it"


@shop_app.command("show")
def shop_show(ctx: typer.Context) -> None:
    """List every shop-wide setting and its value (as you would type it to `shop set`)."""
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        settings = shop_settings.listing(shop)
    width = max(len(setting.key) for setting in settings)
    for setting in settings:
        repaired = f"  ({REPAIRED})" if setting.repaired else ""
        typer.echo(f"{setting.key:<{width}}  {one_line(setting.text)}{repaired}")


@shop_app.command("set", context_settings={"ignore_unknown_options": True})
def shop_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The setting, e.g. thresholds.greet_within_minutes.")],
    value: Annotated[str, typer.Argument(help="Its new value, as `shop show` prints it.")],
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Change one shop-wide setting (a shift lead's name and PIN are needed)."""
    # A value such as -5 is not an option (ignore_unknown_options): it reaches the
    # setting's own check, which says what may be typed.
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        changed = shop_settings.change(shop, _lead(shop, "shop set", lead, lead_pin), {key: value})
    _say_now(changed, key)


@shop_app.command("hours")
def shop_hours(
    ctx: typer.Context,
    weekday: Annotated[str, typer.Argument(help="mon, tue, wed, thu, fri, sat or sun.")],
    hours: Annotated[
        str, typer.Argument(help='e.g. 09:00-17:30, 09:00-12:30,13:30-17:30 (closed for lunch), or "closed".')
    ],
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Set one weekday's opening hours; due times and closing follow on every terminal."""
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        changed = shop_settings.set_hours(shop, _lead(shop, "shop hours", lead, lead_pin), weekday, hours)
    _say_now(changed, f"shop.hours.{weekday.strip().lower()[:3]}")


@holiday_app.command("add")
def holiday_add(
    ctx: typer.Context, day: DayArgument, lead: LeadOption = None, lead_pin: LeadPinOption = None
) -> None:
    """Close the shop on a day (it no longer counts as a business day for due times); a
    day that is a holiday already is said to be, and nothing changes."""
    from counter_tui.commands.common import command_shop, parse_day

    wanted = parse_day(day)
    with command_shop(ctx) as shop:
        added = shop_settings.add_holiday(shop, _lead(shop, "shop holiday add", lead, lead_pin), wanted)
    said = "is now a holiday" if added.changed else "was already a holiday; nothing changed"
    _say_holidays(added, wanted, said)


@holiday_app.command("remove")
def holiday_remove(
    ctx: typer.Context, day: DayArgument, lead: LeadOption = None, lead_pin: LeadPinOption = None
) -> None:
    """Open the shop again on a day that was a holiday."""
    from counter_tui.commands.common import command_shop, parse_day

    wanted = parse_day(day)
    with command_shop(ctx) as shop:
        changed = shop_settings.remove_holiday(
            shop, _lead(shop, "shop holiday remove", lead, lead_pin), wanted
        )
    _say_holidays(changed, wanted, "is no longer a holiday")


def _lead(shop: ShopContext, command: str, lead: str | None, lead_pin: str | None) -> Actor:
    """The lead allowing the change; a shop without a lead cannot change its settings yet."""
    from counter_tui.cli.failure import CommandFailed

    allowed_by = lead_for_command(shop, command, lead, lead_pin)
    if allowed_by is None:
        raise CommandFailed(
            "Only a shift lead can change the shop's settings, and this shop has none yet. "
            "Add one with: counter-tui staff add NAME --role lead"
        )
    return allowed_by


def _say_now(changed: SettingsChanged, key: str) -> None:
    """The setting's new value, shown like any stored text (`one_line`: nothing that could
    drive the lead's terminal), or that it is empty; and the follow-ups it moved."""
    typer.echo(f"{key} is now {one_line(show_value(key, flatten(changed.rules)[key])) or 'empty'}.")
    _say_moved(changed)


def _say_holidays(changed: SettingsChanged, day: date, what: str) -> None:
    remaining = ", ".join(holiday.isoformat() for holiday in changed.rules.shop.holidays) or "none"
    typer.echo(f"{day.isoformat()} {what}. Holidays: {remaining}.")
    _say_moved(changed)


def _say_moved(changed: SettingsChanged) -> None:
    """How many open follow-ups the change moved off times the shop is now shut, if any."""
    if changed.followups_moved:
        typer.echo(moved_said(changed.followups_moved))
