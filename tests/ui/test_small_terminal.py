"""At 80×24 (the smallest terminal we support) the keys a person needs come first, every
staff screen's footer keeps Sign out and Keys, and the lead review's seven tabs all fit
on the tab bar."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Tab

from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.review import ReviewScreen
from counter_tui.ui.widgets.keys_footer import KeysFooter
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, quick_sign_in, settle

SMALL = (80, 24)


async def test_the_keys_panel_lists_the_screens_own_keys_first(ctx: ShopContext, team: Team) -> None:
    """F1 on the floor board (a table has focus, with its cursor and scroll keys), then in a
    dialog (a text field has focus, with its editing keys): the screen's or dialog's own
    keys come first, then the app's, then the widget's."""
    visits.new_walk_in(ctx, team.sam, description="red coat")
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen.query("HelpPanel")
        listed = list(app.screen.active_bindings.values())
        ids = [active.binding.id or "" for active in listed]
        assert {"floor.new_walk_in", "floor.claim", "floor.open"} <= set(ids[:3])
        last_own = max(
            i for i, active in enumerate(listed) if active.node is app.screen and active.binding.id
        )
        first_app = ids.index("app.lock")
        first_generic = min(i for i, active in enumerate(listed) if active.binding.id is None)
        assert last_own < first_app < first_generic
        assert all(active.binding.id is None for active in listed[first_generic:])
        await pilot.press("n")
        await settle(pilot)
        listed = list(app.screen.active_bindings.values())
        assert {active.binding.id for active in listed[:2]} == {"dialog.cancel", "dialog.submit"}


async def test_the_review_tabs_fit_in_80_columns(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        tabs = list(app.screen.query(Tab))
        assert len(tabs) == 7
        assert all(tab.region.width and tab.region.right <= SMALL[0] for tab in tabs)


def footer_line(app: StaffApp) -> str:
    """The bottom row of the terminal as drawn (the footer), cut at its 80 columns."""
    return app.screen._compositor.render_strips()[-1].text


Step = tuple[str, tuple[str, ...], str]
"""What a step shows, the keys that reach it, and the screen class it should be on."""


async def footers_missing_keys(pilot: Pilot[None], walk: list[Step]) -> list[str]:
    """Press each step's keys and read the footer: the steps that did not reach their
    screen, or whose drawn footer lacks Sign out (^o) or Keys (f1), with what it showed."""
    missing: list[str] = []
    for name, keys, screen in walk:
        await pilot.press(*keys)
        await settle(pilot)
        line = footer_line(pilot.app)
        reached = type(pilot.app.screen).__name__
        if reached != screen or "^o Sign out" not in line or "f1 Keys" not in line:
            missing.append(f"{name} ({reached}): {line!r}")
        missing.extend(f"{name}: {description!r} cut in {line!r}" for description in cut_keys(pilot.app))
    return missing


def cut_keys(app: StaffApp) -> list[str]:
    """The footer's keys drawn only in part: running under Sign out and Keys at its right
    edge (or the column before them), or past the terminal's."""
    placed = app.screen.query_one(KeysFooter).placed()
    pinned_x = min((x for key, x in placed if key.pinned), default=SMALL[0] + 1)
    return [
        key.description for key, x in placed if not key.pinned and x + key.width > min(pinned_x - 1, SMALL[0])
    ]


async def test_every_staff_screen_keeps_sign_out_and_keys_in_80_columns(ctx: ShopContext, team: Team) -> None:
    """Walk every staff screen at 80×24, by keys, as an associate and as a lead: however
    many keys the screen has, its footer shows the app's Sign out and Keys, and each key
    it shows is whole (fewer keys rather than "b Callbac")."""
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    own_visit = visits.new_walk_in(ctx, team.sam, customer_id=priya, claim=True, needs=["needs_help"])
    walk_in = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    colleagues_visit = visits.new_walk_in(ctx, team.alex, description="green coat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        missing = await footers_missing_keys(
            pilot,
            [
                ("floor as associate", (), "FloorScreen"),
                ("find", ("slash",), "FindCustomerScreen"),
                ("follow-ups", ("escape", "f"), "FollowUpsScreen"),
                ("hand-offs", ("escape", "h"), "HandoffsScreen"),
            ],
        )
        for name, visit_id in [
            ("customer, owner", own_visit),
            ("walk-in, owner", walk_in),
            ("customer, read-only", colleagues_visit),
        ]:
            await pilot.press("escape")
            await app.push_screen(CustomerScreen(visit_id=visit_id))
            missing += await footers_missing_keys(pilot, [(name, (), "CustomerScreen")])
        await pilot.press("escape", "ctrl+l")  # Sam keeps his visits; Dana signs in to lock
        await quick_sign_in(pilot, "dana", "1111")
        tabs: list[Step] = [(f"review tab {n}", (str(n),), "ReviewScreen") for n in range(1, 8)]
        missing += await footers_missing_keys(
            pilot,
            [
                ("floor as lead", (), "FloorScreen"),
                ("review", ("l",), "ReviewScreen"),
                *tabs,
                ("audit log", ("l",), "AuditScreen"),
                ("staff admin", ("escape", "escape", "s"), "StaffAdminScreen"),
                ("shop settings", ("escape", "o"), "ShopSettingsScreen"),
            ],
        )
    assert missing == []


