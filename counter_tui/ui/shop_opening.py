"""The staff app opens its shop behind the first frame.

Started with a `ShopToOpen` (the command line does this), the app paints the sign-in
screen with nothing but Textual and its own screens imported, then opens the shop on a
worker thread (settings, database, schema check: the services, SQLAlchemy and pydantic
load there) and hands it to the sign-in screen. A shop that cannot be opened ends the
app with `start_error` set, for the command line to say as one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from counter_tui.ui.guarded_app import GuardedApp
from counter_tui.ui.screens.sign_in import SignInScreen

if TYPE_CHECKING:
    from counter_tui.services.context import ShopContext
    from counter_tui.services.staff_roster import StaffSummary


@runtime_checkable
class ShopToOpen(Protocol):
    """A shop not opened yet, and the theme to paint the first frame in meanwhile."""

    theme: str

    def roster(self) -> list[StaffSummary] | None:
        """Who can sign in, if it can be read before the shop is open (a worker thread)."""
        ...

    def open(self) -> ShopContext:
        """The shop, opened (called on a worker thread); raises what stops the start."""
        ...


class ShopOpening(GuardedApp[None]):
    """Mix into the staff app: `open_shop_later()` once the first frame is on the
    terminal; the app's `_start_work()` runs once the shop is open."""

    _opening: ShopToOpen | None
    _ctx: ShopContext | None
    start_error: Exception | None

    if TYPE_CHECKING:

        def _start_work(self) -> None: ...

        def style_every_screen(self) -> None: ...

    def open_shop_later(self) -> None:
        """Open the shop on a worker thread (if it is not open yet)."""
        if self._opening is not None and self._ctx is None:
            self.run_worker(self._open_shop, thread=True, name="open the shop", exit_on_error=False)

    def _open_shop(self) -> None:
        """On a worker thread: the staff list if it can be read early, then the shop,
        each handed to the UI thread (an early list that fails is only not shown early)."""
        assert self._opening is not None
        try:
            people = self._opening.roster()
        except Exception:
            people = None
        if people:
            self.call_from_thread(self._early_roster, people)
        try:
            shop = self._opening.open()
        except Exception as error:
            self.call_from_thread(self._not_opened, error)
        else:
            self.call_from_thread(self._opened, shop)

    def _early_roster(self, people: list[StaffSummary]) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, SignInScreen):
                screen.show_early_roster(people)
        self.call_after_refresh(self.style_every_screen)  # once the names are painted

    def _not_opened(self, error: Exception) -> None:
        self.start_error = error
        self.exit(return_code=1)

    def _opened(self, shop: ShopContext) -> None:
        """The shop is open: its theme, keys and name, the staff list, and the work."""
        self._ctx = shop
        self.title = shop.rules.shop.name
        self._apply_theme(shop.settings.theme)
        self._start_work()
        for screen in self.screen_stack:
            if isinstance(screen, SignInScreen):
                screen.load_staff()
        self.call_after_refresh(self.style_every_screen)

    def _apply_theme(self, theme: str) -> None:
        if theme in self.available_themes and theme != self.theme:
            self.theme = theme
