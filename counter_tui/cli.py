"""The `counter-tui` command: the staff app, the kiosk, the demo, and admin commands.

No business rules live here: commands read settings, open the shop and call services.
Every command runs inside one error path (`_friendly_errors`, applied by the root
group): a refusal (a `DomainError`), a database that cannot be used, a settings file
that does not parse, an argument that is not valid text, or anything unexpected
(logged) becomes one red line and exit code 1, never a traceback.

A database is only ever created on purpose: `db init`, the demo, or the default file
on the very first run. A mistyped `--db` is refused, not started as a new, empty shop.

Textual is imported only inside the commands that run a screen (and `keys`, which
reads the screens' bindings): the kiosk scrubs `TEXTUAL*` environment variables first,
and admin commands and `--version` start faster without it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from typer.core import TyperGroup

from counter_tui.bootstrap import open_shop
from counter_tui.commands.about import version_report
from counter_tui.commands.audit import audit_app
from counter_tui.commands.backup import db_backup, db_restore
from counter_tui.commands.customers import customers_app
from counter_tui.commands.exports import customers_export, followups_app, visits_app
from counter_tui.commands.keys import keys
from counter_tui.commands.mail import mail_app
from counter_tui.commands.retention import retention_app
from counter_tui.commands.settings_file import config_app
from counter_tui.commands.shop import shop_app
from counter_tui.commands.staff import staff_app
from counter_tui.commands.subject_access import customers_subject_access
from counter_tui.config import Settings, default_config_path, default_database_url, load_settings
from counter_tui.config_check import ConfigError
from counter_tui.db.engine import Database
from counter_tui.db.migrate import current_revision, head_revision, is_known, schema_too_new, upgrade
from counter_tui.errors import DomainError
from counter_tui.logs import LOG, configure_logging
from counter_tui.report import render_day_report
from counter_tui.services import staff as staff_service
from counter_tui.services.contact import shop_region
from counter_tui.services.context import ShopContext
from counter_tui.shop_rules import ignored_file_keys

EARLIEST_REPORT_DAY = date(1970, 1, 1)


class CommandFailed(Exception):
    """A failure already phrased for a person; shown as one red line."""


class FriendlyGroup(TyperGroup):
    """The root command: every command below it runs inside `_friendly_errors`, and
    arguments that are not valid text (bytes the terminal could not decode) are refused."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with _friendly_errors():
            _refuse_undecodable(args)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _friendly_errors():
            return super().invoke(ctx)


app = typer.Typer(
    cls=FriendlyGroup,
    name="counter-tui",
    help="Keyboard-first front-counter app for shops.",
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema, backup and restore.", no_args_is_help=True)
report_app = typer.Typer(help="Reports for a spreadsheet or an email.", no_args_is_help=True)
app.add_typer(staff_app, name="staff")
app.add_typer(db_app, name="db")
app.add_typer(report_app, name="report")
app.add_typer(audit_app, name="audit")
app.add_typer(shop_app, name="shop")
app.add_typer(customers_app, name="customers")
app.add_typer(visits_app, name="visits")
app.add_typer(followups_app, name="followups")
app.add_typer(retention_app, name="retention")
app.add_typer(mail_app, name="mail")
app.add_typer(config_app, name="config")
app.command("keys")(keys)
customers_app.command("export")(customers_export)
customers_app.command("subject-access")(customers_subject_access)
db_app.command("backup")(db_backup)
db_app.command("restore")(db_restore)


class ReportFormat(StrEnum):
    """How `report day` prints: text for an email, csv for a spreadsheet, json for tools."""

    TEXT = "text"
    CSV = "csv"
    JSON = "json"


@dataclass
class GlobalOptions:
    """Options given before the command, kept on the Typer context."""

    database_url: str | None = None
    config_path: Path | None = None


@app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL, e.g. sqlite:////path/shop.sqlite3 or "
            "postgresql+psycopg://user@host/db (env COUNTER_TUI_DATABASE_URL).",
            show_default=False,
        ),
    ] = None,
    config_path: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Settings file (TOML) to use instead of the one in the config dir (env COUNTER_TUI_CONFIG).",
            show_default=False,
        ),
    ] = None,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version, the database's kind and its schema revision, then stop.",
        ),
    ] = False,
) -> None:
    """Run the staff app (sign in, floor board, customers, follow-ups)."""
    ctx.obj = GlobalOptions(database_url=database_url, config_path=config_path)
    if show_version:
        typer.echo(version_report(_version_url(ctx)))
        raise typer.Exit()
    if ctx.invoked_subcommand is not None:
        return
    with _shop(ctx) as shop:
        if not staff_service.list_staff(shop):
            raise CommandFailed(
                "Nobody can sign in yet. Add the first shift lead with: "
                "counter-tui staff add NAME --role lead"
            )
        _run_staff_app(shop, demo_pins=None)


