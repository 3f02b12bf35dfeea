"""The root command group: every command below it runs inside `friendly_errors`, `--help`
anywhere only shows help (`help_request`), and its commands are imported only when one
of them is run (or its own help is asked for).

Each command is listed from its entry in `command_list.COMMANDS` (name and one-line help)
without importing it; running `counter-tui staff add …` imports `commands/staff.py` alone.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from counter_tui.cli.command_list import COMMANDS
from counter_tui.cli.errors import friendly_errors, refuse_undecodable
from counter_tui.cli.help_request import help_first


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
        return super().make_context(info_name, help_first(args), parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with friendly_errors():
            return super().invoke(ctx)
