"""The base of every staff screen: access to the shop, the signed-in actor, and
service calls that run off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen

from counter_tui.services.context import Actor, ShopContext
from counter_tui.ui.messages import DataChanged

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp

T = TypeVar("T")


class CounterScreen(Screen[None]):
    """A staff screen that reloads itself when data changes."""

    @property
    def counter(self) -> CounterApp:
        """The running app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def ctx(self) -> ShopContext:
        """The shop this terminal works in."""
        return self.counter.ctx

    @property
    def actor(self) -> Actor:
        """The signed-in staff member."""
        actor = self.counter.actor
        assert actor is not None, "staff screens are only shown after sign-in"
        return actor

    def call(
        self,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T], None] | None = None,
        quiet: bool = False,
        **kwargs: Any,
    ) -> None:
        """Run a service call in a thread; `then` gets the result, errors become messages."""
        self.counter.call(fn, *args, then=then, quiet=quiet, **kwargs)

    def reload(self) -> None:
        """Load what the screen shows from the services (override)."""

    def on_data_changed(self, message: DataChanged) -> None:
        """Reload when data changed (presence alone does not concern most screens)."""
        if message.changes or message.resumed:
            self.reload()

    def on_screen_resume(self) -> None:
        """Reload when coming back to this screen."""
        self.reload()