@app.command()
def demo(
    ctx: typer.Context,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the demo database afterwards and say where.")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Build the demo in this (empty) database instead of a temporary one.",
            show_default=False,
        ),
    ] = None,
    build_only: Annotated[
        str | None,
        typer.Option(
            "--build-only",
            metavar="DB",
            help="Only build a demo shop into DB (a file path, created if missing, or a database "
            "URL), without opening the app: for scripts, benchmarks and second terminals.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Try the app on a throwaway database filled with a realistic demo shop."""
    from counter_tui.demo.build import build_demo_shop

    if build_only is not None:
        url = _url_or_path(build_only)
        shop = open_shop(_settings(ctx, database_url=url), create=True)
        try:
            typer.echo(f"Building the demo shop in {shop.database.describe()} (a few seconds)…")
            pins = build_demo_shop(shop)
        finally:
            shop.database.dispose()
        typer.echo(f"Done. Open it with: counter-tui --db {shlex.quote(_safe_url(url))}")
        typer.echo("Demo PINs: " + ", ".join(f"{name} {pin}" for name, pin in pins.items()))
        return
    options = _options(ctx)
    chosen_url = database_url or options.database_url
    temp_dir: Path | None = None
    if chosen_url:
        url = chosen_url
    else:
        temp_dir = Path(tempfile.mkdtemp(prefix="counter-tui-demo-"))
        url = f"sqlite:///{temp_dir / 'demo.sqlite3'}"
    try:
        shop = open_shop(_settings(ctx, database_url=url), create=True)
        try:
            typer.echo(f"Building the demo shop in {shop.database.describe()} (a few seconds)…")
            pins = build_demo_shop(shop)
            typer.echo(
                "To open a second terminal on this shop, run in another window: "
                f"counter-tui --db {shlex.quote(_safe_url(url))}"
            )
            if temp_dir is not None and not keep:
                typer.echo("The demo shop is deleted when you quit (keep it with --keep).")
            _run_staff_app(shop, demo_pins=pins)
        finally:
            shop.database.dispose()
    finally:
        if temp_dir is not None:
            if keep:
                typer.echo(f"Demo data kept. Open it again with: counter-tui --db {url}")
            else:
                shutil.rmtree(temp_dir, ignore_errors=True)


def _url_or_path(text: str) -> str:
    """A database URL as given, or the SQLite URL of a file path."""
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().absolute()}"


@app.command()
def kiosk(
    ctx: typer.Context,
    terminal: Annotated[
        str, typer.Option("--terminal", help="Name of this kiosk, shown on the floor board.")
    ] = "door",
) -> None:
    """Run the customer self check-in kiosk (locked down; a lead's PIN leaves it)."""
    settings = _settings(ctx)
    # Reach the database now, so a wrong URL is one line here, not a kiosk restart loop.
    open_shop(settings, create=_may_create(settings)).database.dispose()
    # The launcher removes TEXTUAL* variables before it imports Textual.
    from counter_tui.ui.kiosk.launch import run_kiosk

    run_kiosk(settings, terminal)


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
    wanted = _parse_day(day) if day is not None else None
    with _shop(ctx) as shop:
        today = shop.calendar.local_date(shop.now())
        report = render_day_report(shop, _reportable(wanted or today, today), fmt.value)
    typer.echo(report, nl=not report.endswith("\n"))


@db_app.command("init")
def db_init(ctx: typer.Context) -> None:
    """Start a new, empty shop in the database given by --db (creating an SQLite file)."""
    settings = _settings(ctx)
    database = Database(settings.database_url, create=True)
    try:
        existed = current_revision(database) is not None
        upgrade(database, phone_region=shop_region(settings.shop))
        revision = current_revision(database)
    finally:
        database.dispose()
    where = _safe_url(settings.database_url)
    if existed:
        typer.echo(f"Database {where} already holds a shop; it is at revision {revision}.")
    else:
        typer.echo(
            f"Started a new shop in {where} (revision {revision}). "
            "Add the first shift lead with: counter-tui staff add NAME --role lead"
        )


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the schema migrations (the app also does this on start)."""
    with _shop(ctx) as shop:
        revision = current_revision(shop.database)
    typer.echo(f"Database {_safe_url(shop.database.url)} is at revision {revision}.")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the database's schema revision and whether it is up to date."""
    settings = _settings(ctx)
    database = Database(settings.database_url)
    try:
        current = current_revision(database)
        head = head_revision(database)
        if current is not None and not is_known(database, current):
            raise schema_too_new(database, current)
    finally:
        database.dispose()
    where = _safe_url(settings.database_url)
    if current is None:
        typer.echo(f"Database {where} holds no shop yet. Start one with: counter-tui db init")
    elif current == head:
        typer.echo(f"Database {where} is at revision {current} (up to date).")
    else:
        typer.echo(
            f"Database {where} is at revision {current}; this version needs {head}. "
            "Run: counter-tui db upgrade"
        )


def main() -> None:
    """Entry point of the `counter-tui` console script."""
    app()


# --- helpers -------------------------------------------------------------------------


def _options(ctx: typer.Context) -> GlobalOptions:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, GlobalOptions) else GlobalOptions()


