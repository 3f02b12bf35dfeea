"""What Textual's Linux terminal driver needs before it runs a screen at a shop's
terminal: input bytes that are not UTF-8 cannot crash it (`terminal_input`), and a
terminal that goes away ends the app (`terminal_hangup`)."""

from __future__ import annotations

from counter_tui.ui.terminal_hangup import survive_hangups
from counter_tui.ui.terminal_input import tolerate_undecodable_input


def fix_terminal_driver() -> None:
    """Apply every fix to Textual's terminal driver (idempotent); call before `App.run`."""
    tolerate_undecodable_input()
    survive_hangups()
