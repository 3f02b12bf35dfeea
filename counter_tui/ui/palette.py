"""The staff app's command palette (ctrl+p): customers by name as you type, and the app's
commands, each offered only to whom the permissions allow it.

Customers come from the same search as the find screen (`customers.find_customers`),
run off the UI thread. A command names the permission it needs (`services/permissions`),
never a role, so an associate is not shown the leads' screens. Nothing is offered while
nobody is signed in (the app refuses to open the palette then).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from counter_tui.errors import DomainError
from counter_tui.services import customers
from counter_tui.services.context import Actor
from counter_tui.services.permissions import Action, allows
from counter_tui.services.views import CustomerMatch
from counter_tui.ui.safe_text import content, one_line

CUSTOMERS_SHOWN = 8
IN_SHOP_SCORE = 0.6
"""Customers in the shop now come before namesakes who are not (the palette sorts by score)."""
ON_FILE_SCORE = 0.5


@dataclass(frozen=True)
class PaletteCommand:
    """One command: its name, what it does, the permission it needs (None: anyone signed
    in) and the app action it runs."""

    name: str
    help: str
    action: str
    needs: Action | None = None


COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("Lock", "Lock this terminal; your screens wait for you.", "lock"),
    PaletteCommand("Sign out", "Sign out (hand off or end your visits first).", "sign_out"),
    PaletteCommand("Floor board", "Everyone in the shop now.", "open_screen('floor')"),
    PaletteCommand("Find customer", "Search by name, phone or email.", "open_screen('find')"),
    PaletteCommand(
        "My follow-ups", "Thank-yous, callbacks and promises you owe.", "open_screen('followups')"
    ),
    PaletteCommand("Hand-offs", "Hand-off requests.", "open_screen('handoffs')"),
    PaletteCommand(
        "Lead review",
        "Floor health, follow-ups, scorecard, feedback, end of day.",
        "open_screen('review')",
        Action.SEE_FLOOR_HEALTH,
    ),
    PaletteCommand("Audit log", "Who changed what, and when.", "open_screen('audit')", Action.SEE_AUDIT_LOG),
    PaletteCommand(
        "Staff", "PINs, lockouts, deactivating staff.", "open_screen('staff')", Action.MANAGE_STAFF
    ),
    PaletteCommand(
        "Shop settings",
        "Hours, holidays, thresholds and targets.",
        "open_screen('settings')",
        Action.CHANGE_SHOP_SETTINGS,
    ),
    PaletteCommand("Theme", "Try another colour theme on this terminal until it restarts.", "change_theme"),
    PaletteCommand("Keys", "Show or hide every key of this screen.", "toggle_help"),
)


def commands_for(actor: Actor) -> list[PaletteCommand]:
    """The commands `actor` may run, in the order they are listed."""
    return [command for command in COMMANDS if command.needs is None or allows(actor, command.needs)]


def may_open(actor: Actor, screen: str) -> bool:
    """Whether `actor` may open the screen a palette command names."""
    opening = [command for command in COMMANDS if command.action == f"open_screen('{screen}')"]
    return bool(opening) and all(command.needs is None or allows(actor, command.needs) for command in opening)


def screen_named(name: str) -> Screen[None]:
    """A fresh staff screen by the short name the palette's commands use."""
    from counter_tui.ui.screens.audit import AuditScreen
    from counter_tui.ui.screens.find import FindCustomerScreen
    from counter_tui.ui.screens.floor import FloorScreen
    from counter_tui.ui.screens.followups import FollowUpsScreen
    from counter_tui.ui.screens.handoffs import HandoffsScreen
    from counter_tui.ui.screens.review import ReviewScreen
    from counter_tui.ui.screens.shop_settings import ShopSettingsScreen
    from counter_tui.ui.screens.staff_admin import StaffAdminScreen

    screens: dict[str, Callable[[], Screen[None]]] = {
        "floor": FloorScreen,
        "find": FindCustomerScreen,
        "followups": FollowUpsScreen,
        "handoffs": HandoffsScreen,
        "review": ReviewScreen,
        "audit": AuditScreen,
        "staff": StaffAdminScreen,
        "settings": ShopSettingsScreen,
    }
    return screens[name]()


class StaffCommands(Provider):
    """Customers by name, and the commands the signed-in person may run."""

    def _actor(self) -> Actor | None:
        actor = getattr(self.app, "actor", None)
        return actor if isinstance(actor, Actor) else None

    def _run(self, action: str) -> Callable[[], None]:
        """A callback running the app's `action` (its check_action is asked first)."""

        def run() -> None:
            self.app.call_later(self.app.run_action, action)

        return run

    async def discover(self) -> Hits:
        """With nothing typed: every command on offer."""
        actor = self._actor()
        if actor is None:
            return
        for command in commands_for(actor):
            yield DiscoveryHit(command.name, self._run(command.action), help=command.help)

    async def search(self, query: str) -> Hits:
        """Commands whose name matches, then customers whose name, phone or email does."""
        actor = self._actor()
        if actor is None:
            return
        matcher = self.matcher(query)
        for command in commands_for(actor):
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command.name), self._run(command.action), help=command.help
                )
        for match in await self._customers(query):
            label = one_line(match.name, 40) + ("  · in the shop" if match.in_shop else "")
            yield Hit(
                IN_SHOP_SCORE if match.in_shop else ON_FILE_SCORE,  # the one in the shop first
                content(label),
                self._run(f"open_customer({match.id})"),
                text=label,
                help="Open their record.",
            )

    async def _customers(self, query: str) -> tuple[CustomerMatch, ...]:
        """Up to a few customers matching `query`, searched off the UI thread; a query the
        search refuses (too long) finds nobody."""
        if not query.strip():
            return ()
        ctx = getattr(self.app, "ctx", None)
        if ctx is None:
            return ()
        try:
            page = await asyncio.to_thread(customers.find_customers, ctx, query, page_size=CUSTOMERS_SHOWN)
        except DomainError:
            return ()
        return page.items
