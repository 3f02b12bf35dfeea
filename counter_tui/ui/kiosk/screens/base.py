"""What every kiosk screen shares: the shop, a key-hint line, and service calls in a thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from counter_tui.errors import DomainError
from counter_tui.services.context import ShopContext

if TYPE_CHECKING:
    from counter_tui.ui.kiosk.app import KioskApp

T = TypeVar("T")
LOG = logging.getLogger("counter_tui.kiosk")


def plain(text: str) -> Content:
    """Text shown exactly as written: never parsed as markup."""
    return Content(text)


class KeyHints(Static):
    """The bottom line saying which keys do what, e.g. "Enter  continue    Esc  back"."""

    def __init__(self, *pairs: tuple[str, str]) -> None:
        parts: list[Content] = []
        for key, meaning in pairs:
            if parts:
                parts.append(Content("     "))
            parts.append(Content.styled(f" {key} ", "reverse bold"))
            parts.append(Content(f" {meaning}"))
        super().__init__(Content("").join(parts), classes="key-hints")


class KioskScreen(Screen[None], inherit_bindings=False):
    """A kiosk screen: no inherited bindings, so only the keys each screen lists work."""

    def __init__(self) -> None:
        super().__init__()
        self._service_callbacks: dict[
            Worker[Any], tuple[Callable[[Any], None], Callable[[DomainError | None], None]]
        ] = {}

    def action_maximize(self) -> None:
        """Nothing on the kiosk can be maximised."""

    @property
    def kiosk(self) -> KioskApp:
        """The running kiosk app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def ctx(self) -> ShopContext:
        """The shop this kiosk checks customers into."""
        return self.kiosk.ctx

    def call_service(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_success: Callable[[T], None],
        on_failure: Callable[[DomainError | None], None],
    ) -> None:
        """Run `fn(*args)` in a thread so the screen never blocks.

        `on_failure` gets the domain error to show, or None after an unexpected
        error, which is logged (never shown: customers see a friendly sentence).
        """
        worker = self.run_worker(partial(fn, *args), thread=True, exit_on_error=False)
        self._service_callbacks[worker] = (on_success, on_failure)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Hand a finished service call's result or error to its callback."""
        callbacks = self._service_callbacks.get(event.worker)
        if callbacks is None or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        del self._service_callbacks[event.worker]
        on_success, on_failure = callbacks
        if event.state == WorkerState.SUCCESS:
            on_success(event.worker.result)
            return
        error = event.worker.error
        if isinstance(error, DomainError):
            on_failure(error)
        else:
            LOG.error("kiosk service call failed", exc_info=error)
            on_failure(None)
