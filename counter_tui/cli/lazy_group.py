"""The root command group: every command below it runs inside `friendly_errors`, and its
commands are imported only when one of them is run (or its own help is asked for).

`counter-tui --help` lists each command from its entry in `COMMANDS` (name and one-line
help) without importing it; running `counter-tui staff add …` imports `commands/staff.py`
alone. `tests/unit/test_start_up_imports.py` checks each entry's help is the command's own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from counter_tui.cli.errors import friendly_errors, refuse_undecodable


@dataclass(frozen=True)
class LazyCommand:
    """A command (a function) or a group of commands (a `typer.Typer`) in a module."""

    module: str
    attribute: str
    help: str


COMMANDS: dict[str, LazyCommand] = {
    "keys": LazyCommand(
        "counter_tui.commands.keys",
        "keys",
        "Print the effective key map: every screen's keys after this terminal's remapping.",
    ),
    "demo": LazyCommand(
        "counter_tui.commands.demo",
        "demo",
        "Try the app on a throwaway database filled with a realistic demo shop.",
    ),
    "kiosk": LazyCommand(
        "counter_tui.commands.kiosk",
        "kiosk",
        "Run the customer self check-in kiosk (locked down; a lead's PIN leaves it).",
    ),
    "serve": LazyCommand(
        "counter_tui.commands.serve",
        "serve",
        "Serve the staff app, or a kiosk, to web browsers (each browser gets its own session).",
    ),
    "staff": LazyCommand("counter_tui.commands.staff", "staff_app", "Add, list and manage staff accounts."),
    "db": LazyCommand("counter_tui.commands.db", "db_app", "Database schema, backup and restore."),
    "report": LazyCommand(
        "counter_tui.commands.report", "report_app", "Reports for a spreadsheet or an email."
    ),
    "audit": LazyCommand(
        "counter_tui.commands.audit", "audit_app", "The audit trail: check nobody changed it."
    ),
    "shop": LazyCommand(
        "counter_tui.commands.shop",
        "shop_app",
        "The shop's own rules, the same on every terminal: hours, holidays, thresholds, targets.",
    ),
    "customers": LazyCommand(
        "counter_tui.commands.customers",
        "customers_app",
        "Customers in bulk: import from a till's export, export; one customer's data.",
    ),
    "visits": LazyCommand("counter_tui.commands.exports", "visits_app", "Visits in bulk: export."),
    "followups": LazyCommand("counter_tui.commands.exports", "followups_app", "Follow-ups in bulk: export."),
    "retention": LazyCommand(
        "counter_tui.commands.retention",
        "retention_app",
        "How long personal data is kept: apply the shop's rules.",
    ),
    "mail": LazyCommand(
        "counter_tui.commands.mail",
        "mail_app",
        "Email to customers: test the mail server, deliver the outbox.",
    ),
    "config": LazyCommand(
        "counter_tui.commands.settings_file",
        "config_app",
        "This terminal's settings file: where it is, and checking it.",
    ),
}


def load_command(name: str) -> Any:
    """The click command `name` stands for, its module imported now."""
    entry = COMMANDS[name]
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    holder = typer.Typer()
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class LazyGroup(TyperGroup):
    """The root command: lazy commands, one error path, and undecodable arguments refused."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in super().list_commands(ctx) if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, or for a lazy one not loaded yet a stand-in carrying its name and
        help (enough to list it in the help and in shell completion)."""
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        return TyperCommand(cmd_name, help=COMMANDS[cmd_name].help)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Load the command about to run (or complete, or show the help of); a name that is
        no command is told the nearest ones, lazy commands included."""
        name = args[0] if args else None
        if name in COMMANDS and name not in self.commands:
            with friendly_errors():
                self.add_command(load_command(name), name)
        elif name is not None and name not in self.commands:
            for lazy in COMMANDS:
                self.commands.setdefault(lazy, self.get_command(ctx, lazy))
        return super().resolve_command(ctx, args)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with friendly_errors():
            refuse_undecodable(args)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with friendly_errors():
            return super().invoke(ctx)
