"""The staff app: sign in, floor board, customer view, find, follow-ups.

Service calls run in worker threads and report back on the UI thread; a change feed
tells the current screen to reload when any terminal commits a change.

The first frame comes first: started with a `ShopToOpen` (the command line does this),
the app paints the sign-in screen with nothing but Textual and its own screens
imported, then opens the shop on a worker thread (settings, database, schema check:
the services, SQLAlchemy and pydantic load there) and hands it to the sign-in screen.
A shop that cannot be opened ends the app with `start_error` set, for the command line
to say as one line. Services are imported where they are called, not at the top.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import events
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from counter_tui.logs import configure_logging
from counter_tui.themes import high_contrast_theme
from counter_tui.ui.focus_keys import FOCUS_KEYS
from counter_tui.ui.guarded_app import GuardedApp, guarded
from counter_tui.ui.mail_delivery import MailDelivery
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.safe_text import PlainTextApp
from counter_tui.ui.screens.sign_in import SignInScreen
from counter_tui.ui.tones import forget_theme
from counter_tui.ui.widgets.offline_banner import show_connection_state

if TYPE_CHECKING:
    from textual.command import Provider

    from counter_tui.services.context import Actor, ShopContext
    from counter_tui.services.notices import Notice
    from counter_tui.services.review_views import Escalation
    from counter_tui.services.staff_roster import StaffSummary
    from counter_tui.shop_rules import ShopRules
    from counter_tui.sync.feed import ChangeFeed, FeedEvent

IDLE_CHECK_SECONDS = 5.0
ESCALATION_CHECK_SECONDS = 15.0
CLOSE_CHECK_SECONDS = 60.0
OPENING_TITLE = "counter-tui"


def staff_commands() -> type[Provider]:
    """The command palette's provider, imported when the palette first opens."""
    from counter_tui.ui.palette import StaffCommands

    return StaffCommands


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


