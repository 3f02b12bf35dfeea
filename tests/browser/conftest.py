"""The browser tests run in CI (.ci/run installs Chromium when it is missing); they are
skipped, saying why, only where there is no Chromium."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from counter_tui.bootstrap import open_shop
from counter_tui.services import staff, visits
from tests.browser.browser import chromium_missing
from tests.conftest import make_settings


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test here `browser` and `slow`, and skip them where Chromium is missing."""
    reason = chromium_missing()
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
            if reason is not None:
                item.add_marker(pytest.mark.skip(reason=reason))


@dataclass(frozen=True)
class BrowserShop:
    """A shop on an SQLite file, on the real clock (the served app runs on it): Dana (lead,
    PIN 1111), Sam (2222), and a walk-in waiting, `blue anorak`."""

    url: str
    sam_id: int
    visit_id: int


@pytest.fixture
def browser_shop(tmp_path: Path) -> BrowserShop:
    """A new shop for one browser test (see `BrowserShop`)."""
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    ctx = open_shop(make_settings(url), create=True)
    try:
        dana = staff.add_staff(ctx, None, name="Dana", pin="1111", role="lead")
        sam = staff.add_staff(ctx, None, name="Sam", pin="2222")
        lead = staff.sign_in(ctx, dana.id, "1111")
        visit_id = visits.new_walk_in(ctx, lead, description="blue anorak")
    finally:
        ctx.database.dispose()
    return BrowserShop(url=url, sam_id=sam.id, visit_id=visit_id)