def drawn_lines(app: StaffApp) -> list[str]:
    """Every row of the terminal as drawn now."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def own_keys_not_listed(app: StaffApp) -> list[str]:
    """The keys the screen on show offers itself ("t Status updates"), shown or not in its
    footer, that the keys panel does not draw whole on the terminal."""
    screen = app.screen
    drawn = "\n".join(drawn_lines(app))
    offered = {
        f"{app.get_key_display(active.binding)} {active.binding.description}"
        for active in screen.active_bindings.values()
        if active.node is screen and active.binding.id and active.binding.description
    }
    return sorted(key for key in offered if key not in drawn)


async def keys_missing_from_panel(pilot: Pilot[None], walk: list[Step]) -> list[str]:
    """Press each step's keys, then F1: each screen's own keys the panel leaves off."""
    missing: list[str] = []
    for name, keys, screen in walk:
        await pilot.press(*keys)
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        reached = type(pilot.app.screen).__name__
        assert reached == screen and pilot.app.screen.query("HelpPanel"), name
        missing.extend(f"{name} ({reached}): {key}" for key in own_keys_not_listed(pilot.app))  # type: ignore[arg-type]
        await pilot.press("f1")
        await settle(pilot)
        assert not pilot.app.screen.query("HelpPanel"), name
    return missing


async def test_the_keys_panel_shows_every_key_of_every_staff_screen_at_80_by_24(
    ctx: ShopContext, team: Team
) -> None:
    """F1 is the one place listing every key, the footer's and those it has no room for
    (the customer screen's t status updates, s preferences, k contact choices, u edit
    details have show=False). At 80×24 the panel drew six keys, each tooltip wrapped over
    three lines, and could not be scrolled by keys: nobody could find t, s, k or u. Walked
    by keys as an associate and a lead, every screen's own keys are drawn whole."""
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    own_visit = visits.new_walk_in(ctx, team.sam, customer_id=priya, claim=True, needs=["needs_help"])
    walk_in = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        missing = await keys_missing_from_panel(
            pilot,
            [
                ("floor as associate", (), "FloorScreen"),
                ("find", ("slash",), "FindCustomerScreen"),
                ("follow-ups", ("escape", "f"), "FollowUpsScreen"),
            ],
        )
        for name, visit_id in [("customer, owner", own_visit), ("walk-in, owner", walk_in)]:
            await pilot.press("escape")
            await app.push_screen(CustomerScreen(visit_id=visit_id))
            missing += await keys_missing_from_panel(pilot, [(name, (), "CustomerScreen")])
        await pilot.press("escape")
        await app.push_screen(CustomerScreen(visit_id=own_visit))
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        drawn = "\n".join(drawn_lines(app))
        for key in ("t Status updates", "s Preferences", "k Contact choices", "u Edit details"):
            assert key in drawn, drawn
        await pilot.press("f1", "escape", "ctrl+l")
        await quick_sign_in(pilot, "dana", "1111")
        tabs: list[Step] = [(f"review tab {n}", (str(n),), "ReviewScreen") for n in range(1, 8)]
        missing += await keys_missing_from_panel(
            pilot,
            [
                ("floor as lead", (), "FloorScreen"),
                ("review", ("l",), "ReviewScreen"),
                *tabs,
                ("audit log", ("l",), "AuditScreen"),
                ("staff admin", ("escape", "escape", "s"), "StaffAdminScreen"),
                ("shop settings", ("escape", "o"), "ShopSettingsScreen"),
            ],
        )
        await pilot.press("escape")
        await app.push_screen(CustomerScreen(visit_id=own_visit))
        missing += await keys_missing_from_panel(pilot, [("customer, lead", (), "CustomerScreen")])
    assert missing == []
