"""counter-tui: a keyboard-first front-counter app for shops."""

from __future__ import annotations

__version__ = "0.1.0"