def _settings(ctx: typer.Context, **overrides: Any) -> Settings:
    """Settings from the config file, env and the global flags; errors become sentences."""
    options = _options(ctx)
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


def _version_url(ctx: typer.Context) -> str:
    """The database `--version` reports on; the flag or the environment's when the
    settings file has a mistake (a bug report should still say the version)."""
    try:
        return _settings(ctx).database_url
    except CommandFailed:
        options = _options(ctx)
        return options.database_url or os.environ.get("COUNTER_TUI_DATABASE_URL") or default_database_url()


def _may_create(settings: Settings) -> bool:
    """Whether opening may start a new shop: only the default file, on the first run."""
    return settings.database_url == default_database_url()


@contextmanager
def _shop(ctx: typer.Context) -> Iterator[ShopContext]:
    """A migrated shop for a command, closed afterwards."""
    settings = _settings(ctx)
    shop = open_shop(settings, create=_may_create(settings))
    try:
        _note_ignored_file_values(shop)
        yield shop
    finally:
        shop.database.dispose()


def _note_ignored_file_values(shop: ShopContext) -> None:
    """Say which shop-wide values in this terminal's settings file the shop does not use
    (it has its own, the same on every terminal), so an edit there is not silently lost."""
    path = default_config_path()
    if not path.is_file():
        return
    try:
        with path.open("rb") as file:
            ignored = ignored_file_keys(shop.settings, tomllib.load(file), shop.rules)
    except DomainError:
        return  # the shop's settings cannot be read; the command says so if it needs them
    if ignored:
        typer.secho(
            f"Note: {path} sets {', '.join(ignored)}, but this shop's own setting"
            f"{'s are' if len(ignored) > 1 else ' is'} used (the same on every terminal). "
            "See them with: counter-tui shop show",
            fg="yellow",
            err=True,
        )


@contextmanager
def _friendly_errors() -> Iterator[None]:
    """THE error path of the CLI: whatever goes wrong is one red line and exit code 1.

    Refusals and database failures already carry their sentence; text that is not
    valid UTF-8 gets one; anything else is logged (without personal data) and said
    to be. Typer's own exits and usage errors pass through untouched.
    """
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except (DomainError, CommandFailed) as error:
        _fail(str(error))
    except ArgumentError as error:
        _fail(f"That database URL is not valid ({error}).")
    except UnicodeError:
        _fail(
            "Something typed or given on the command line is not valid text (it holds bytes "
            "that are not UTF-8). Check the terminal's character set is UTF-8 and type it again."
        )
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        _fail(f"Cannot use{where}: {error.strerror or error}.")
    except Exception:
        _fail(_logged_unexpected())


def _logged_unexpected() -> str:
    """Log the exception being handled; the sentence saying where it went."""
    try:
        path = configure_logging()
        LOG.exception("command failed")
    except OSError:
        return "Something unexpected went wrong, and it could not be logged."
    return f"Something unexpected went wrong; the details are in {path}."


def _fail(message: str) -> None:
    line = message.splitlines()[0] if message else "Failed."
    typer.secho(printable(line), fg="red", err=True)
    raise typer.Exit(code=1)


def printable(text: str) -> str:
    """`text` safe to print: bytes that were not UTF-8 shown as \\xNN, never an error."""
    return "".join(
        f"\\x{ord(char) - 0xDC00:02x}"
        if 0xDC80 <= ord(char) <= 0xDCFF
        else f"\\u{ord(char):04x}"
        if 0xD800 <= ord(char) <= 0xDFFF
        else char
        for char in text
    )


def _refuse_undecodable(args: list[str]) -> None:
    """Refuse arguments holding bytes the system could not decode (lone surrogates)."""
    for position, arg in enumerate(args, start=1):
        if any(0xD800 <= ord(char) <= 0xDFFF for char in arg):
            raise CommandFailed(
                f"Argument {position} ({printable(arg)}) is not valid text: it holds bytes that "
                "are not UTF-8. Check the terminal's character set is UTF-8 and type it again."
            )


def _parse_day(text: str) -> date:
    """A date written YYYY-MM-DD, or a CommandFailed saying how to write it."""
    cleaned = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    raise CommandFailed(f"{text!r} is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-20.")


def _reportable(day: date, today: date) -> date:
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


def _safe_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(invalid URL)"


def _run_staff_app(shop: ShopContext, *, demo_pins: dict[str, str] | None) -> None:
    """Run the staff app; an app that stopped on an error makes the command fail too."""
    from counter_tui.ui.app import CounterApp
    from counter_tui.ui.terminal_input import tolerate_undecodable_input

    tolerate_undecodable_input()
    staff_app = CounterApp(shop, demo_pins=demo_pins)
    staff_app.run()
    if getattr(staff_app, "return_code", 0):
        raise typer.Exit(code=staff_app.return_code or 1)
