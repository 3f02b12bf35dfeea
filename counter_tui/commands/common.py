"""What every `counter-tui` command shares: the global options, this terminal's settings,
the shop opened for a command, and the few parsers of typed values (days, URLs).

Light to import (no Typer models, no SQLAlchemy, no pydantic until called), since the
staff app's start reads the same options before its first frame.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_tui.cli.failure import CommandFailed
from counter_tui.cli.options import GlobalOptions

if TYPE_CHECKING:
    import typer

    from counter_tui.config import Settings
    from counter_tui.services.context import ShopContext

EARLIEST_REPORT_DAY = date(1970, 1, 1)


def global_options(ctx: typer.Context) -> GlobalOptions:
    """The options given before the command (defaults when there were none)."""
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, GlobalOptions) else GlobalOptions()


def command_settings(ctx: typer.Context, **overrides: Any) -> Settings:
    """Settings from the config file, env and the global flags; errors become sentences."""
    return settings_for(global_options(ctx), **overrides)


def settings_for(options: GlobalOptions, **overrides: Any) -> Settings:
    """`command_settings` for options read without Typer (the staff app's start)."""
    import tomllib

    from pydantic import ValidationError

    from counter_tui.config import load_settings
    from counter_tui.config_check import ConfigError

    if options.config_path is not None:
        if not options.config_path.is_file():
            raise CommandFailed(f"There is no settings file at {options.config_path}.")
        os.environ["COUNTER_TUI_CONFIG"] = str(options.config_path)
    overrides.setdefault("database_url", options.database_url)
    try:
        return load_settings(**overrides)
    except ConfigError as error:
        raise CommandFailed(str(error)) from error
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CommandFailed(f"Setting {where!r} is not valid: {first['msg']}.") from error
    except tomllib.TOMLDecodeError as error:
        raise CommandFailed(f"The settings file is not valid TOML: {error}.") from error


def may_create(settings: Settings) -> bool:
    """Whether opening may start a new shop: only the default file, on the first run."""
    from counter_tui.config import default_database_url

    return settings.database_url == default_database_url()


@contextmanager
def command_shop(ctx: typer.Context) -> Iterator[ShopContext]:
    """A migrated shop for a command, closed afterwards."""
    import typer

    shop = open_shop_for(command_settings(ctx))
    try:
        note = ignored_file_values_note(shop)
        if note:
            typer.secho(note, fg="yellow", err=True)
        yield shop
    finally:
        shop.database.dispose()


def open_shop_for(settings: Settings) -> ShopContext:
    """The shop these settings name, migrated (a new one only where `may_create`)."""
    from counter_tui.bootstrap import open_shop

    return open_shop(settings, create=may_create(settings))


def ignored_file_values_note(shop: ShopContext) -> str | None:
    """A note naming the shop-wide values in this terminal's settings file the shop does
    not use (it has its own, the same on every terminal), so an edit there is not silently
    lost; None when there are none."""
    import tomllib

    from counter_tui.config import default_config_path
    from counter_tui.errors import DomainError
    from counter_tui.shop_rules import ignored_file_keys

    path = default_config_path()
    if not path.is_file():
        return None
    try:
        with path.open("rb") as file:
            ignored = ignored_file_keys(shop.settings, tomllib.load(file), shop.rules)
    except DomainError:
        return None  # the shop's settings cannot be read; the command says so if it needs them
    if not ignored:
        return None
    return (
        f"Note: {path} sets {', '.join(ignored)}, but this shop's own setting"
        f"{'s are' if len(ignored) > 1 else ' is'} used (the same on every terminal). "
        "See them with: counter-tui shop show"
    )


def parse_day(text: str) -> date:
    """A date written YYYY-MM-DD, or a CommandFailed saying how to write it (quoting what
    was typed on one line, cut short: a pasted page must not fill the terminal)."""
    from counter_tui.text import one_line

    cleaned = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    raise CommandFailed(f"{one_line(text, 40)!r} is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-20.")


def reportable(day: date, today: date) -> date:
    """`day` if the shop can have figures for it, else a CommandFailed saying which days can."""
    if day > today:
        raise CommandFailed(
            f"{day.isoformat()} has not happened yet. "
            f"Report on today ({today.isoformat()}) or an earlier day."
        )
    if day < EARLIEST_REPORT_DAY:
        raise CommandFailed(
            f"{day.isoformat()} is before any shop could have used counter-tui. "
            f"Report on a day from {EARLIEST_REPORT_DAY.isoformat()} to today."
        )
    return day


def safe_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(invalid URL)"


def url_or_path(text: str) -> str:
    """A database URL as given, or the SQLite URL of a file path."""
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().absolute()}"
