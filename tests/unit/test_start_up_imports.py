"""Start-up pays only for what it shows (issue 12): in a fresh interpreter, nothing heavy
is imported before the staff app's first sign-in frame, `--help` loads no command, and an
up-to-date shop is checked without Alembic. (Times are for benchmarks/bench_startup.py;
these tests check what is loaded, which is what the time is made of.)"""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from counter_tui.cli import app
from counter_tui.cli.lazy_group import COMMANDS, load_command

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
sys.argv = ["counter-tui", "--help"]
from counter_tui.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sys.argv[1:]
print("LOADED", *[m for m in sorted(sys.modules) if any(m == h or m.startswith(h + ".") for h in heavy)])
"""


def loaded_by(code: str, *args: str) -> list[str]:
    """The heavy modules a fresh interpreter running `code` had loaded when it said so."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=True
    )
    [line] = [line for line in done.stdout.splitlines() if line.startswith("LOADED")]
    return line.split()[1:]


def test_nothing_heavy_is_imported_before_the_first_sign_in_frame(shop_with_lead: str) -> None:
    assert loaded_by(FIRST_FRAME, shop_with_lead, *HEAVY) == []


def test_help_imports_no_command_and_no_database_code() -> None:
    commands = sorted({entry.module for entry in COMMANDS.values()})
    assert loaded_by(HELP, *HEAVY[:6], "textual", "counter_tui.db", "counter_tui.services", *commands) == []


def test_help_still_lists_every_command_with_its_own_help() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})

    assert result.exit_code == 0
    for name in COMMANDS:
        command = load_command(name)
        assert (command.short_help or command.help or "").startswith(COMMANDS[name].help), name
        assert f"{name} " in result.stdout and COMMANDS[name].help in result.stdout
