"""Customer search through the word index (`customersearchterm`): phones by their last
or first digits, multi-word names, email prefixes, the index kept in step when customers
are added or corrected, both query plans against a plain-Python reference, and the
migration that backfills the index. Every test runs on SQLite and on PostgreSQL (the
PostgreSQL runs skip when COUNTER_TUI_TEST_POSTGRES_URL is unset)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import select

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade
from counter_tui.db.models import Channel, Customer, CustomerSearchTerm
from counter_tui.errors import InvalidInput
from counter_tui.services import customer_search, customers, staff, visit_customer, visits
from counter_tui.services.context import ShopContext
from counter_tui.services.folding import name_words, query_words
from tests.conftest import Team, make_settings, postgres_url
from tests.pg_databases import POSTGRES_ENV
from tests.unit.conftest import RowCount


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Each test once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path}/counter.sqlite3"


def _names(ctx: ShopContext, query: str, **paging: int) -> list[str]:
    return [match.name for match in customers.find_customers(ctx, query, **paging).items]


def _terms(ctx: ShopContext, customer_id: int) -> set[tuple[str, str]]:
    with ctx.database.read() as session:
        rows = session.exec(select(CustomerSearchTerm).where(CustomerSearchTerm.customer_id == customer_id))
        return {(row.kind, row.term) for row in rows}


@pytest.fixture
def phone_book(ctx: ShopContext, team: Team) -> dict[str, int]:
    """Customers whose phones share endings or beginnings, and whose names and emails
    share words, so that each kind of match can be told apart."""
    rows = [
        ("Dana Smith", "07700 900123", "dana.smith@example.com"),
        ("Lee Chan", "020 7946 0123", "lee@example.org"),
        ("Olivia Smith", "07700 900456", "olivia.smith@example.com"),
        ("Olivia Jones", "", "olivia.jones@example.com"),
        ("Olivia Brown", "", "smith@example.net"),
        ("Smith Olivia", "", ""),
        ("Olivia Smithers", "", ""),
        ("Unit 3210", "", ""),
    ]
    return {
        name: customers.create_customer(ctx, team.sam, name=name, phone=phone, email=email)
        for name, phone, email in rows
    }


def test_last_digits_find_the_phone_however_typed(ctx: ShopContext, phone_book: dict[str, int]) -> None:
    assert _names(ctx, "0123") == ["Dana Smith", "Lee Chan"]
    assert _names(ctx, "900123") == ["Dana Smith"]
    assert _names(ctx, "7946 0123") == ["Lee Chan"]
    assert _names(ctx, "(020) 7946-0123") == ["Lee Chan"]
    assert _names(ctx, "456") == ["Olivia Smith"]
    # Reversed digits live apart from name words: "Unit 3210" is not "...0123" backwards.
    assert "Unit 3210" not in _names(ctx, "0123")
    assert _names(ctx, "3210") == ["Unit 3210"]


def test_start_of_the_number_finds_the_phone(ctx: ShopContext, phone_book: dict[str, int]) -> None:
    assert _names(ctx, "07700") == ["Dana Smith", "Olivia Smith"]
    assert _names(ctx, "07700 9001") == ["Dana Smith"]
    assert _names(ctx, "020 79") == ["Lee Chan"]
    assert _names(ctx, "99999") == []


def test_the_start_of_a_number_finds_it_typed_either_way(
    ctx: ShopContext, team: Team, phone_book: dict[str, int]
) -> None:
    """'+44 77' is how a UK mobile starts written internationally; the shop (in London)
    stored most numbers as '07700 …', and a few as '+44 …'."""
    customers.create_customer(ctx, team.sam, name="Kim Abroad", phone="+44 7700 900789")
    customers.create_customer(ctx, team.sam, name="Ana Lisboa", phone="+351 912 345 678")
    assert _names(ctx, "+44 77") == ["Dana Smith", "Kim Abroad", "Olivia Smith"]
    assert _names(ctx, "0044 7700 9001") == ["Dana Smith"]
    assert _names(ctx, "+44 20 79") == ["Lee Chan"]
    assert _names(ctx, "07700 9007") == ["Kim Abroad"]
    assert _names(ctx, "+351 91") == ["Ana Lisboa"]
    assert _names(ctx, "+33 6") == []


def test_every_word_of_a_name_query_must_start_a_word_of_the_name(
    ctx: ShopContext, phone_book: dict[str, int]
) -> None:
    assert _names(ctx, "olivia smith") == ["Olivia Smith", "Olivia Smithers", "Smith Olivia"]
    assert _names(ctx, "oli smi") == ["Olivia Smith", "Olivia Smithers", "Smith Olivia"]
    assert _names(ctx, "  SMITH   olivia ") == ["Olivia Smith", "Olivia Smithers", "Smith Olivia"]
    assert _names(ctx, "olivia olivia") == [
        "Olivia Brown",
        "Olivia Jones",
        "Olivia Smith",
        "Olivia Smithers",
        "Smith Olivia",
    ]
    assert _names(ctx, "olivia smithx") == []
    # An email starting "smith" does not stand in for a name word.
    assert "Olivia Brown" not in _names(ctx, "olivia smith")


def test_email_prefix(ctx: ShopContext, phone_book: dict[str, int]) -> None:
    assert _names(ctx, "dana.sm") == ["Dana Smith"]
    assert _names(ctx, "OLIVIA.") == ["Olivia Jones", "Olivia Smith"]
    assert _names(ctx, "lee@example.org") == ["Lee Chan"]
    assert _names(ctx, "example") == []
    assert _names(ctx, "smith@") == ["Olivia Brown"]


def test_a_corrected_customer_is_found_by_the_new_details_only(
    ctx: ShopContext, team: Team, phone_book: dict[str, int]
) -> None:
    dana = phone_book["Dana Smith"]
    customers.update_contact(ctx, team.alex, dana, name="Dana Okafor", phone="0161 496 0777", email="")
    assert _names(ctx, "okafor") == ["Dana Okafor"]
    assert "Dana Okafor" not in _names(ctx, "smith")
    assert _names(ctx, "dana.smith") == []
    assert _names(ctx, "900123") == []
    assert _names(ctx, "0777") == ["Dana Okafor"]
    assert _terms(ctx, dana) == {
        ("name", "dana"),
        ("name", "okafor"),
        ("phone", "01614960777"),
        ("phone_rev", "77706941610"),
    }


def test_terminals_correcting_one_customer_at_once_leave_terms_matching_the_row(
    ctx: ShopContext, team: Team
) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    errors: list[BaseException] = []
    for _ in range(15):
        start = threading.Barrier(4)

        def save(name: str, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                customers.update_contact(ctx, team.sam, bob, name=name, phone="07700 900123", email="")
            except BaseException as error:
                errors.append(error)

        savers = [threading.Thread(target=save, args=(name,)) for name in ("Bob Jones", "Robert Jones") * 2]
        for saver in savers:
            saver.start()
        for saver in savers:
            saver.join()
    assert errors == []
    with ctx.database.read() as session:
        row = session.get(Customer, bob)
        assert row is not None
        assert _terms(ctx, bob) == customer_search.search_terms(row.name_key, row.phone_digits, row.email)


def test_a_walk_in_put_on_file_is_in_the_index(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="green scarf", claim=True)
    customer_id = visit_customer.add_customer_to_visit(
        ctx, team.sam, visit_id, name="Priya Patel", phone="07700 900555", email="Priya@Example.com"
    )
    assert _terms(ctx, customer_id) == {
        ("name", "priya"),
        ("name", "patel"),
        ("email", "priya@example.com"),
        ("phone", "07700900555"),
        ("phone_rev", "55500900770"),
    }
    for query in ("pat", "priya p", "0555", "07700", "priya@"):
        [match] = customers.find_customers(ctx, query).items
        assert (match.id, match.in_shop) == (customer_id, True)


def test_a_refused_customer_leaves_no_search_terms(ctx: ShopContext, team: Team, row_count: RowCount) -> None:
    with pytest.raises(InvalidInput, match="phone, text message or email"):
        customers.create_customer(ctx, team.sam, name="Eve Adams", opted_in=[Channel.IN_PERSON])
    assert row_count(Customer) == 0
    assert row_count(CustomerSearchTerm) == 0
    assert _names(ctx, "eve") == []


def test_prefix_end_is_the_first_string_after_the_prefix() -> None:
    assert customer_search.prefix_end("smi") == "smj"
    assert customer_search.prefix_end("a\U0010ffff") == "b"
    assert customer_search.prefix_end("\U0010ffff") is None
    assert customer_search.prefix_end("x\ud7ff") == "x\ue000"


# --- both query plans, checked against a plain-Python reference ------------------------

CROWD = [
    ("Ann Lee", "07700 900001", "ann@example.com"),
    ("Anna Adams", "07700 900002", "adams@example.com"),
    ("Bob Annan", "", "bob@example.com"),
    ("Olivia Ng", "020 7946 0001", ""),
    ("Olivia Anders", "", "olivia@example.com"),
    ("Oliver Stone", "0161 496 0001", ""),
    ("Zed O'Neill", "", "z@example.com"),
    ("Zoë Okafor", "", "zoe@example.com"),
    ("Ólafur Arnalds", "", ""),
    ("Percy 100% Cotton", "", ""),
    ("Under_Score Jo", "", ""),
] + [(f"Olive Tree {n:02d}", f"07700 9{n:05d}", "") for n in range(30)]
CROWD_QUERIES = [
    "a",
    "an",
    "o",
    "ol",
    "olive",
    "olivia a",
    "oli ng",
    "zo",
    "ó",
    "0001",
    "07700",
    "%",
    "_",
    "100%",
    "oneill",
    "o'neill",
    "o neill",
    "zoe",
    "ZOË OK",
    "olafur a",
]


def _expected(query: str) -> list[str]:
    """Names matching `query` by the documented rules, in name then creation order."""
    typed = query.lower()
    words = query_words(typed)
    digits = customers.digits_of(typed)
    other = [ch for ch in typed if not ch.isdigit() and ch not in " +()-./"]
    found = []
    for position, (name, phone, email) in enumerate(CROWD):
        indexed = name_words(name)
        by_name = bool(words) and all(any(word.startswith(w) for word in indexed) for w in words)
        by_email = len(typed.split()) == 1 and bool(email) and email.startswith(typed.strip())
        phone_digits = customers.digits_of(phone)
        by_phone = len(digits) >= 3 and len(other) <= 2 and bool(phone_digits)
        by_phone = by_phone and (phone_digits.startswith(digits) or phone_digits.endswith(digits))
        if by_name or by_email or by_phone:
            found.append((name.lower(), position, name))
    return [name for _, _, name in sorted(found)]


@pytest.mark.parametrize(
    ("sort_limit", "walk_window"),
    [(10_000, 10_000), (0, 10_000), (0, 5), (3, 12)],
    ids=["sort", "walk", "walk-then-sort", "mixed"],
)
def test_both_plans_page_through_exactly_the_matches(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch, sort_limit: int, walk_window: int
) -> None:
    for name, phone, email in CROWD:  # the crowd shares phones and emails on purpose
        customers.create_customer(ctx, team.sam, name=name, phone=phone, email=email, create_anyway=True)
    monkeypatch.setattr(customer_search, "SEARCH_SORT_LIMIT", sort_limit)
    monkeypatch.setattr(customer_search, "SEARCH_WALK_WINDOW", walk_window)
    for query in CROWD_QUERIES:
        seen: list[str] = []
        for page in range(10):
            result = customers.find_customers(ctx, query, page=page, page_size=4)
            seen += [match.name for match in result.items]
            if not result.has_more:
                break
        assert seen == _expected(query), query


def test_past_the_candidates_every_row_still_matches_in_name_order_and_never_repeats(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more matches than the search sorts (so it sorts a bounded candidate set), what
    is shown still matches, comes in name order across pages, never twice, and names
    that start with the text as typed are among it."""
    for name, phone, email in CROWD:
        customers.create_customer(ctx, team.sam, name=name, phone=phone, email=email, create_anyway=True)
    monkeypatch.setattr(customer_search, "SEARCH_SORT_LIMIT", 0)
    monkeypatch.setattr(customer_search, "SEARCH_WALK_WINDOW", 5)
    monkeypatch.setattr(customer_search, "SEARCH_CANDIDATES", 3)
    order = {name.lower(): position for position, (name, _, _) in enumerate(CROWD)}
    for query in CROWD_QUERIES:
        expected = _expected(query)
        seen: list[str] = []
        for page in range(20):
            result = customers.find_customers(ctx, query, page=page, page_size=4)
            seen += [match.name for match in result.items]
            if not result.has_more:
                break
        assert set(seen) <= set(expected), query
        assert seen == sorted(seen, key=lambda name: (name.lower(), order[name.lower()])), query
        assert len(seen) == len(set(seen)), query
        assert bool(seen) == bool(expected), query
        as_typed = [name for name in expected if name.lower().startswith(query.lower())]
        assert as_typed[:1] == [name for name in seen if name in as_typed][:1], query


