"""Dialog prompts that quote customer text show it literally: a customer named `[/]`
or a feedback topic `[/]` used to crash the app when a lead pressed E or x, and
`[b]Grace[/b]` rendered in bold (issue 9, finding 1)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from textual.app import App
from textual.widgets import Label

from counter_tui.db.models import Staff
from counter_tui.services import customers, feedback, staff
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.review import ReviewScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, quick_sign_in, settle, type_text


def prompt_of(dialog: TextPromptDialog) -> str:
    """The dialog's question as it reads on screen, asserting no part of it is styled."""
    labels = [label for label in dialog.query(Label) if "dialog-title" not in label.classes]
    visual = labels[0].visual
    assert not getattr(visual, "spans", []), f"markup was interpreted: {visual!r}"
    return str(getattr(visual, "plain", visual))


async def test_erasing_a_customer_named_like_markup_shows_the_name_literally(
    ctx: ShopContext, team: Team
) -> None:
    """Pressing E on `[/]` asks about `[/]` and erases them; the app keeps running."""
    for name in ("[/]", "[b]Grace[/b]", "Grace **Hopper**"):
        customer_id = customers.create_customer(ctx, team.sam, name=name)
        app = StaffApp(ctx)
        async with app.run_test(size=SIZE) as pilot:
            await quick_sign_in(pilot, "dana", "1111")
            await open_record(pilot, customer_id)
            await pilot.press("E")
            await settle(pilot)
            assert isinstance(app.screen, TextPromptDialog)
            assert prompt_of(app.screen).startswith(f"Erase {name}'s name")
            await type_text(pilot, "asked in person")
            await pilot.press("enter")
            await settle(pilot)
            assert app.messages[-1] == "Personal data erased."
            assert app.is_running
        assert customers.find_customers(ctx, name).items == ()


async def test_acting_on_a_feedback_topic_named_like_markup_shows_it_literally(
    ctx: ShopContext, team: Team
) -> None:
    """Marking the topic `[/]` acted on asks about `[/]` and records the action."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    feedback.record_feedback(ctx, team.sam, body="Odd sign", customer_id=bob, topics=["[/]"])
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        assert prompt_of(app.screen).startswith("What was done about '[/]'?")
        await type_text(pilot, "Sign fixed")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.is_running
    [topic] = feedback.topic_board(ctx, team.lead)
    assert (topic.topic, topic.status, topic.action_taken) == ("[/]", "acted_on", "Sign fixed")


async def test_a_toast_naming_a_colleague_shows_the_name_literally(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signing in as `[b]Grace[/b] [/]` (a name stored before names were checked) says so
    in a toast that Textual is told to show as plain text, whoever asked for it."""
    grace = staff.add_staff(ctx, team.lead, name="Grace", pin="4444")
    with ctx.database.write() as session:
        session.connection().execute(
            update(Staff).where(Staff.id == grace.id).values(name="[b]Grace[/b] [/]")
        )  # type: ignore[arg-type]
    shown: list[tuple[str, bool]] = []
    textual_notify = App.notify

    def record(self: App[object], message: str, **options: Any) -> None:
        shown.append((message, options["markup"]))
        textual_notify(self, message, **options)

    monkeypatch.setattr(App, "notify", record)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "[b]grace", "4444")
        assert isinstance(app.screen, FloorScreen)
        app.screen.notify("[/] from a screen, which asks for markup by default")
        await settle(pilot)
        assert app.is_running
    assert ("Signed in as [b]Grace[/b] [/].", False) in shown
    assert ("[/] from a screen, which asks for markup by default", False) in shown
