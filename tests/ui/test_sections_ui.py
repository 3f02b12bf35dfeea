"""The customer view's blocks are widgets styled from app.tcss with the theme's
variables: changing the theme redraws them in its colours (issue 14)."""

from __future__ import annotations

from textual.content import Content
from textual.style import Style

from counter_tui.services import customers, followups
from counter_tui.services.context import ShopContext
from counter_tui.themes import HIGH_CONTRAST, HIGH_CONTRAST_COLOURS
from counter_tui.ui.widgets.sections import Section
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, quick_sign_in, settle


def colour_of(section: Section, words: str) -> str:
    """The colour (as #RRGGBB) the section draws `words` in."""
    shown = section.visual
    assert isinstance(shown, Content)
    start = shown.plain.index(words)
    for span in shown.spans:
        style = span.style
        if span.start <= start < span.end and isinstance(style, Style) and style.foreground is not None:
            return style.foreground.hex
    raise AssertionError(f"{words!r} has no colour of its own")


async def test_a_theme_change_redraws_the_blocks_in_its_colours(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123", opted_in=["phone"])
    followups.add_callback(ctx, team.sam, bob, about="repair quote")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        screen = await open_record(pilot, bob)
        notes = screen.query_one("#notes-block", Section)
        before = colour_of(notes, "No notes yet")
        app.theme = HIGH_CONTRAST
        await settle(pilot)
        after = colour_of(notes, "No notes yet")
        assert after != before
        assert after == HIGH_CONTRAST_COLOURS["variables"]["text-muted"]
