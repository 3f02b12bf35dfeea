"""What every kiosk screen shares: the shop, a key-hint line, and service calls in a thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen
from textual.widgets import Static

from counter_tui.errors import DomainError
from counter_tui.services.context import ShopContext
from counter_tui.ui.guarded_app import Guarded, while_shown
from counter_tui.ui.safe_text import compose, join, plain

if TYPE_CHECKING:
    from counter_tui.ui.kiosk.app import KioskApp

T = TypeVar("T")


class KeyHints(Guarded, Static):
    """The bottom line saying which keys do what, e.g. "Enter  continue    Esc  back"."""

    def __init__(self, *pairs: tuple[str, str]) -> None:
        parts = [
            compose("$key $meaning", key=plain(f" {key} ", style="reverse bold"), meaning=meaning)
            for key, meaning in pairs
        ]
        super().__init__(join(parts, "     "), classes="key-hints")


class KioskScreen(Guarded, Screen[None], inherit_bindings=False):
    """A kiosk screen: no inherited bindings, so only the keys each screen lists work."""

    def action_maximize(self) -> None:
        """Nothing on the kiosk can be maximised."""

    @property
    def kiosk(self) -> KioskApp:
        """The running kiosk app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def words(self) -> dict[str, str]:
        """The customer's sentences, in the language they picked."""
        return self.kiosk.words

    @property
    def ctx(self) -> ShopContext:
        """The shop this kiosk checks customers into."""
        return self.kiosk.ctx

    def call_service(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_success: Callable[[T], None],
        on_failure: Callable[[DomainError], None],
    ) -> None:
        """Run `fn(*args)` in a thread so the screen never blocks, through the app's one
        error path: `on_failure` gets the refusal, or after an unexpected error (logged,
        never shown) a friendly sentence. A result arriving after this screen closed
        (e.g. the idle reset) is dropped."""
        self.kiosk.call(fn, *args, then=while_shown(self, on_success), refused=while_shown(self, on_failure))
