"""Start-up pays only for what it shows (issue 12): in a fresh interpreter, nothing heavy
is imported before the staff app's first sign-in frame, `--help` loads no command and
not Typer (and looks as Typer's help does), and an up-to-date shop is checked without
Alembic. (Times are for benchmarks/bench_startup.py; these tests check what is loaded,
which is what the time is made of.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from counter_tui.cli import app
from counter_tui.cli.command_list import COMMANDS
from counter_tui.cli.lazy_group import load_command

HEAVY = (
    "alembic",
    "psycopg",
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "pydantic_settings",
    "typer",
    "argon2",
    "pendulum",
    "counter_tui.config",
    "counter_tui.db",
    "counter_tui.services",
    "counter_tui.sync",
)
FIRST_FRAME = """
import sys
from counter_tui.ui.app import CounterApp

def at_first_frame(self):
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {h.split(".")[0] for h in HEAVY})
    print("LOADED", *[m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)])
    self.exit()

HEAVY = sys.argv[2:]
CounterApp.on_ready = at_first_frame
run = CounterApp.run
CounterApp.run = lambda self, **options: run(self, headless=True, size=(120, 40))
sys.argv = ["counter-tui", "--db", sys.argv[1]]
from counter_tui.cli import main
main()
"""
HELP = """
import sys
heavy = sys.argv[1:]
sys.argv = ["counter-tui", "--help"]
from counter_tui.cli import main
try:
    main()
except SystemExit:
    pass
print("LOADED", *[m for m in sorted(sys.modules) if any(m == h or m.startswith(h + ".") for h in heavy)])
"""
HELP_MODULES = {
    "counter_tui",
    "counter_tui.cli",
    "counter_tui.cli.command_list",
    "counter_tui.cli.plain_help",
}
TYPER_HELP = """
import sys
sys.argv = ["counter-tui", "--help"]
from counter_tui.cli.root import app
app(prog_name="counter-tui")
"""
PLAIN_HELP = """
import sys
sys.argv = ["counter-tui", "--help"]
from counter_tui.cli import main
main()
"""
SGR = re.compile(r"\x1b\[([\d;]*)m")


def loaded_by(code: str, *args: str) -> list[str]:
    """The heavy modules a fresh interpreter running `code` had loaded when it said so."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=True
    )
    [line] = [line for line in done.stdout.splitlines() if line.startswith("LOADED")]
    return line.split()[1:]


def test_nothing_heavy_is_imported_before_the_first_sign_in_frame(shop_with_lead: str) -> None:
    assert loaded_by(FIRST_FRAME, shop_with_lead, *HEAVY) == []


FULL_COLLECTIONS_WHILE_STARTING = """
import builtins, gc, sys

full = []

def note(phase, info):
    if phase == "start" and info["generation"] == 2:
        full.append(1)

gc.callbacks.append(note)
load = builtins.__import__

def watching_loads(on_ready):
    def at_first_frame(self):
        def when_loaded():
            if self.shop_open and all(worker.is_finished for worker in self.workers):
                print("FULL", len(full))
                self.exit()

        on_ready(self)  # opens the shop
        self.set_interval(0.02, when_loaded)

    return at_first_frame

def watching(name, *args, **kwargs):
    module = load(name, *args, **kwargs)
    if name == "counter_tui.ui.app":  # as the staff app is about to start: stop once it has loaded
        builtins.__import__ = load
        # Python's own full collections only, not those the app runs at quiet moments:
        sys.modules["counter_tui.ui.heap"].QuietHeap._collect_if_quiet = lambda self: None
        app = sys.modules[name].CounterApp
        app.on_ready = watching_loads(app.on_ready)
        run = app.run
        app.run = lambda self, **options: run(self, headless=True, size=(120, 40))
    return module

builtins.__import__ = watching
sys.argv = ["counter-tui", "--db", sys.argv[1]]
from counter_tui.cli import main
main()
"""


