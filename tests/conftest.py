"""Shared fixtures: a fresh SQLite database per test, a manual clock, and a small staff."""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import textual.constants
import textual.pilot
from argon2 import PasswordHasher
from sqlalchemy import update
from sqlalchemy.engine import make_url
from textual.css.stylesheet import Stylesheet
from textual.message_pump import MessagePump

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.config import Settings, ShopSettings
from counter_tui.db.engine import sqlite_path
from counter_tui.db.models import ShopSetting, TerminalSession
from counter_tui.logs import UNEXPECTED_LOG
from counter_tui.services import pin_ahead, staff
from counter_tui.services.context import Actor, ShopContext
from counter_tui.sync.feed import ChangeFeed, open_feed
from tests import pg_databases
from tests.concurrency.inbox import Inbox
from tests.parsed_css import parse_rules_once
from tests.quiet_pilot import QuietPilot, counted_dispatch

pytest_plugins = [
    "tests.mail_server",  # the local SMTP server fixtures of the mail tests
    "tests.full_collections",  # watching full garbage collections
]

# Friday 20 November 2026, 11:00 in London (UTC+0 in winter).
FRIDAY_11AM = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Collect what earlier tests left, then set every object still alive aside from later
    collections (`gc.freeze`), before each test. A UI test's app lives long enough for its
    widgets to reach the oldest generation, so a full collection ran about once a test, and
    each walked everything the run had kept alive so far (modules, Textual's and
    SQLAlchemy's bounded caches): a fifth of a UI test's CPU, and growing with the run.
    Set aside, what a test's collections walk is what that test made."""
    gc.collect()
    gc.freeze()


RAM_DISK = Path("/dev/shm")
"""Where tests keep their files when the machine has it (Linux's shared-memory tmpfs)."""
RAM_DISK_FREE_BYTES = 1024**3
"""The room the RAM disk must have free to be used (a container's is often 64 MiB)."""


def _ram_disk_usable() -> bool:
    """Whether `RAM_DISK` is a folder this user may write in, with room for the suite."""
    if not RAM_DISK.is_dir() or not os.access(RAM_DISK, os.W_OK):
        return False
    return shutil.disk_usage(RAM_DISK).free >= RAM_DISK_FREE_BYTES


def pytest_configure(config: pytest.Config) -> None:
    """Keep the tests' files (`tmp_path`: their SQLite shops, backups, exports) on a RAM disk
    where there is one, unless a place is given (`--basetemp`, `PYTEST_DEBUG_TEMPROOT`,
    pytest's own setting): SQLite syncs its file to disk on every commit, as a shop needs,
    and on disk those waits were a fifth of a service test's time. The crash tests kill
    processes, not the machine, which a RAM disk keeps as faithfully. Only the files of
    failed tests stay once a test ends (`tmp_path_retention_policy` in pyproject.toml)."""
    if config.option.basetemp is None and _ram_disk_usable():
        os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", str(RAM_DISK))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop the PostgreSQL databases made ahead and not used, and wait for the drops."""
    pg_databases.finish()


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the developer's own config file or env during tests, nor write in their
    data folder (PostgreSQL shops keep backups and exports there)."""
    monkeypatch.setenv("COUNTER_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("COUNTER_TUI_DATABASE_URL", "COUNTER_TUI_TERMINAL_NAME"):
        monkeypatch.delenv(name, raising=False)


CHEAP_PIN_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
"""The tests' PIN hasher (see `_cheap_pin_hashes`)."""


@pytest.fixture(autouse=True)
def _cheap_pin_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, at the lowest work factors: the production cost (deliberately slow,
    about 0.3 s a PIN) would dominate the run time of tests that are not about PINs. And
    each test starts with no PIN answers checked ahead (`pin_ahead` keeps them for a
    minute, by person and stored hash, and the team's hashes are the same in every test
    that copies `template_team_shop`)."""
    monkeypatch.setattr(staff, "_hasher", CHEAP_PIN_HASHER)
    monkeypatch.setattr(pin_ahead, "_answers", {})


@pytest.fixture(autouse=True)
def _quiet_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps under test are driven by `QuietPilot`, which waits for the app to be done with
    each key instead of sleeping until the CPU looks idle (tests/quiet_pilot.py), and they
    draw where an animation ends at once, as a terminal set to `TEXTUAL_ANIMATIONS=none`
    does: a tab's underline slid for 0.3 s, which every change of tab in a test waited out
    (the test's time idle, none of it the app's work)."""
    monkeypatch.setattr(textual.pilot, "Pilot", QuietPilot)
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(MessagePump, "_dispatch_message", counted_dispatch)


@pytest.fixture(autouse=True)
def _css_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps under test share the CSS parsed by earlier apps in the process
    (tests/parsed_css.py): each parsed it all anew, 20 ms of CPU an app."""
    monkeypatch.setattr(Stylesheet, "_parse_rules", parse_rules_once)


class _Collect(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _no_unexpected_errors(request: pytest.FixtureRequest) -> Iterator[list[logging.LogRecord]]:
    """Fail a test during which the app reported an unexpected error, unless the test asks
    for `unexpected_errors`: the one error path keeps the app running, so without this a
    bug in a handler or callback would pass unnoticed as a logged line and a toast."""
    records: list[logging.LogRecord] = []
    handler = _Collect(records)
    UNEXPECTED_LOG.addHandler(handler)
    try:
        yield records
    finally:
        UNEXPECTED_LOG.removeHandler(handler)
    if records and "unexpected_errors" not in request.fixturenames:
        pytest.fail("the app reported unexpected errors: " + "; ".join(r.getMessage() for r in records))


@pytest.fixture
def unexpected_errors(_no_unexpected_errors: list[logging.LogRecord]) -> list[logging.LogRecord]:
    """The unexpected errors the app reported during this test (which expects some)."""
    return _no_unexpected_errors


@pytest.fixture
def clock() -> ManualClock:
    """A clock standing at Friday 11:00, moved by tests with `clock.advance(minutes=…)`."""
    return ManualClock(FRIDAY_11AM)


def make_settings(database_url: str, **shop: object) -> Settings:
    """Settings for a test shop in London with the default hours."""
    return Settings(database_url=database_url, shop=ShopSettings(name="Test Shop", **shop))  # type: ignore[arg-type]


def set_shop_rules(ctx: ShopContext, values: dict[str, object]) -> None:
    """Set shop-wide settings for a test whose subject is not the settings service, as
    kept values (`{"kiosk.unlock_attempts": 3}`), straight into the shop's table."""
    with ctx.database.write() as session:
        for key, value in values.items():
            session.merge(ShopSetting(key=key, value=json.dumps(value), changed_at=ctx.now()))
    ctx.forget_rules()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A new SQLite file for this test."""
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test, created on the server named by
    COUNTER_TUI_TEST_POSTGRES_URL and dropped afterwards; skips when that is unset."""
    url = pg_databases.create_database()
    try:
        yield url
    finally:
        pg_databases.drop_database(url)


@pytest.fixture(scope="session")
def pg_template_shop() -> Iterator[str]:
    """A new, migrated PostgreSQL shop built once per test run (per worker), like
    `template_shop`; the name of its database, for `pg_shop_url` to copy."""
    url = pg_databases.create_database("counter_tui_template")
    try:
        shop = open_shop(make_settings(url), clock=ManualClock(FRIDAY_11AM), create=True)
        shop.database.dispose()
        yield str(make_url(url).database)
    finally:
        pg_databases.drop_database(url)


@pytest.fixture
def pg_shop_url(pg_template_shop: str) -> Iterator[str]:
    """A fresh PostgreSQL database holding a copy of the template shop, dropped afterwards:
    migrating one takes seconds on a busy machine, copying it about as long as `pg_url`."""
    url = pg_databases.create_database(template=pg_template_shop)
    try:
        yield url
    finally:
        pg_databases.drop_database(url)


def postgres_url(request: pytest.FixtureRequest) -> str:
    """This test's PostgreSQL database, for a `database_url` fixture: a copy of the
    template shop when the test builds on `ctx` (which would migrate it otherwise),
    else an empty one."""
    return str(request.getfixturevalue("pg_shop_url" if "ctx" in request.fixturenames else "pg_url"))


@pytest.fixture(scope="session")
def template_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new, migrated SQLite shop built once per test run (at Friday 11:00, like the
    `clock` fixture): migrating takes ~150 ms of CPU, copying the file ~3 ms."""
    path = tmp_path_factory.mktemp("template") / "counter.sqlite3"
    shop = open_shop(make_settings(f"sqlite:///{path}"), clock=ManualClock(FRIDAY_11AM), create=True)
    shop.database.dispose()
    return path


@pytest.fixture(scope="session")
def template_team_shop(tmp_path_factory: pytest.TempPathFactory, template_shop: Path) -> TeamShop:
    """The template shop with the `team` fixture's staff added and signed in, built once per
    run (per worker) with the tests' PIN hasher: adding and signing in three people cost
    every test that asked for `team` 20 ms of CPU, a copy of the file about 1 ms."""
    path = tmp_path_factory.mktemp("template-team") / "counter.sqlite3"
    shutil.copy(template_shop, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staff, "_hasher", CHEAP_PIN_HASHER)  # before the test's own fixture runs
        shop = open_shop(make_settings(f"sqlite:///{path}"), clock=ManualClock(FRIDAY_11AM), migrate=False)
        team = make_team(shop)
        shop.database.dispose()
    return TeamShop(path, team)


@dataclass(frozen=True)
class NewShop:
    """The shop a test works on, and its team when the shop was copied with one."""

    ctx: ShopContext
    team: Team | None


@pytest.fixture
def _new_shop(
    request: pytest.FixtureRequest, database_url: str, clock: ManualClock, template_shop: Path
) -> Iterator[NewShop]:
    """`ctx`'s shop: a copy of a template shop for a new SQLite file (the one with the team
    in it when the test asks for `team`); on PostgreSQL, whatever `database_url` gives (with
    `postgres_url`, a copy of the PostgreSQL template shop, already at the head revision),
    brought up to date."""
    path = sqlite_path(database_url)
    team: Team | None = None
    if path is not None and not path.exists():
        source = template_shop
        if "team" in request.fixturenames:
            with_team: TeamShop = request.getfixturevalue("template_team_shop")
            source, team = with_team.path, with_team.team
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copy(source, path)
        shop = open_shop(make_settings(database_url), clock=clock, migrate=False)
        if team is not None:
            _signed_in_at_this_app(shop)
    else:
        shop = open_shop(make_settings(database_url), clock=clock, create=True)
    yield NewShop(shop, team)
    shop.database.dispose()


def _signed_in_at_this_app(shop: ShopContext) -> None:
    """Make the team's sign-ins, made by the template's app, this app's own (an app is
    known by its `session_id`), as if they had signed in here."""
    with shop.database.write() as session:
        session.connection().execute(update(TerminalSession).values(session_id=shop.session_id))


@pytest.fixture
def ctx(_new_shop: NewShop) -> ShopContext:
    """A migrated shop on a fresh database (see `_new_shop`)."""
    return _new_shop.ctx


@dataclass
class Team:
    """A lead and two associates, signed in."""

    lead: Actor
    sam: Actor
    alex: Actor


@dataclass(frozen=True)
class TeamShop:
    """A template shop file with the `team` fixture's staff in it, and them."""

    path: Path
    team: Team


