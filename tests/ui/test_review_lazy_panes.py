"""The lead review loads only the tab on show: the other panes are built and fetch their
figures the first time their tab is shown (opening review never waits for the scorecard)."""

from __future__ import annotations

from typing import Any

import pytest

from counter_tui.services import scorecard
from counter_tui.services.context import ShopContext
from counter_tui.ui.review.pane import ReviewPane
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in


async def test_only_the_tab_on_show_is_built_and_loaded(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    overview_calls: list[object] = []
    real_overview = scorecard.scorecard_overview

    def counted_overview(*args: Any, **kwargs: Any) -> Any:
        overview_calls.append(args)
        return real_overview(*args, **kwargs)

    monkeypatch.setattr(scorecard, "scorecard_overview", counted_overview)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "dana", "1111")
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert [pane.id for pane in screen.query(ReviewPane)] == ["pane-health"]
        assert overview_calls == []

        await pilot.press("4")
        await settle(pilot)
        assert {pane.id for pane in screen.query(ReviewPane)} == {"pane-health", "pane-scorecard"}
        assert len(overview_calls) == 1

        await pilot.press("2")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert len(overview_calls) == 2  # shown again: fresh figures
        assert len(screen.query(ReviewPane)) == 2