def test_python_starts_no_full_garbage_collection_while_the_staff_app_loads(shop_with_lead: str) -> None:
    """From launch until the shop is open, the staff listed and the floor's modules loaded
    (`warm_up`), Python starts no full collection of its own: each walks every object
    alive, and two of them (30 and 70 ms) fell on the modules loading while someone typed
    their name and PIN. The app holds them for quiet moments (`quiet_collections`; those
    it runs itself are left out here, as the moment they find depends on the machine)."""
    done = subprocess.run(
        [sys.executable, "-c", FULL_COLLECTIONS_WHILE_STARTING, shop_with_lead],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert [line for line in done.stdout.splitlines() if line.startswith("FULL")] == ["FULL 0"]


def test_help_imports_no_command_and_not_typer_or_rich() -> None:
    loaded = loaded_by(HELP, "typer", "rich", "click", "textual", "counter_tui", *HEAVY[:6])

    assert set(loaded) == HELP_MODULES


def help_text(code: str, columns: int, colour: bool) -> str:
    """What a fresh interpreter running `code` prints, `columns` wide, coloured or not."""
    environment = {
        k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "NO_COLOR", "TERMINAL_WIDTH"}
    }
    environment |= {"COLUMNS": str(columns), "TERM": "xterm-256color"} | (
        {"FORCE_COLOR": "1"} if colour else {}
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def styled_cells(text: str) -> list[tuple[str, frozenset[str] | None]]:
    """Each character of `text` with its SGR attributes as a terminal shows them (a space's
    bold or colour does not show)."""
    cells: list[tuple[str, frozenset[str] | None]] = []
    style: frozenset[str] = frozenset()
    position = 0
    for escape in SGR.finditer(text):
        cells += [(char, style if char.strip() else None) for char in text[position : escape.start()]]
        codes = escape.group(1).split(";")
        style = frozenset() if codes in (["0"], [""]) else style | set(codes)
        position = escape.end()
    return cells + [(char, style if char.strip() else None) for char in text[position:]]


@pytest.mark.parametrize("columns", [80, 120])
def test_help_without_typer_looks_as_typers_own(columns: int) -> None:
    assert help_text(PLAIN_HELP, columns, colour=False) == help_text(TYPER_HELP, columns, colour=False)
    coloured = help_text(PLAIN_HELP, columns, colour=True)
    assert "\x1b[" in coloured
    assert styled_cells(coloured) == styled_cells(help_text(TYPER_HELP, columns, colour=True))


def test_help_still_lists_every_command_with_its_own_help() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    for name in COMMANDS:
        command = load_command(name)
        assert (command.short_help or command.help or "").startswith(COMMANDS[name].help), name
        assert f"{name} " in result.stdout and COMMANDS[name].help in result.stdout


SQLITE_SESSION = """
import importlib, pkgutil, sys
ALEMBIC_USERS = {"counter_tui.services.backup"}  # `db backup/restore` upgrades: Alembic loads every dialect
from sqlmodel import Session, create_engine
import counter_tui.services
from counter_tui.db.dialects import own_dialect
for service in pkgutil.walk_packages(counter_tui.services.__path__, "counter_tui.services."):
    if service.name not in ALEMBIC_USERS:
        importlib.import_module(service.name)
with Session(create_engine(sys.argv[1])) as session:
    dialect = own_dialect(session)
print("LOADED", dialect.__name__, *[m for m in sys.modules if m.startswith("sqlalchemy.dialects.postgresql")])
"""


def test_a_sqlite_shop_never_loads_postgresql_s_dialect(shop_with_lead: str) -> None:
    """No service imports PostgreSQL's dialect at its top (issue 12: it held about 2 MiB on
    every SQLite terminal all day); every service module is imported, so a new one is
    checked too (terminal_sessions.py did)."""
    assert loaded_by(SQLITE_SESSION, shop_with_lead) == ["sqlalchemy.dialects.sqlite"]
