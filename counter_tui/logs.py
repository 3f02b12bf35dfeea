"""Where unexpected errors go: a log file in the platformdirs user log dir, never the screen."""

from __future__ import annotations

import logging
from pathlib import Path

from platformdirs import user_log_dir

from counter_tui.config import APP_NAME

LOG = logging.getLogger("counter_tui")


def log_file() -> Path:
    """The log file of this user."""
    directory = Path(user_log_dir(APP_NAME))
    directory.mkdir(parents=True, exist_ok=True)
    return directory / "counter-tui.log"


def configure_logging() -> Path:
    """Send counter_tui's log records to the log file (once per process)."""
    path = log_file()
    if not any(isinstance(h, logging.FileHandler) for h in LOG.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
    return path
