"""Strict reading of the settings file: every name in it must mean something.

Pydantic reports an unknown name without saying where it came from or what was
meant, and a `[keys]` entry is just a string to it. This walks the file's tables
against the settings models and says, for the first mistake, the file, the key and
the nearest real name ("did you mean greet_within_minutes?").
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from counter_tui.binding_ids import binding_id_problem
from counter_tui.key_names import key_list_problem


class ConfigError(ValueError):
    """A mistake in the settings file, phrased for a person (file, key, what to write)."""


def check_settings_file(path: Path, data: dict[str, Any], model: type[BaseModel]) -> None:
    """Raise ConfigError for the first unknown name or unusable key remapping in `data`."""
    problems = settings_file_problems(data, model)
    if problems:
        raise ConfigError(f"Settings file {path}: {problems[0]}")


def settings_file_problems(data: dict[str, Any], model: type[BaseModel]) -> list[str]:
    """Every unknown name and unusable key remapping in `data`, in file order, each
    naming the key and the nearest real name (`counter-tui config check` lists them all)."""
    return [*_unknown_names(data, model, ()), *_keymap_problems(data.get("keys"))]


def keymap_problem(keymap: dict[str, str]) -> str | None:
    """Why a key remapping (binding id -> keys) cannot be used, or None if it can."""
    return next(keymap_problems(keymap), None)


def keymap_problems(keymap: dict[str, str]) -> Iterator[str]:
    """Each reason an entry of a key remapping (binding id -> keys) cannot be used."""
    for binding_id, keys in keymap.items():
        problem = binding_id_problem(binding_id)
        if problem:
            yield f"keys: {problem}"
            continue
        problem = key_list_problem(keys)
        if problem:
            yield f'keys: "{binding_id}" = "{keys}": {problem}'


def _keymap_problems(keymap: object) -> Iterator[str]:
    if not isinstance(keymap, dict) or not all(isinstance(keys, str) for keys in keymap.values()):
        return  # pydantic says what is wrong with the value's type
    yield from keymap_problems(keymap)


def _unknown_names(data: dict[str, Any], model: type[BaseModel], where: tuple[str, ...]) -> Iterator[str]:
    fields = model.model_fields
    for name, value in data.items():
        if name not in fields:
            yield _unknown(name, value, list(fields), where)
            continue
        inner = _model_of(fields[name].annotation)
        if inner is None:
            continue
        if isinstance(value, dict):
            yield from _unknown_names(value, inner, (*where, name))
        elif isinstance(value, list):
            for index, item in enumerate(value, start=1):
                if isinstance(item, dict):
                    yield from _unknown_names(item, inner, (*where, f"{name}[{index}]"))


def _unknown(name: str, value: object, known: list[str], where: tuple[str, ...]) -> str:
    """Say that `name` (in the table `where`) means nothing there, and what was meant."""
    dotted = ".".join((*where, name))
    what = f"[{dotted}] is not a section" if isinstance(value, dict) else f"{dotted} is not a setting"
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"{what}; did you mean {close[0]}?"
    table = f"[{'.'.join(where)}]" if where else "the file"
    return f"{what}; the settings of {table} are {', '.join(known)}."


def _model_of(annotation: object) -> type[BaseModel] | None:
    """The settings model a field holds, itself or as the items of a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        return next(
            (found for arg in typing.get_args(annotation) if (found := _model_of(arg)) is not None), None
        )
    return None