# --- the migration backfills the index --------------------------------------------------


def test_upgrading_from_0004_indexes_the_customers_already_on_file(database_url: str) -> None:
    database = Database(database_url, create=True)
    try:
        upgrade(database, "0004")
        at = datetime(2026, 11, 1, tzinfo=UTC)
        people = [
            ("Dana Smith", "dana smith", "07700 900123", "07700900123", "dana@example.com", None),
            ("Lee Chan", "lee chan", "", "", "", None),
            ("Gone Person", "gone person", "07700 900999", "07700900999", "", at),
        ]
        with database.write() as session:
            for name, key, phone, digits, email, erased in people:
                session.connection().execute(
                    text(
                        "INSERT INTO customer (name, name_key, phone, phone_digits, email, "
                        "preferences, created_at, erased_at) "
                        "VALUES (:name, :key, :phone, :digits, :email, '', :at, :erased)"
                    ),
                    {"name": name, "key": key, "phone": phone, "digits": digits, "email": email}
                    | {"at": at, "erased": erased},
                )
        upgrade(database)
    finally:
        database.dispose()
    shop = open_shop(make_settings(database_url), clock=ManualClock(datetime(2026, 11, 20, 11, tzinfo=UTC)))
    try:
        assert _names(shop, "smi") == ["Dana Smith"]
        assert _names(shop, "0123") == ["Dana Smith"]
        assert _names(shop, "07700") == ["Dana Smith"]
        assert _names(shop, "dana@") == ["Dana Smith"]
        assert _names(shop, "lee c") == ["Lee Chan"]
        assert _names(shop, "gone") == []
        assert _names(shop, "") == ["Dana Smith", "Lee Chan"]
    finally:
        shop.database.dispose()


