"""The thank-you screen: checks the customer in and says what happens next, with the
wait to expect."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from counter_tui.errors import DomainError
from counter_tui.kiosk_words import ENGLISH, WORDS
from counter_tui.services import kiosk
from counter_tui.services.kiosk import CheckedIn, CheckIn
from counter_tui.ui.kiosk.countdown import Countdown
from counter_tui.ui.kiosk.screens.base import KeyHints, KioskScreen
from counter_tui.ui.safe_text import plain

SORRY = WORDS[ENGLISH]["sorry_text"]
READING_SECONDS = 2.0
"""How long the thank-you (or the sorry) shows before a key can finish it: long enough to
read the next step, short beside the reset (`kiosk.reset_seconds`, 8 s unless the shop
changed it)."""


class ThanksScreen(KioskScreen):
    """Creates the visit in a thread, thanks the customer, then resets by itself or on any
    key once it has been read. Keys typed with the choice, while the visit is saved and in
    the first moments of the thank-you are dropped: a held Enter, or Enter pressed again
    and again, used to skip the thank-you unread and start the next check-in."""

    def __init__(self, check_in: CheckIn, next_step: str, *, reset_seconds: float) -> None:
        super().__init__()
        self.check_in = check_in
        self.next_step = next_step
        self.visit_id: int | None = None
        self.finished = False
        self.reset = Countdown(self, reset_seconds, self.ready_for_next, "kiosk reset")
        self.reading = Countdown(self, READING_SECONDS, lambda: None, "kiosk thank-you reading")

    def ready_for_next(self) -> None:
        """Back to welcome for the next customer."""
        self.kiosk.back_to_welcome()

    def compose(self) -> ComposeResult:
        """'Just a moment' until the visit exists, then the thank-you."""
        with Vertical(classes="kiosk-panel"):
            yield Static(plain(self.words["thanks_pending"]), id="thanks-title", classes="kiosk-title")
            yield Static("", id="thanks-next", classes="kiosk-call -pending")
            yield Static("", id="thanks-after", classes="kiosk-text")
        yield KeyHints((self.words["key_any"], self.words["hint_finish"]))

    def on_mount(self) -> None:
        """Create the visit off the UI thread."""
        self.call_service(
            kiosk.check_in,
            self.ctx,
            self.kiosk.terminal,
            self.check_in,
            on_success=self.checked_in,
            on_failure=self.not_checked_in,
        )

    def checked_in(self, done: CheckedIn) -> None:
        """The floor board now shows this customer: thank them, say what happens next and
        how long they can expect to wait."""
        self.visit_id = done.visit_id
        name = self.check_in.first_name
        words = self.words
        self._show(
            words["thanks_title_named"].format(name=name) if name else words["thanks_title"],
            self.next_step,
            f"{done.wait} {words['thanks_after']}".lstrip(),
        )

    def not_checked_in(self, error: DomainError) -> None:
        """Nothing was saved: send the customer to the counter instead."""
        words = self.words
        self._show(words["sorry_title"], words["sorry_text"], words["sorry_after"])

    def _show(self, title: str, next_step: str, after: str) -> None:
        if not self.is_attached:  # the kiosk was reset (or closed) before the answer came
            return
        self.query_one("#thanks-title", Static).update(plain(title))
        next_line = self.query_one("#thanks-next", Static)
        next_line.update(plain(next_step))
        next_line.remove_class("-pending")
        self.query_one("#thanks-after", Static).update(plain(after))
        self.finished = True
        self.reading.start()
        self.reset.start()

    def on_key(self, event: events.Key) -> None:
        """Any key finishes, once the check-in has been saved (or has failed) and what it
        says has been on show for a moment (`READING_SECONDS`); keys before then do nothing."""
        event.stop()
        if self.finished and not self.reading.running:
            self.reset.expire()
