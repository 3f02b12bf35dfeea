"""The staff app's side of the change feed: what other terminals changed reaches the
screens, and whoever is signed in hears what concerns them on whatever screen they are.

The feed's thread hands each event to the UI thread; the current screen (and those under
it) are told what changed, the connection state is shown, mail queued elsewhere is sent,
shop-wide settings are read again, people are told of changes of hands and leads of
escalations, each once, and a person deactivated elsewhere is signed out here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.reactive import reactive
from textual.screen import Screen

from counter_tui.ui.guarded_app import GuardedApp, guarded
from counter_tui.ui.messages import DataChanged

if TYPE_CHECKING:
    from counter_tui.services.context import Actor, ShopContext
    from counter_tui.services.notices import Notice
    from counter_tui.services.review_views import Escalation
    from counter_tui.shop_rules import ShopRules
    from counter_tui.sync.feed import FeedEvent


DEACTIVATED = "staff.deactivated"


class LiveUpdates(GuardedApp[None]):
    """Mix into the staff app: give `_from_feed` to the change feed; `check_escalations()`
    any time."""

    online: reactive[bool] = reactive(True, init=False)
    _alerted: set[str]
    _escalations_wanted = False
    """An escalation check waits for the service calls under way."""

    if TYPE_CHECKING:
        actor: reactive[Actor | None]

        @property
        def ctx(self) -> ShopContext: ...

        _locked_for: Actor | None

        def deliver_mail(self) -> None: ...

        def _back_to_sign_in(self) -> None: ...

    def _from_feed(self, event: FeedEvent) -> None:
        """Called on the feed's thread: hand the event to the UI thread."""
        try:
            self.call_from_thread(self.apply_feed_event, event)
        except RuntimeError:
            return

    def apply_feed_event(self, event: FeedEvent) -> None:
        """Show the connection state and tell the current screen what changed (called
        from the feed's thread, so inside the guard here)."""
        from counter_tui.services import floor_health, shop_settings
        from counter_tui.services.outbox import QUEUED
        from counter_tui.ui.screens.base import CounterScreen

        with guarded(self, "change feed event"):
            if event.online != self.online:
                self.online = event.online
            deactivated = {c.entity_id for c in event.changes if c.action == DEACTIVATED and c.entity_id}
            signed_out = bool(deactivated) and self.sign_out_deactivated(deactivated)
            if (event.changes or event.presence or event.resumed) and not signed_out:
                message = DataChanged(
                    event.changes, presence=event.presence, resumed=event.resumed, replaced=event.replaced
                )
                self.screen.post_message(message)
                for covered in self.screen_stack[:-1]:
                    if isinstance(covered, CounterScreen):
                        covered.note_while_covered(message)
            if any(change.action == QUEUED for change in event.changes):
                self.deliver_mail()  # queued on another terminal: whichever claims it first sends it
            self._tell_affected(event)
            if event.resumed or floor_health.may_escalate(event.changes):
                self._check_escalations_after_reads()
            if event.resumed or any(change.entity == shop_settings.ENTITY for change in event.changes):
                self.call(shop_settings.current, self.ctx, then=self._apply_rules, quiet=True)

    def sign_out_deactivated(self, staff_ids: set[int]) -> bool:
        """Sign out the person signed in (or locked out) here whom a lead deactivated
        elsewhere, and say so; whether they were. Every read and change of theirs would
        now be refused, and their screens showed what was theirs before it was passed on
        (closed here, they are not told of the change: the sign-in screen reads afresh)."""
        person = self.actor or self._locked_for
        if person is None or person.staff_id not in staff_ids:
            return False
        self._locked_for = None
        self._back_to_sign_in()
        self.notify(
            f"A shift lead deactivated {person.name}'s account, so {person.name} is signed out here.",
            markup=False,
            timeout=12,
        )
        return True

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
        """Show each notice; one asking for a hand-off decision names the key that makes it
        from the screen on show (`handoff_decisions.how_to_decide`)."""
        from counter_tui.sentences import join_sentences
        from counter_tui.services.permissions import Action
        from counter_tui.ui.handoff_decisions import how_to_decide

        for notice in told:
            if notice.urgent:
                self.bell()
            message = notice.message
            if notice.asks == Action.DECIDE_HANDOFF:
                message = join_sentences(message, how_to_decide(self))
            self.notify(
                message,
                title=notice.title,
                severity="warning" if notice.urgent else "information",
                markup=False,
                timeout=20 if notice.urgent else 12,
            )

    def _check_escalations_after_reads(self) -> None:
        """Check the lead's escalations once the service calls under way (the screen
        reading what the change touched) are done and the screen is drawn. The check
        reads every open visit: started at once, it competed with the board's own read
        and drawing of the change for the interpreter, and the claim showed on the board
        about ten milliseconds later. Changes arriving meanwhile share one check."""
        self._escalations_wanted = True
        self.screen.call_later(self._check_escalations_when_quiet)  # after the screen took the change

    def _check_escalations_when_quiet(self) -> None:
        if not self._escalations_wanted:
            return
        if any(worker.group == "service" and not worker.is_finished for worker in self.workers):
            return  # again when they finish (`on_worker_state_changed`)
        self._escalations_wanted = False
        self.call_after_refresh(self.check_escalations)

    def on_worker_state_changed(self) -> None:
        """A service call finished: an escalation check waiting for it may start."""
        self._check_escalations_when_quiet()

    def check_escalations(self) -> None:
        """Leads are alerted, on whatever screen they are, to each new escalation once."""
        from counter_tui.services import floor_health
        from counter_tui.services.permissions import Action, allows

        if self.actor is not None and allows(self.actor, Action.SEE_ESCALATIONS):
            self.call(floor_health.escalations, self.ctx, self.actor, then=self._alert, quiet=True)

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
        """Show or hide `screen`'s offline banner; online, a screen without one needs none
        (mounted the first time it is shown offline, not on every screen before its first frame)."""
        if self.online and not screen.query_children("OfflineBanner"):
            return
        from counter_tui.ui.widgets.offline_banner import show_connection_state

        show_connection_state(screen, self.online)
