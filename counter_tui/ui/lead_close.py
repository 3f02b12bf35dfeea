"""Closing the staff app. A shared counter terminal never drops to a shell at one key:
closing it, however asked for (ctrl+q, an action link), needs a shift lead's PIN. A lead
signed in here is offered first, and the question names whose screens wait under a lock,
since they close with it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from textual.reactive import reactive

    from counter_tui.services.context import Actor, ShopContext


class LeadClose(App[None]):
    """Mix into the staff app: its quit action asks for a lead's PIN."""

    if TYPE_CHECKING:
        actor: reactive[Actor | None]

        @property
        def ctx(self) -> ShopContext: ...

        def kept_for(self) -> tuple[str, ...]: ...

    async def action_quit(self) -> None:
        """Ask for a lead's PIN, then close the app (not while the PIN dialog is up)."""
        from counter_tui.services.permissions import Action, allows
        from counter_tui.ui.dialogs.lead_pin import LeadPinDialog

        if isinstance(self.screen, LeadPinDialog):
            return
        closing = Action.CLOSE_STAFF_APP
        preferred = self.actor.staff_id if self.actor is not None and allows(self.actor, closing) else None
        question = "Close the staff app on this terminal?"
        if self.kept_for():
            question += f" What {' and '.join(self.kept_for())} left open under a lock closes with it."
        self.push_screen(
            LeadPinDialog(
                question,
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
