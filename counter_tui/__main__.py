"""Allow `python -m counter_tui`."""

from __future__ import annotations

from counter_tui.cli import main

main()
