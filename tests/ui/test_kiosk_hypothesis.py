"""Whatever is typed or pasted into the kiosk's name field, it never crashes, and only
clean text within the length limit is stored."""

from __future__ import annotations

import asyncio
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select
from textual import events
from textual.widgets import Input, Static

from counter_tui.db.models import Visit
from counter_tui.errors import InvalidInput
from counter_tui.services.context import ShopContext
from counter_tui.services.kiosk import FIRST_NAME_MAX, clean_first_name
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.name import NameScreen
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen

# Anything a paste can carry: escapes, control characters, newlines, emoji, combining marks.
PASTED = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)
# What a keyboard types one key at a time.
TYPED = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=40)


def has_control(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)


def newest_visit(ctx: ShopContext) -> Visit | None:
    with ctx.database.read() as session:
        return session.exec(select(Visit).order_by(col(Visit.id).desc())).first()


async def check_in_with(ctx: ShopContext, pasted: str, typed: str) -> None:
    before = newest_visit(ctx)
    app = KioskApp(ctx, "door")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        field = app.screen.query_one("#first-name", Input)
        field.post_message(events.Paste(pasted))
        await pilot.pause()
        await pilot.press(*typed)
        entered = field.value
        assert not has_control(entered)
        assert len(entered) <= FIRST_NAME_MAX
        await pilot.press("enter")
        await pilot.pause()
        try:
            expected = clean_first_name(entered)
        except InvalidInput:
            assert isinstance(app.screen, NameScreen)
            message = app.screen.query_one("#name-message", Static).render()
            assert "first name" in str(message)
            assert newest_visit(ctx) == before
            return
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("1")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ThanksScreen)
        assert app.return_code is None
    visit = newest_visit(ctx)
    assert visit is not None and visit != before
    assert visit.description == (expected or "walk-in")
    assert not has_control(visit.description)
    assert len(visit.description) <= FIRST_NAME_MAX


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pasted=PASTED, typed=TYPED)
def test_any_name_input_is_stored_clean_or_kindly_refused(ctx: ShopContext, pasted: str, typed: str) -> None:
    asyncio.run(check_in_with(ctx, pasted, typed))


async def test_pasted_terminal_escapes_are_dropped_a_tab_becomes_a_space_and_the_rest_clipped(
    ctx: ShopContext,
) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        field = app.screen.query_one("#first-name", Input)
        field.post_message(events.Paste("Ann\x1b]0;owned\x07\x1b[2J\tLee" + "x" * 50))
        await pilot.pause()
        assert field.value == ("Ann]0;owned[2J Lee" + "x" * 50)[:FIRST_NAME_MAX]
