"""`counter-tui config path` and `counter-tui config check`: where this terminal's
settings file is, and what the settings come to with every mistake in it listed.

Starting a command stops at the first mistake in the file (one red line); `check`
lists them all at once, each with the file, the key and what to write instead, so a
file can be fixed in one go. It opens no database.
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from counter_tui.config import Settings, default_config_path
from counter_tui.config_check import settings_file_problems

config_app = typer.Typer(help="This terminal's settings file: where it is, and checking it.")


@config_app.command("path")
def config_path(ctx: typer.Context) -> None:
    """Print the path of the settings file this terminal reads (it may not exist yet)."""
    path = _chosen_path(ctx)
    typer.echo(str(path))
    if not path.is_file():
        typer.echo("(There is no file there yet; the defaults are used.)", err=True)


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Print the effective settings and every problem with the settings file (the key,
    and what to write instead); exit code 1 if there is any."""
    path = _chosen_path(ctx)
    os.environ["COUNTER_TUI_CONFIG"] = str(path)
    problems: list[str] = []
    if path.is_file():
        try:
            problems = settings_file_problems(tomllib.loads(path.read_text(encoding="utf-8")), Settings)
        except tomllib.TOMLDecodeError as error:
            problems = [f"not valid TOML: {error}"]
    settings: Settings | None = None
    if not problems or not problems[0].startswith("not valid TOML"):
        settings, invalid = _validated(ctx, problems)
        problems += invalid
    if settings is not None:
        where = str(path) if path.is_file() else f"defaults (no file at {path})"
        typer.echo(f"# Effective settings: {where}, environment variables, --db")
        for key, value in flatten(settings.model_dump(mode="json")):
            typer.echo(f"{key} = {_shown(key, value)}")
    for problem in problems:
        typer.secho(f"Settings file {path}: {problem}", fg="red", err=True)
    if problems:
        raise typer.Exit(code=1)
    typer.echo(
        f"# No problems found in {path}." if path.is_file() else "# No settings file; nothing to check."
    )


def flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """`{"shop": {"name": "x"}}` -> `[("shop.name", "x")]`; lists stay whole values."""
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value and key != "keys":
            rows.extend(flatten(value, f"{dotted}."))
        else:
            rows.append((dotted, value))
    return rows


def _chosen_path(ctx: typer.Context) -> Path:
    from counter_tui.commands.common import global_options

    return global_options(ctx).config_path or default_config_path()


def _validated(ctx: typer.Context, reported: list[str]) -> tuple[Settings | None, list[str]]:
    """The settings, or None and a sentence for each value that is not valid (names the
    walk already reported, and the key remapping it already explained, are not repeated)."""
    from counter_tui.commands.common import global_options

    overrides: dict[str, Any] = {}
    if global_options(ctx).database_url:
        overrides["database_url"] = global_options(ctx).database_url
    try:
        return Settings(**overrides), []
    except ValidationError as error:
        keys_reported = any(problem.startswith("keys:") for problem in reported)
        return None, [
            _invalid(detail["loc"], detail["msg"])
            for detail in error.errors()
            if detail["type"] != "extra_forbidden" and not (keys_reported and detail["loc"][:1] == ("keys",))
        ]


def _invalid(loc: tuple[int | str, ...], message: str) -> str:
    """`thresholds.greet_within_minutes is not valid: …; the default is 5.`"""
    dotted = ".".join(str(part) for part in loc)
    default = _default(Settings, loc)
    hint = f"; the default is {json.dumps(default)}" if default is not None else ""
    return f"{dotted} is not valid: {message.removeprefix('Value error, ')}{hint}."


def _default(model: type[BaseModel], loc: tuple[int | str, ...]) -> Any:
    """The default of the setting at `loc`, or None if it has no simple one."""
    field = model.model_fields.get(str(loc[0])) if loc else None
    if field is None:
        return None
    annotation = field.annotation
    if len(loc) > 1:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return _default(annotation, loc[1:])
        return None
    value = field.get_default(call_default_factory=True)
    return value if isinstance(value, str | int | float | bool) else None


def _shown(key: str, value: Any) -> str:
    """A value as TOML would write it; a database URL with its password hidden."""
    if key == "database_url" and isinstance(value, str):
        with contextlib.suppress(ArgumentError):
            value = make_url(value).render_as_string(hide_password=True)
    return json.dumps(value, ensure_ascii=False)
