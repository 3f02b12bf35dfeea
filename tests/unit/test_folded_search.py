"""Search that finds people however their name is typed: accents and case left out,
special letters typed plainly, apostrophes and hyphens typed or not, every word of the
query the start of a word of the name, and a phone typed in international or national
form. On SQLite and PostgreSQL (the PostgreSQL runs skip when
COUNTER_TUI_TEST_POSTGRES_URL is unset)."""

from __future__ import annotations

import pytest

from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.services.folding import fold, name_words, query_words
from tests.conftest import Team, postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Each test once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path}/counter.sqlite3"


PEOPLE = [
    ("Renée Dupont", "", ""),
    ("Zoë Okafor", "", ""),
    ("Siobhán Ní Bhriain", "", ""),
    ("Anna Straße", "", ""),
    ("Małgorzata Nowak", "", ""),
    ("Seán O'Neill", "07700 900564", ""),
    ("Jo Smith-Jones", "+44 20 7946 0999", ""),
    ("Ørjan Ærø", "", ""),
    ("Rene Plain", "", ""),
]


def _names(ctx: ShopContext, query: str) -> list[str]:
    return [match.name for match in customers.find_customers(ctx, query).items]


@pytest.fixture
def people(ctx: ShopContext, team: Team) -> None:
    for name, phone, email in PEOPLE:
        customers.create_customer(ctx, team.sam, name=name, phone=phone, email=email)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("renee", ["Renée Dupont"]),
        ("RENÉE", ["Renée Dupont"]),
        ("rene", ["Rene Plain", "Renée Dupont"]),
        ("zoe", ["Zoë Okafor"]),
        ("siobhan", ["Siobhán Ní Bhriain"]),
        ("strasse", ["Anna Straße"]),
        ("STRASSE", ["Anna Straße"]),
        ("straße", ["Anna Straße"]),
        ("malgorzata", ["Małgorzata Nowak"]),
        ("MAŁGO", ["Małgorzata Nowak"]),
        ("oneill", ["Seán O'Neill"]),
        ("o'neill", ["Seán O'Neill"]),
        ("o\u2019neill", ["Seán O'Neill"]),
        ("o neill", ["Seán O'Neill"]),
        ("sean o", ["Seán O'Neill"]),
        ("neill", ["Seán O'Neill"]),
        ("ni bhr", ["Siobhán Ní Bhriain"]),
        ("siobhan ni", ["Siobhán Ní Bhriain"]),
        ("bhriain siob", ["Siobhán Ní Bhriain"]),
        ("siobhan nx", []),
        ("smithjones", ["Jo Smith-Jones"]),
        ("smith-jo", ["Jo Smith-Jones"]),
        ("jones", ["Jo Smith-Jones"]),
        ("orjan aero", ["Ørjan Ærø"]),
    ],
)
def test_folded_queries_find_the_name_as_written(
    ctx: ShopContext, people: None, query: str, found: list[str]
) -> None:
    assert _names(ctx, query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("+44 7700 900564", ["Seán O'Neill"]),
        ("0044 7700 900564", ["Seán O'Neill"]),
        ("07700 900564", ["Seán O'Neill"]),
        ("020 7946 0999", ["Jo Smith-Jones"]),
        ("+44 20 7946 0999", ["Jo Smith-Jones"]),
    ],
)
def test_a_phone_is_found_however_it_was_typed(
    ctx: ShopContext, people: None, query: str, found: list[str]
) -> None:
    assert _names(ctx, query) == found


def test_the_index_and_the_query_fold_alike() -> None:
    assert name_words("Seán O'Neill") == {"sean", "oneill", "o", "neill"}
    assert query_words("  Seán   O\u2019Neill  seán ") == ["sean", "oneill"]
    assert query_words("' -") == []
    assert fold("İstanbul ﬁsh Þór Đorđe") == "istanbulfishthordorde"
    assert fold("O\u00b4Neill") == "oneill"
