"""Where the files a shop asks for go by default: backups and exports.

Beside the database file on SQLite (the shop's own folder, which whoever looks after
the shop already backs up or copies), in the user data folder on PostgreSQL. Made on
first use, readable by this user only: both hold customers' personal data.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

from counter_tui.app_paths import APP_NAME
from counter_tui.db.engine import sqlite_path
from counter_tui.files import private_dir

BACKUPS = "backups"
EXPORTS = "exports"


def shop_folder_path(database_url: str, kind: str) -> Path:
    """Where the folder for `kind` (BACKUPS or EXPORTS) of the shop at `database_url` is,
    made or not (to name it before anything is written)."""
    database_file = sqlite_path(database_url)
    base = database_file.parent if database_file is not None else Path(user_data_dir(APP_NAME))
    return base / kind


def shop_folder(database_url: str, kind: str) -> Path:
    """The folder for `kind` (BACKUPS or EXPORTS) of the shop at `database_url`, made
    private if it is missing."""
    return private_dir(shop_folder_path(database_url, kind))