class CounterApp(MailDelivery, PlainTextApp[None], GuardedApp[None]):
    """The staff terminal."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
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
    online: reactive[bool] = reactive(True, init=False)

    def __init__(
        self,
        shop: ShopContext | ShopToOpen,
        *,
        demo_pins: dict[str, str] | None = None,
        live: bool = True,
    ) -> None:
        super().__init__()
        forget_theme()  # tones resolved by an earlier app in this process
        self._opening = shop if isinstance(shop, ShopToOpen) else None
        self._ctx = None if isinstance(shop, ShopToOpen) else shop
        self.start_error: Exception | None = None
        """What stopped the shop from opening (the command line says it)."""
        self.demo_pins = demo_pins or {}
        self.live = live
        self.title = self._ctx.rules.shop.name if self._ctx is not None else OPENING_TITLE
        self._feed: ChangeFeed | None = None
        self._last_input = time.monotonic()
        self._alerted: set[str] = set()
        self._locked_for: int | None = None
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
        """Show sign-in in this terminal's theme; with the shop open already, start work."""
        configure_logging()
        self.register_theme(high_contrast_theme())
        self.theme_changed_signal.subscribe(self, lambda _theme: forget_theme())
        self._apply_theme(self._opening.theme if self._opening is not None else self.ctx.settings.theme)
        self.screen_change_signal.subscribe(self, self._show_connection_state)
        self.push_screen(SignInScreen())
        if self._ctx is not None:
            self._start_work()

    def on_ready(self) -> None:
        """The first frame is on the terminal: now open the shop (if it is not yet)."""
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

    def _apply_theme(self, theme: str) -> None:
        if theme in self.available_themes and theme != self.theme:
            self.theme = theme

    def _start_work(self) -> None:
        """Key remapping, the periodic checks and the change feed, once the shop is open."""
        from counter_tui.sync.feed import ChangeFeed

        if self.ctx.settings.keys:
            self.set_keymap(self.ctx.settings.keys)
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.set_interval(ESCALATION_CHECK_SECONDS, self.check_escalations)
        self.set_interval(CLOSE_CHECK_SECONDS, self.close_day_if_due)
        self.start_mail_delivery()
        if self.live:
            self._feed = ChangeFeed(self.ctx, self._from_feed)
            self._feed.start()

    def on_unmount(self) -> None:
        """Stop the change feed."""
        if self._feed is not None:
            self._feed.stop()

    async def on_event(self, event: events.Event) -> None:
        """Note keyboard activity for the idle lock."""
        if isinstance(event, events.Key):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def signed_in(self, actor: Actor) -> None:
        """Show the floor board for the staff member who just signed in (or what they had
        open, if the terminal locked on them), and alert a lead to escalations now."""
        from counter_tui.ui.screens.floor import FloorScreen

        self._last_input = time.monotonic()
        returning, self._locked_for = self._locked_for == actor.staff_id, None
        if returning:
            self.actor = actor
            self.pop_screen()
            self.notify(f"Welcome back, {actor.name}: all as you left it.", markup=False, timeout=3)
        else:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            self.actor = actor
            self.switch_screen(FloorScreen())
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
        signing in again; anyone else signing in closes it unseen and starts afresh."""
        if self.actor is not None:
            self._locked_for = self.actor.staff_id
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

    async def action_quit(self) -> None:
        """A shared counter terminal never drops to a shell at one key: closing the app,
        however asked for (ctrl+q, an action link), needs a shift lead's PIN."""
        from counter_tui.services.permissions import Action, allows
        from counter_tui.ui.dialogs.lead_pin import LeadPinDialog

        if isinstance(self.screen, LeadPinDialog):
            return
        closing = Action.CLOSE_STAFF_APP
        preferred = self.actor.staff_id if self.actor is not None and allows(self.actor, closing) else None
        self.push_screen(
            LeadPinDialog(
                "Close the staff app on this terminal?",
                self._close_check,
                allowing=closing,
                preferred_lead=preferred,
            ),
            callback=self._close_if_allowed,
        )

    def _close_check(self, lead_id: int, pin: str) -> Actor:
        from counter_tui.services import sessions

        return sessions.close_terminal(self.ctx, lead_id, pin)

    def _close_if_allowed(self, lead: Actor | None) -> None:
        if lead is not None:
            self.exit()

    def action_toggle_help(self) -> None:
        """Show or hide the panel listing every key of the current screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def idle_seconds(self) -> float:
        """Seconds since the last key press."""
        return time.monotonic() - self._last_input

    def lock_if_idle(self) -> None:
        """Lock a signed-in terminal left idle past the configured minutes."""
        limit = self.ctx.rules.thresholds.idle_lock_minutes * 60
        if self.actor is not None and self.idle_seconds() >= limit:
            self._lock()
            self.notify("Locked after being idle. Sign in again to carry on where you were.", timeout=5)

    def _from_feed(self, event: FeedEvent) -> None:
        """Called on the feed's thread: hand the event to the UI thread."""
        try:
            self.call_from_thread(self.apply_feed_event, event)
        except RuntimeError:
            return

    def apply_feed_event(self, event: FeedEvent) -> None:
        """Show the connection state and tell the current screen what changed (called
        from the feed's thread, so inside the guard here)."""
        from counter_tui.services import review, shop_settings
        from counter_tui.services.outbox import QUEUED
        from counter_tui.ui.screens.base import CounterScreen

        with guarded(self, "change feed event"):
            if event.online != self.online:
                self.online = event.online
            if event.changes or event.presence or event.resumed:
                message = DataChanged(event.changes, presence=event.presence, resumed=event.resumed)
                self.screen.post_message(message)
                for covered in self.screen_stack[:-1]:
                    if isinstance(covered, CounterScreen):
                        covered.note_while_covered(message)
            if any(change.action == QUEUED for change in event.changes):
                self.deliver_mail()  # queued on another terminal: whichever claims it first sends it
            self._tell_affected(event)
            if event.resumed or review.may_escalate(event.changes):
                self.check_escalations()
            if event.resumed or any(change.entity == shop_settings.ENTITY for change in event.changes):
                self.call(shop_settings.current, self.ctx, then=self._apply_rules, quiet=True)

    def _apply_rules(self, rules: ShopRules) -> None:
        """Show what the shop-wide settings decide outside any screen (the shop's name)."""
        self.title = rules.shop.name

    def _tell_affected(self, event: FeedEvent) -> None:
        """Tell the person signed in here, whatever screen they are on, about changes of
        hands that concern them (services/notices.py decides who hears what; no read for
        changes that cannot concern anyone, nor for the person's own)."""
        from counter_tui.services import notices

        if self.actor is not None and notices.may_tell(self.actor.staff_id, event.changes):
            self.call(
                notices.notices_for, self.ctx, self.actor, event.changes, then=self._show_notices, quiet=True
            )

    def _show_notices(self, told: list[Notice]) -> None:
        for notice in told:
            if notice.urgent:
                self.bell()
            self.notify(
                notice.message,
                title=notice.title,
                severity="warning" if notice.urgent else "information",
                markup=False,
                timeout=20 if notice.urgent else 12,
            )

    def check_escalations(self) -> None:
        """Leads are alerted, on whatever screen they are, to each new escalation once."""
        from counter_tui.services import review
        from counter_tui.services.permissions import Action, allows

        if self.actor is not None and allows(self.actor, Action.SEE_ESCALATIONS):
            self.call(review.escalations, self.ctx, self.actor, then=self._alert, quiet=True)

    def _alert(self, escalations: tuple[Escalation, ...]) -> None:
        for escalation in escalations:
            if escalation.key in self._alerted:
                continue
            self._alerted.add(escalation.key)
            self.bell()
            self.notify(
                f"{escalation.who} needs help and nobody has claimed them "
                f"for {escalation.minutes_waiting} min. Send someone, or go yourself.",
                title="Needs help",
                severity="error",
                markup=False,
                timeout=20,
            )

    def close_day_if_due(self) -> None:
        """After close, end visits left open as 'left at close' (any terminal may; it is idempotent)."""
        from counter_tui.services import closing

        self.call(closing.close_day_if_due, self.ctx, None, quiet=True)

    def watch_online(self, online: bool) -> None:
        """Say so when the database is unreachable, and when it is back; the banner
        stays on every screen meanwhile."""
        self._show_connection_state(self.screen)
        if online:
            self.notify("Connected to the database again.", timeout=4)
        else:
            self.notify(
                "The database cannot be reached, so nothing can be saved until it is back. "
                "Note down anything urgent meanwhile.",
                severity="warning",
                timeout=10,
            )

    def _show_connection_state(self, screen: Screen[Any]) -> None:
        show_connection_state(screen, self.online)
