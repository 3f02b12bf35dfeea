"""The staff app's mail sender: while the shop has a mail server, every terminal hands
the outbox to it on a timer and straight after an email is queued, so nobody has to run
a command for a customer to hear from the shop.

Several terminals may run it at once: `services/mail_sender.py` claims each message with
one conditional UPDATE, so each is sent once; one terminal never runs two passes at once.
Retries and their growing waits are the outbox's own (`next_attempt_at`, held back
together while the shop's mail setup fails: `services/mail_hold.py`), so the timer only
has to come round; a message the server refuses for good opens its follow-up again with
the server's reason, which its owner sees in My follow-ups.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_tui.services.context import ShopContext
    from counter_tui.services.mail_sender import DeliveryRun

MAIL_CHECK_SECONDS = 30.0
"""How often a terminal looks for email due (new, or due a retry)."""


class MailDelivery:
    """Mix into the staff app: `start_mail_delivery()` on mount, `deliver_mail()` any time."""

    if TYPE_CHECKING:

        @property
        def ctx(self) -> ShopContext: ...

    _mail_pass = threading.Lock()

    def start_mail_delivery(self) -> None:
        """Deliver what is waiting now, then every MAIL_CHECK_SECONDS."""
        self._mail_pass = threading.Lock()
        self.set_interval(MAIL_CHECK_SECONDS, self.deliver_mail)  # type: ignore[attr-defined]
        self.deliver_mail()

    def deliver_mail(self) -> None:
        """Hand the email that is due to the shop's server, off the UI thread (nothing
        happens while the shop has no mail server)."""
        if self.ctx.rules.mail.configured:
            self.call(self._one_pass, quiet=True)  # type: ignore[attr-defined]

    def _one_pass(self) -> DeliveryRun | None:
        """One pass over the outbox, unless this terminal is in the middle of one."""
        from counter_tui.services import mail_sender  # not before the first frame

        if not self._mail_pass.acquire(blocking=False):
            return None
        try:
            return mail_sender.deliver_pending(self.ctx)
        finally:
            self._mail_pass.release()
