"""The foot of every dialog — its refusal line, its notice line and its key hint — docked
at the bottom of the dialog box, so a dialog taller than the screen scrolls its fields
under a foot that stays in view; and the notices shown there.

Notices raised while a dialog is open are shown in the foot, never as a toast over the
dialog: at 80×24 a dialog fills the screen, and Textual's toasts (bottom right) covered the
field being typed in and the key hint (seen: "Needs help" over the Reassign dialog's hint).
app.tcss hides toasts on dialogs and caps the notice line at two lines. The line follows
the app's open notices (PlainTextApp calls `follow_notices` whenever they change): one still
showing when a dialog opens, or comes back from a dialog on top of it, is shown there rather
than hidden behind the dialog; it goes when the notice times out; and one still showing when
the dialog closes appears as a toast again.
Before the foot was docked, a notice line scrolled the key hint off an 80×24 screen.

An answer to an earlier key ("Highlight a follow-up under CANCELLED TODAY to restore it.",
raised with `answer_key`) is not shown in a dialog a later key opened: it read as that
dialog's own answer. Any other notice raised before the dialog opened is marked as such
("Earlier: Callback queued.",
plain, not bold): the foot is where the dialog answers what was typed in it, and testers
took an earlier notice there for the new dialog's answer. A toast over a dialog is told
apart by its own frame and place; a line in the foot needs the word. It is not cleared
when the dialog opens: it may be one the person has not read yet (a needs-help alert, the
path of a file just saved), so it stays for the rest of its time, as its toast would."""

from __future__ import annotations

from time import time
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Label, Static

from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.safe_text import one_line, plain

NOTICE_CLASS = "dialog-notice"
EARLIER_CLASS = "-earlier"
"""The notice line's class while it shows a notice raised before the dialog opened."""
EARLIER = "Earlier: "
NOTICE_CHARS = 110
"""How much of a notice its two lines (~70 characters each in a dialog box, less what word
wrapping leaves) show; a longer one is cut with "…" (app.tcss's max-height is the backstop)."""


class RefusalLine(Guarded, Static):
    """The foot's refusal line: it takes no room while it says nothing, so the foot docked
    over the fields is no taller than it must be."""

    def say(self, words: Text) -> None:
        """Show `words` (a refusal, or "Saving…"), keeping the focused field in view above
        the foot it makes taller."""
        self.update(words)
        self._shown(True)

    def clear(self) -> None:
        """Say nothing, and take no room."""
        self.update("")
        self._shown(False)

    def _shown(self, shown: bool) -> None:
        self.display = shown
        if self.is_mounted:
            focused_in_view(self.screen)


class NoticeLine(Guarded, Static):
    """The foot's notice line: once laid out (or resized) it keeps the focused field in
    view, since the foot it makes taller is drawn over the fields."""

    def on_resize(self) -> None:
        focused_in_view(self.screen)


class DialogFoot(Guarded, Vertical):
    """A dialog's docked foot; it knows when the dialog opened (`opened_at`, as Textual
    times notices), so that notices from before can be marked as earlier."""

    def __init__(self, *children: Widget) -> None:
        super().__init__(*children, classes="dialog-foot")
        self.opened_at = time()

    def on_mount(self) -> None:
        self.opened_at = time()  # the dialog is on screen from now


def dialog_foot(hint: str) -> DialogFoot:
    """The docked foot of a dialog box: the refusal line (hidden while empty), then the key
    `hint`. A notice line is added between them when a notice is raised."""
    refusal = RefusalLine("", classes="dialog-error")
    refusal.display = False
    return DialogFoot(refusal, Label(plain(hint), classes="dialog-hint"))


def focused_in_view(screen: Screen[Any]) -> None:
    """Once laid out, scroll the dialog's fields as little as needed for the focused one to
    show whole above the foot (Textual draws a docked foot over the fields under it; the
    close dialog's reason box was behind it). Called when focus moves and the foot grows."""

    def scroll() -> None:
        if screen.focused is not None and screen.is_mounted:
            screen.focused.scroll_visible(animate=False, immediate=True)

    screen.call_after_refresh(scroll)


def show_in_dialog(screen: Screen[object], message: str, title: str = "", *, earlier: bool = False) -> None:
    """Show `message` (plain text) in the foot of the dialog `screen` is, above its key hint;
    the newest notice replaces the one before; `earlier`: it was raised before the dialog
    opened, and says so. Does nothing on a screen that is not a dialog."""
    if not isinstance(screen, ModalScreen):
        return
    feet = screen.query(".dialog-foot")
    if not feet:
        return
    foot = feet.first()
    said = f"{title}: {message}" if title else message
    words = plain(one_line(f"{EARLIER}{said}" if earlier else said, NOTICE_CHARS))
    focused_in_view(screen)  # the foot grows by the notice line
    shown = foot.query(f".{NOTICE_CLASS}")
    if shown:
        notice = shown.first(Static)
        notice.update(words)
        notice.display = True
    else:
        notice = NoticeLine(words, classes=NOTICE_CLASS)
        hints = foot.query(".dialog-hint")
        if hints:
            foot.mount(notice, before=hints.first())
        else:
            foot.mount(notice)
    notice.set_class(earlier, EARLIER_CLASS)


def follow_notices(screen: Screen[object]) -> None:
    """Make the notice line of the dialog `screen` is follow the app's open notices (called
    whenever they change: one raised, timed out or cleared, a screen opened or back on top):
    the newest one still open (marked when raised before the dialog opened), or no line
    when none is."""
    if not isinstance(screen, ModalScreen):
        return
    feet = screen.query(DialogFoot)
    opened_at = feet.first().opened_at if feet else 0.0
    answers: set[str] = getattr(screen.app, "answers_to_keys", set())
    showing = [  # Textual keeps no public list of open toasts
        notice
        for notice in screen.app._notifications
        if not (str(notice.message) in answers and notice.raised_at < opened_at)
    ]  # an answer to an earlier key ("Highlight … first") is not this dialog's to show
    if showing:
        newest = showing[-1]
        earlier = bool(feet) and newest.raised_at < opened_at
        show_in_dialog(screen, str(newest.message), newest.title, earlier=earlier)
        return
    for notice in screen.query(f".{NOTICE_CLASS}"):
        notice.display = False