@pytest.fixture
def team(_new_shop: NewShop) -> Team:
    """Dana (lead, PIN 1111), Sam (associate, 2222) and Alex (associate, 3333), signed in:
    already in the shop when it was copied from `template_team_shop`, else added now."""
    return _new_shop.team or make_team(_new_shop.ctx)


def make_team(ctx: ShopContext) -> Team:
    """The `team` fixture's staff, added and signed in on `ctx` (for module-scoped shops)."""
    dana = staff.add_staff(ctx, None, name="Dana", pin="1111", role="lead")
    sam = staff.add_staff(ctx, None, name="Sam", pin="2222")
    alex = staff.add_staff(ctx, None, name="Alex", pin="3333")
    return Team(
        lead=staff.sign_in(ctx, dana.id, "1111"),
        sam=staff.sign_in(ctx, sam.id, "2222"),
        alex=staff.sign_in(ctx, alex.id, "3333"),
    )


@pytest.fixture
def other_terminal(database_url: str, clock: ManualClock) -> Iterator[ShopContext]:
    """A second terminal on this test's database, with its own connections."""
    shop = open_shop(make_settings(database_url), clock=clock, migrate=False)
    yield shop
    shop.database.dispose()


@pytest.fixture
def inbox() -> Inbox:
    """Collects what a change feed reports, for the feed tests."""
    return Inbox()


@pytest.fixture
def feed(ctx: ShopContext, team: Team, inbox: Inbox) -> Iterator[ChangeFeed]:
    """A started feed; the team is signed in first, so their events come before it."""
    started = open_feed(ctx, inbox)
    yield started
    started.stop()


def _shares_a_module_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a fixture built once for its module (or class)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for name in getattr(item, "fixturenames", ()):
        definitions = info.name2fixturedefs.get(name)
        if definitions and definitions[-1].scope in ("module", "class", "package"):
            return True
    return False


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`, as scripts/test.sh runs the suite), keep the
    tests of a file that builds a fixture once for the module on one worker, so it is built
    once, and every test using the shared pool of racing processes on one worker, so the
    pool starts once. Every other test goes to whichever worker is free: grouped by file,
    the run waited for its slowest file on one worker while the others had finished."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "eight_workers" in fixtures:
            item.add_marker(pytest.mark.xdist_group("race-pool"))
        elif _shares_a_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
