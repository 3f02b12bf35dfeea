"""Where counter-tui keeps its files unless told otherwise: the settings file and the
default database, by the platform's conventions (platformdirs). Light to import: the
staff app's start reads them before its first frame."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "counter-tui"


def default_config_path() -> Path:
    """Where the TOML settings file lives unless `COUNTER_TUI_CONFIG` names another."""
    override = os.environ.get("COUNTER_TUI_CONFIG")
    if override:
        return Path(override)
    return Path(user_config_dir(APP_NAME)) / "config.toml"


def default_database_url() -> str:
    """The embedded default: one SQLite file in the user data dir."""
    data_dir = Path(user_data_dir(APP_NAME))
    return f"sqlite:///{data_dir / 'counter.sqlite3'}"
