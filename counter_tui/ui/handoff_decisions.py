"""Approving and denying a hand-off, shared by the hand-offs screen and the lead review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App

from counter_tui.services import handoffs
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.views import HandoffView
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog


class Decider(Protocol):
    """A screen or pane that can run service calls and reload itself."""

    @property
    def ctx(self) -> ShopContext: ...

    @property
    def actor(self) -> Actor: ...

    @property
    def app(self) -> App[Any]: ...

    def call(
        self, fn: Callable[..., Any], *args: Any, then: Callable[[Any], None] | None = None, **kwargs: Any
    ) -> None: ...

    def reload(self) -> None: ...


def _done(where: Decider, message: str) -> None:
    where.app.notify(message, markup=False, timeout=3)
    where.reload()


def approve(where: Decider, request: HandoffView | None) -> None:
    """Approve `request`: the customer moves to the named colleague."""
    if request is None:
        where.app.notify("No pending hand-off highlighted.", markup=False)
        return
    where.call(
        handoffs.approve_handoff, where.ctx, where.actor, request.id, then=lambda _: _done(where, "Approved.")
    )


def deny(where: Decider, request: HandoffView | None) -> None:
    """Deny `request` with a note the requester sees; the owner keeps the customer."""
    if request is None:
        where.app.notify("No pending hand-off highlighted.", markup=False)
        return

    def send(note: str | None) -> None:
        if note is not None:
            where.call(
                handoffs.deny_handoff,
                where.ctx,
                where.actor,
                request.id,
                note,
                then=lambda _: _done(where, "Denied."),
            )

    where.app.push_screen(TextPromptDialog("Deny hand-off", "Why? (the requester sees this)"), send)
