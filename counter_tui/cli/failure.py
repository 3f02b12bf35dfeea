"""The failure every command may end in: a sentence already phrased for a person."""

from __future__ import annotations


class CommandFailed(Exception):
    """A failure already phrased for a person; shown as one red line."""
