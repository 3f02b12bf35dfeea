"""Before a follow-up is completed by email, show the message as the customer will get
it; Enter sends it (through the outbox), Esc goes back without completing anything."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from counter_tui.services.outbox import MailPreview
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.safe_text import plain


class MailPreviewDialog(FormDialog[bool]):
    """The email to the customer: to, subject and text; Enter sends, Esc does not."""

    TITLE_TEXT = "Send this email?"
    HINT_TEXT = "Enter sends it · Esc goes back; nothing is checked off."
    ENTER_DOES = ("sends it", "Send")

    def __init__(self, preview: MailPreview) -> None:
        super().__init__()
        self._preview = preview

    def fields(self) -> ComposeResult:
        yield Static(plain(f"To: {self._preview.to_address}"), id="mail-to")
        yield Static(plain(f"Subject: {self._preview.subject}"), id="mail-subject")
        for number, text in enumerate(self._preview.body.rstrip("\n").split("\n")):
            yield Static(plain(text), classes="mail-body", id=f"mail-body-{number}")
        if self._preview.held_back:
            yield Static(plain(self._preview.held_back), id="mail-held-back")

    def collect(self) -> bool:
        return True
