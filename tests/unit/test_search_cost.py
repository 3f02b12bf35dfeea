"""What keeps find-customer fast at a million customers, checked by its shape rather than
by timing it (benchmarks/bench_search.py times it): a search runs at most three
statements whatever is typed — the counts, the walk, the sort — with whether each
customer is in the shop read in the page's own statement, and an SQLite connection keeps
a page cache large enough for what a search reads. On SQLite and PostgreSQL (the
PostgreSQL runs skip when COUNTER_TUI_TEST_POSTGRES_URL is unset)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from counter_tui.db.engine import SQLITE_CACHE_KIB
from counter_tui.services import customer_search, customers, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Each test once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path}/counter.sqlite3"


PEOPLE = ["Ann Lee", "Anna Adams", "Olivia Ng", "Olivia Anders", "Oliver Stone", "Zed O'Neill"]


@pytest.fixture
def shop(ctx: ShopContext, team: Team) -> ShopContext:
    for name in PEOPLE:
        customers.create_customer(ctx, team.sam, name=name, phone="07700 900123", create_anyway=True)
    return ctx


def _statements(ctx: ShopContext, query: str) -> list[str]:
    """The statements one search runs (BEGIN left out), and checks it found someone."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith("BEGIN"):
            seen.append(" ".join(statement.split()))

    event.listen(ctx.database.engine, "before_cursor_execute", note)
    try:
        found = customers.find_customers(ctx, query, page_size=2)
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", note)
    assert found.items, query
    return seen


@pytest.mark.parametrize(
    ("sort_limit", "walk_window"),
    [(10_000, 10_000), (0, 10_000), (0, 3)],
    ids=["sort", "walk", "walk-then-sort"],
)
@pytest.mark.parametrize("query", ["oli", "olivia a", "o'neill", "0123", "+44 7700 900123"])
def test_a_search_is_one_count_and_at_most_two_page_reads(
    shop: ShopContext, monkeypatch: pytest.MonkeyPatch, sort_limit: int, walk_window: int, query: str
) -> None:
    monkeypatch.setattr(customer_search, "SEARCH_SORT_LIMIT", sort_limit)
    monkeypatch.setattr(customer_search, "SEARCH_WALK_WINDOW", walk_window)
    statements = _statements(shop, query)
    # A walk of the first three customers fills a page of two for the phone everyone
    # shares, and not for the names, which then are sorted as well.
    assert len(statements) == (3 if walk_window == 3 and not query[-1].isdigit() else 2), statements
    counts, *pages = statements
    assert "count(*)" in counts and "FROM visit" not in counts
    assert all("FROM visit" in page for page in pages)


def test_the_in_shop_flag_is_read_with_the_page(shop: ShopContext, team: Team) -> None:
    """No statement of its own per page, nor one per row."""
    olivia = customers.find_customers(shop, "olivia ng").items[0]
    visits.new_walk_in(shop, team.sam, customer_id=olivia.id)
    statements = _statements(shop, "olivia")
    assert len(statements) == 2
    assert "FROM visit" in statements[-1]
    assert [match.in_shop for match in customers.find_customers(shop, "olivia").items] == [False, True]
    assert len(_statements(shop, "")) == 1


def test_an_sqlite_connection_keeps_a_larger_page_cache(ctx: ShopContext) -> None:
    if not ctx.database.is_sqlite:
        pytest.skip("SQLite's page cache")
    with ctx.database.read() as session:
        assert session.connection().execute(text("PRAGMA cache_size")).scalar() == -SQLITE_CACHE_KIB
