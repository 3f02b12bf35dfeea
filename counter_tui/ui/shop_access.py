"""What every staff screen and pane needs: the shop, the signed-in actor, and service
calls that run off the UI thread. One mixin, so screens and review panes share it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual.app import App
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widget import Widget

from counter_tui.errors import DomainError
from counter_tui.sentences import said_of_a_read

if TYPE_CHECKING:
    from counter_tui.services.context import Actor, ShopContext
    from counter_tui.ui.app import CounterApp

T = TypeVar("T")


class ShopAccess:
    """Mix into a Textual widget or screen of the staff app."""

    app: App[Any]

    @property
    def counter(self) -> CounterApp:
        """The running app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def ctx(self) -> ShopContext:
        """The shop this terminal works in."""
        return self.counter.ctx

    @property
    def signed_in(self) -> bool:
        """Whether someone is signed in and this is among their screens (screens under a
        lock, or kept for someone else, start nothing)."""
        return self.counter.actor is not None and self._shown_screen() in self.app.screen_stack

    @property
    def actor(self) -> Actor:
        """The signed-in staff member."""
        actor = self.counter.actor
        assert actor is not None, "staff screens are only shown after sign-in"
        return actor

    @property
    def still_shown(self) -> bool:
        """Whether this screen (or the screen holding this pane) is still open: on show,
        or kept for a person who locked the terminal (`kept_screens.py`)."""
        screen = self._shown_screen()
        return screen is not None and self.counter.is_open(screen)

    def _shown_screen(self) -> Screen[Any] | None:
        """This screen, or the screen holding this pane (None once it is taken off)."""
        try:
            return cast(Widget, self).screen
        except NoScreen:
            return None

    def call(
        self,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T], None] | None = None,
        quiet: bool = False,
        refused: Callable[[DomainError], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """Run a service call in a thread; `then` gets the result, errors become messages
        (or go to `refused`, for a refusal shown in place)."""
        self.counter.call(fn, *args, then=then, quiet=quiet, refused=refused, **kwargs)

    def load(
        self,
        key: str,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T], None],
        failed: Callable[[DomainError], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """Like `call`, for reads that refresh what is on show: only the newest load of
        `key` shows its result. An older load that finishes later read older data (e.g. a
        reload started before a save it raced with), so its result is dropped. A load that
        finishes after its screen closed (e.g. the record just erased) shows nothing. If
        the newest load fails, `failed` is told too (to say so where the result would be)."""
        generations: dict[str, int] = self.__dict__.setdefault("_load_generations", {})
        generation = generations.get(key, 0) + 1
        generations[key] = generation

        def current() -> bool:
            return generations.get(key) == generation and self.still_shown

        def show(result: T) -> None:
            if current():
                then(result)

        def refused(error: DomainError) -> None:
            if not current():
                return
            if failed is not None:
                failed(error)
            if not kwargs.get("quiet"):
                self.say_read_failed(error)

        self.call(fn, *args, then=show, refused=refused, **kwargs)

    def say_read_failed(self, error: DomainError) -> None:
        """Say why a read of what is on show failed, as said of a read (never "Nothing was
        saved": the person may have just saved something, and it was)."""
        self.app.notify(said_of_a_read(str(error)), severity="error", markup=False, timeout=8)


class ServiceCaller(Protocol):
    """Anything with shop access that can reload what it shows (screens and panes)."""

    @property
    def ctx(self) -> ShopContext: ...

    @property
    def actor(self) -> Actor: ...

    @property
    def app(self) -> App[Any]: ...

    @property
    def counter(self) -> CounterApp: ...

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        then: Callable[[Any], None] | None = None,
        refused: Callable[[DomainError], None] | None = None,
        **kwargs: Any,
    ) -> None: ...

    def reload(self) -> None: ...


def done(where: ServiceCaller, message: str, seconds: float = 3) -> None:
    """Say it worked (for `seconds`), and reload what is on show."""
    where.app.notify(message, markup=False, timeout=seconds)
    where.reload()