# --- PostgreSQL: terms compare in code-point order under any database collation --------


@pytest.fixture
def icu_pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database whose default collation is ICU en-US (where a range
    'smi' <= x < 'smj' also holds 'smí…'); skips without a server or ICU."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set; PostgreSQL tests skipped")
    server = make_url(base).set(drivername="postgresql")
    admin = server.render_as_string(hide_password=False)
    name = f"counter_tui_test_icu_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        try:
            connection.execute(
                f'CREATE DATABASE "{name}" TEMPLATE template0 '
                "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            )
        except psycopg.Error as error:
            pytest.skip(f"this server cannot make an ICU en-US database: {error}")
    try:
        yield server.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgresql_term_ranges_are_code_point_prefixes_and_use_the_index(icu_pg_url: str) -> None:
    shop = open_shop(
        make_settings(icu_pg_url), clock=ManualClock(datetime(2026, 11, 20, 11, tzinfo=UTC)), create=True
    )
    try:
        lead = staff.add_staff(shop, None, name="Dana", pin="1111", role="lead")
        actor = staff.sign_in(shop, lead.id, "1111")
        for name, email in (("Dana Smith", ""), ("Ana Jones", "smíth@example.com"), ("Sam Smj", "")):
            customers.create_customer(shop, actor, name=name, email=email)
        # The same answer as SQLite: the email "smí…" does not start with "smi" (en-US
        # would say it does; names are folded, so the email term shows it).
        assert _names(shop, "smi") == ["Dana Smith"]
        assert _names(shop, "smíth@") == ["Ana Jones"]
        with shop.database.engine.connect() as connection:
            collation = connection.execute(
                text(
                    "SELECT collation_name FROM information_schema.columns "
                    "WHERE table_name = 'customersearchterm' AND column_name = 'term'"
                )
            ).scalar_one()
            connection.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(
                connection.execute(
                    text(
                        "EXPLAIN SELECT customer_id FROM customersearchterm "
                        "WHERE kind = 'name' AND term >= :low AND term < :high"
                    ),
                    {"low": "smi", "high": "smj"},
                ).scalars()
            )
        assert collation == "C"
        assert "ix_customersearchterm_kind_term" in plan
    finally:
        shop.database.dispose()
