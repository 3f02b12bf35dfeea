"""Notices raised while a dialog is open are shown inside the dialog, as a line above its key
hint, never as a toast over it: at 80×24 a dialog fills the screen, and Textual's toasts
(bottom right) covered the field being typed in and the key hint (seen: "Needs help" over
the Reassign dialog's hint, a notice over a lead's deny-reason box). app.tcss hides toasts
on modal screens; a notice still showing when the dialog closes appears as a toast again."""

from __future__ import annotations

from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from counter_tui.ui.safe_text import plain

NOTICE_CLASS = "dialog-notice"


def show_in_dialog(screen: Screen[object], message: str, title: str = "") -> None:
    """Show `message` (plain text) on the dialog `screen` is, above its key hint; the newest
    notice replaces the one before. Does nothing on a screen that is not a dialog."""
    if not isinstance(screen, ModalScreen):
        return
    boxes = screen.query(".dialog-box")
    if not boxes:
        return
    box = boxes.first()
    words = plain(f"{title}: {message}" if title else message)
    shown = box.query(f".{NOTICE_CLASS}")
    if shown:
        notice = shown.first(Static)
        notice.update(words)
        notice.display = True
        return
    notice = Static(words, classes=NOTICE_CLASS)
    hints = box.query(".dialog-hint")
    if hints:
        box.mount(notice, before=hints.first())
    else:
        box.mount(notice)
