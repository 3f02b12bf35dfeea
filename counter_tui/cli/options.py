"""The options given before any command (`--db`, `--config`): on their own, so that the
staff app's start reads them without importing the commands' shared helpers
(`counter_tui.commands.common`, which names them too) before its first frame."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class GlobalOptions:
    """Options given before the command, kept on the Typer context."""

    database_url: str | None = None
    config_path: Path | None = None
