"""The staff app: who is signed in at this terminal, and its keys and screens.

Sign in, lock (by key or when idle; the screens wait for the same person), sign out,
and close with a lead's PIN; the floor board after signing in, other screens from the
palette. Opening the shop behind the first frame is `shop_opening.py`'s; what the change
feed brings is `live_updates.py`'s; sending mail is `mail_delivery.py`'s; the lead's PIN
that closes the app is `lead_close.py`'s. Service calls
run in worker threads and report back on the UI thread. Services are imported where
they are called, not at the top, so that nothing heavy loads before the first frame.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from counter_tui.themes import high_contrast_theme
from counter_tui.ui.focus_keys import FOCUS_KEYS
from counter_tui.ui.heap import QuietHeap
from counter_tui.ui.kept_screens import KeptScreens
from counter_tui.ui.lead_close import LeadClose
from counter_tui.ui.live_updates import LiveUpdates
from counter_tui.ui.mail_delivery import MailDelivery
from counter_tui.ui.safe_text import PlainTextApp
from counter_tui.ui.screens.sign_in import SignInScreen
from counter_tui.ui.shop_opening import ShopOpening, ShopToOpen
from counter_tui.ui.tones import forget_theme
from counter_tui.ui.widgets.keys_panel import KeysPanel

if TYPE_CHECKING:
    from textual.command import Provider

    from counter_tui.services.context import Actor, ShopContext
    from counter_tui.sync.feed import ChangeFeed

STYLESHEET = Path(__file__).with_name("app.tcss")
AFTER_FIRST_FRAME = "/* After the first frame:"
"""The line of app.tcss after which its rules are read once the first frame is painted."""
IDLE_CHECK_SECONDS = 5.0
ESCALATION_CHECK_SECONDS = 15.0
CLOSE_CHECK_SECONDS = 60.0
OPENING_TITLE = "counter-tui"
LOG = logging.getLogger(__name__)


def stylesheet_parts() -> tuple[str, str]:
    """app.tcss in two: the rules the first frame needs (the sign-in screen's), and those
    after the `AFTER_FIRST_FRAME` line, preceded by as many newlines as the first part
    has (so that a mistake in them is reported at its line of app.tcss)."""
    text = STYLESHEET.read_text(encoding="utf-8")
    first, marker, rest = text.partition(AFTER_FIRST_FRAME)
    return first, "\n" * first.count("\n") + marker + rest


def staff_commands() -> type[Provider]:
    """The command palette's provider, imported when the palette first opens."""
    from counter_tui.ui.palette import StaffCommands

    return StaffCommands


class CounterApp(
    MailDelivery, ShopOpening, LiveUpdates, LeadClose, KeptScreens, PlainTextApp[None], QuietHeap[None]
):
    """The staff terminal."""

    COMMANDS = {staff_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            id="app.quit",
            tooltip="Close the staff app; a shift lead's PIN is needed.",
        ),
        Binding(
            "ctrl+l",
            "lock",
            "Lock",
            priority=True,
            id="app.lock",
            tooltip="Lock this terminal; the next person signs in.",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            priority=True,
            id="app.command_palette",
            tooltip="Find a customer by name, or run a command, by typing.",
        ),
        Binding(
            "ctrl+o",
            "sign_out",
            "Sign out",
            id="app.sign_out",
            tooltip="Sign out (hand off or end your visits first).",
        ),
        Binding(
            "f1,question_mark",
            "toggle_help",
            "Keys",
            id="app.help",
            tooltip="Show or hide all keys of this screen.",
        ),
        *FOCUS_KEYS,
    ]

    actor: reactive[Actor | None] = reactive(None, init=False)

    def __init__(
        self,
        shop: ShopContext | ShopToOpen,
        *,
        demo_pins: dict[str, str] | None = None,
        live: bool = True,
    ) -> None:
        super().__init__()
        forget_theme()  # tones resolved by an earlier app in this process
        self._logging_to_file = False
        first_frame_css, self._later_css = stylesheet_parts()
        self.stylesheet.add_source(first_frame_css, read_from=(str(STYLESHEET), ""))
        self._opening = shop if isinstance(shop, ShopToOpen) else None
        self._ctx = None if isinstance(shop, ShopToOpen) else shop
        # The theme before anything is styled: chosen in on_mount, it had every stylesheet
        # parsed and applied twice (~7 ms of the first frame in any theme but Textual's default).
        self.register_theme(high_contrast_theme())
        self._apply_theme(self._opening.theme if self._opening is not None else self.ctx.settings.theme)
        self.start_error: Exception | None = None
        """What stopped the shop from opening (the command line says it)."""
        self.demo_pins = demo_pins or {}
        self.live = live
        self.title = self._ctx.rules.shop.name if self._ctx is not None else OPENING_TITLE
        self._feed: ChangeFeed | None = None
        self._last_input = time.monotonic()
        self._alerted: set[str] = set()
        self._stopped_by = "ended"
        """What ended the app (a `sessions.StoppedBy`), for the audit log when a lead did
        not close it."""
        self._locked_for: Actor | None = None
        """Whose screens (a half-typed dialog included) wait under the lock screen."""

    @property
    def ctx(self) -> ShopContext:
        """The shop this terminal works in (open before anyone can sign in)."""
        assert self._ctx is not None, "the shop is open before anyone can sign in"
        return self._ctx

    @property
    def shop_open(self) -> bool:
        """Whether the shop is open (the sign-in screen waits for it to list the staff)."""
        return self._ctx is not None

    def on_mount(self) -> None:
        """Show sign-in (in the theme chosen in `__init__`); with the shop open already, start work."""
        self.theme_changed_signal.subscribe(self, lambda _theme: forget_theme())
        self.screen_change_signal.subscribe(self, self._before_screen_shown, immediate=True)
        self.screen_change_signal.subscribe(self, self._show_connection_state)
        self.push_screen(SignInScreen())
        if self._ctx is not None:
            self._start_work()

    def on_ready(self) -> None:
        """The first frame is on the terminal: now attach the log file and open the shop
        (if it is not yet; the rest of the stylesheet is read once the staff list is painted,
        or the shop open, see `ShopOpening`)."""
        self.log_to_file()
        self.open_shop_later()
        if self._opening is None:
            self.call_after_refresh(self.style_every_screen)

    def log_to_file(self) -> None:
        """Send counter_tui's log records to this user's log file (once): after the first
        frame, or at an error reported before it (`report_unexpected`)."""
        if not self._logging_to_file:
            self._logging_to_file = True  # once, even if it fails (its error is reported)
            from counter_tui.logs import configure_logging

            configure_logging()

    def style_every_screen(self) -> None:
        """Add the rules of app.tcss the first frame did not need (once): they cost ~5 ms
        to parse, a sixth of what the app added to a minimal Textual app's first frame.
        Read after the staff list is painted, not to delay it; a screen shown before that
        has them read first (`_before_screen_shown`)."""
        if self._later_css:
            css, self._later_css = self._later_css, ""
            self.stylesheet.add_source(css, read_from=(str(STYLESHEET), "after the first frame"))
            self.stylesheet.parse()

    def _before_screen_shown(self, screen: Screen[Any]) -> None:
        """A screen other than sign-in pushed before the first frame was painted (a test, or
        keys typed at once): style it with the whole stylesheet (its widgets mount later)."""
        if self._later_css and not isinstance(screen, SignInScreen):
            self.style_every_screen()
            self.stylesheet.apply(screen)

    def _start_work(self) -> None:
        """Key remapping, the periodic checks and the change feed, once the shop is open."""
        from counter_tui.services.sessions import HEARTBEAT_SECONDS
        from counter_tui.sync.feed import ChangeFeed

        if self.ctx.settings.keys:
            self.set_keymap(self.ctx.settings.keys)
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.set_interval(ESCALATION_CHECK_SECONDS, self.check_escalations)
        self.set_interval(CLOSE_CHECK_SECONDS, self.close_day_if_due)
        self.set_interval(HEARTBEAT_SECONDS, self.beat)
        self.start_mail_delivery()
        if self.live:
            self._feed = ChangeFeed(self.ctx, self._from_feed)
            self._feed.start()
            self._stop_on_signals()

    def _stop_on_signals(self) -> None:
        """Close as if closed from the keyboard when the system stops the app (SIGTERM at
        shutdown) or its window closes (SIGHUP), so it leaves the list of running apps at
        once (`on_unmount`); Python's default would end it on the spot."""
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(number, self._stopped_by_signal, number)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or not Unix
                return

    def _stopped_by_signal(self, number: signal.Signals) -> None:
        self._stopped_by = number.name
        self.exit()

    def beat(self) -> None:
        """Say this app still runs, and who is signed in at it (or has it locked), so that
        other terminals count them and a crashed app stops counting."""
        from counter_tui.services import sessions

        present = self.actor or self._locked_for
        staff_id = present.staff_id if present is not None else None
        self.call(sessions.heartbeat, self.ctx, staff_id, quiet=True)

    def on_unmount(self) -> None:
        """Stop the change feed, and leave the list of running apps (unless a lead closed
        the app, which did; a test's app without the feed is not on it)."""
        from counter_tui.errors import DomainError
        from counter_tui.services import sessions

        if self._feed is not None:
            self._feed.stop()
        if self.live and self._ctx is not None:
            try:
                sessions.app_stopped(self.ctx, sessions.StoppedBy(self._stopped_by))
            except DomainError:  # the database is away: its beats stop, and it stops counting
                LOG.warning("could not take this app off the list of running apps", exc_info=True)

    def signed_in(self, actor: Actor) -> None:
        """Show the floor board for the staff member who just signed in, or what they had
        open if the terminal locked on them, here or before someone else used it (that
        person's own screens are then kept for them in turn), and alert a lead to
        escalations now."""
        from counter_tui.ui.screens.floor import FloorScreen

        self._last_input = time.monotonic()
        locked_for, self._locked_for = self._locked_for, None
        if locked_for is not None and locked_for.staff_id == actor.staff_id:
            self.pop_screen()
            back = True
        else:
            back = self.take_back(actor, locked_for)
        if back:
            self.actor = actor
            self.notify(f"Welcome back, {actor.name}: all as you left it.", markup=False, timeout=3)
        else:
            board = self.screen.take_board_ahead() if isinstance(self.screen, SignInScreen) else None
            if self.set_aside(locked_for):
                self.actor = actor
                self.push_screen(FloorScreen(board))
            else:
                while len(self.screen_stack) > 2:
                    self.pop_screen()
                self.actor = actor
                self.switch_screen(FloorScreen(board))
            self.notify(f"Signed in as {actor.name}.", markup=False, timeout=3)
        self.check_escalations()  # a lead hears at once, not at the next periodic check
        from counter_tui.services import notices

        self.call(notices.passed_while_away, self.ctx, actor, then=self._show_notices, quiet=True)

    def _back_to_sign_in(self) -> None:
        """Close everything the last person had open, then ask who is next."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(SignInScreen())
        self.actor = None

    def _lock(self) -> None:
        """Put the sign-in screen over everything the signed-in person has open, kept as
        it is (a dialog with what was typed in it) for them alone: they get it back on
        signing in again, even after others used the terminal (`kept_screens.py`)."""
        if self.actor is not None:
            self._locked_for = self.actor
            self.push_screen(SignInScreen())
            self.actor = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Lock, sign out and the palette are offered only while someone is signed in, and
        the palette not over a dialog (its commands switch screens, which would lose what
        the dialog holds); a screen opens only for whom the permissions let see it."""
        if action == "command_palette" and isinstance(self.screen, ModalScreen):
            return isinstance(self.screen, CommandPalette)
        if action in ("lock", "sign_out", "command_palette", "open_customer"):
            return self.actor is not None
        if action == "open_screen":
            from counter_tui.ui.palette import may_open

            return self.actor is not None and may_open(self.actor, str(parameters[0]))
        return True

    def watch_actor(self) -> None:
        """Show or hide the keys that depend on someone being signed in."""
        self.refresh_bindings()

    def action_lock(self) -> None:
        """Lock: the next person signs in; visits stay with their owners, and your open
        screens wait for you."""
        self._lock()

    def action_command_palette(self) -> None:
        """Open the palette, saying what it finds."""
        if not isinstance(self.screen, CommandPalette):
            self.push_screen(
                CommandPalette(placeholder="A customer's name, or a command…", id="--command-palette")
            )

    def action_open_screen(self, name: str) -> None:
        """Open a staff screen by name (from the palette); the floor board is under them all."""
        if name == "floor":
            while len(self.screen_stack) > 2:
                self.pop_screen()
        else:
            from counter_tui.ui.palette import screen_named

            self.push_screen(screen_named(name))

    def action_open_customer(self, customer_id: int) -> None:
        """Open a customer's record (from the palette)."""
        from counter_tui.ui.screens.customer import CustomerScreen

        self.push_screen(CustomerScreen(customer_id=customer_id))

    def action_sign_out(self) -> None:
        """Sign out, once no customers in the shop are still yours."""
        from counter_tui.services import sessions

        actor = self.actor
        if actor is None:
            return
        self.call(sessions.sign_out, self.ctx, actor, then=lambda _: self._back_to_sign_in())

    def action_toggle_help(self) -> None:
        """Show or hide the panel listing every key of the current screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_show_help_panel(self) -> None:
        """Show the Keys panel: every key of the screen, laid out to fit (KeysPanel)."""
        if not self.screen.query("HelpPanel"):
            self.screen.mount(KeysPanel())

    def lock_if_idle(self) -> None:
        """Lock a signed-in terminal left idle past the configured minutes."""
        limit = self.ctx.rules.thresholds.idle_lock_minutes * 60
        if self.actor is not None and self.idle_seconds() >= limit:
            self._lock()
            self.notify("Locked after being idle. Sign in again to carry on where you were.", timeout=5)

    def close_day_if_due(self) -> None:
        """After close, end visits left open as 'left at close' (any terminal may; it is idempotent)."""
        from counter_tui.services import closing

        self.call(closing.close_day_if_due, self.ctx, None, quiet=True)
