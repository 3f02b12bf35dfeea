"""A restartable one-shot timer for the kiosk's idle and thank-you resets."""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Countdown:
    """Calls `on_expire` once, `seconds` after the last `start()`.

    Tests call `expire()` instead of waiting: it runs exactly what the timer would.
    """

    def __init__(
        self, owner: MessagePump, seconds: float, on_expire: Callable[[], object], name: str
    ) -> None:
        self.owner = owner
        self.seconds = seconds
        self.on_expire = on_expire
        self.name = name
        self._timer: Timer | None = None

    @property
    def running(self) -> bool:
        """Whether the countdown has been started and has not yet expired or stopped."""
        return self._timer is not None

    def start(self) -> None:
        """Start counting from now, replacing any count in progress."""
        self.stop()
        self._timer = self.owner.set_timer(self.seconds, self.expire, name=self.name)

    def stop(self) -> None:
        """Stop without expiring."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def expire(self) -> None:
        """Stop and run `on_expire` now."""
        self.stop()
        self.on_expire()
