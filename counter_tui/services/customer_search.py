"""Finding customers as you type: the search index (`customersearchterm`) and the search
over it.

A customer is found by each word of their name, folded (`services/folding.py`: "renee"
finds Renée, "oneill" O'Neill), the start of their email, and their phone's first or
last digits however typed ("+44 7700 900123" finds "07700 900123"). Each of these is a
term in the index, written in the same transaction as the customer row, and every
search is a bounded index range on (kind, term) — never a LIKE with a leading wildcard —
so it stays fast at any shop size (benchmarks/bench_large_shop.py). A search is one
statement of capped counts and one or two page reads, written as SQL text that is the
same for every search of one kind, and its rows are read as tuples: at a million
customers the Python around the SQL had cost more than the SQL (benchmarks/bench_search.py).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import CompoundSelect, Connection, TextClause, delete, insert, intersect, text
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from counter_tui.db.models import Customer, CustomerSearchTerm
from counter_tui.limits import limited
from counter_tui.services.contact import digits_of, national_digits, prefix_forms, shop_region
from counter_tui.services.context import ShopContext
from counter_tui.services.folding import name_words, query_words
from counter_tui.services.views import CustomerMatch, Page

PAGE_SIZE = 20
_PHONE_PUNCTUATION = frozenset(" +()-./")
SEARCH_TERMS = CustomerSearchTerm.__table__  # type: ignore[attr-defined]
TERM_NAME, TERM_EMAIL, TERM_PHONE, TERM_PHONE_REVERSED = "name", "email", "phone", "phone_rev"
TERM_MAX = 200
# Up to this many matching terms search sorts every match (~2 µs each on SQLite); beyond
# it, it first walks up to SEARCH_WALK_WINDOW customers in name order (~5 µs each), then
# sorts at most SEARCH_CANDIDATES per word and as many names starting with the text.
# Together they bound a search to a few milliseconds at any shop size, the same from
# 100,000 to 1,000,000 customers (see `_matching_rows`; chosen by measuring shops of
# 10,000 to 1,000,000 customers with benchmarks/bench_search.py, benchmarks/README.md).
SEARCH_SORT_LIMIT = 500
SEARCH_WALK_WINDOW = 200
SEARCH_CANDIDATES = 200


def search_terms(name_key: str, phone_digits: str, email: str) -> set[tuple[str, str]]:
    """The (kind, term) pairs a customer is found by: each folded word of the name (and
    the parts of a word joined by an apostrophe or hyphen, `folding.name_words`), the
    email, the phone's digits and those digits reversed (so the last digits, which is
    what people type, are a prefix too). Migration 0013 makes the same terms."""
    terms = {(TERM_NAME, word[:TERM_MAX]) for word in name_words(name_key)}
    if email:
        terms.add((TERM_EMAIL, email.lower()[:TERM_MAX]))
    if phone_digits:
        terms.add((TERM_PHONE, phone_digits[:TERM_MAX]))
        terms.add((TERM_PHONE_REVERSED, phone_digits[::-1][:TERM_MAX]))
    return terms


def write_search_terms(
    session: Session, customer_id: int, name_key: str, phone_digits: str, email: str
) -> None:
    """Replace a customer's search terms inside the caller's transaction, so search never
    sees a name, phone or email that the customer row does not have.

    The customer row is locked first (FOR UPDATE on PostgreSQL; SQLite writers already
    queue), so two terminals saving the same customer take turns instead of one of them
    inserting a term the other has just inserted. Callers that change the row lock it
    before reading it (see `update_contact`), so the terms match what is stored.

    Records merged into this one (services/merge.py) lend it their terms too, so the
    kept customer is found by the duplicate's name, phone and email as well.
    """
    session.flush()
    session.exec(select(Customer.id).where(Customer.id == customer_id).with_for_update()).one()
    connection = session.connection()
    connection.execute(delete(SEARCH_TERMS).where(SEARCH_TERMS.c.customer_id == customer_id))
    terms = search_terms(name_key, phone_digits, email)
    for merged in merged_records(session, customer_id):
        terms |= search_terms(merged.name_key, merged.phone_digits, merged.email)
    rows = [{"customer_id": customer_id, "kind": kind, "term": term} for kind, term in sorted(terms)]
    if rows:
        connection.execute(insert(SEARCH_TERMS), rows)


def merged_records(session: Session, customer_id: int) -> list[Customer]:
    """Every record merged into this customer, directly or through another merged one."""
    found: list[Customer] = []
    frontier = [customer_id]
    while frontier:
        rows = list(session.exec(select(Customer).where(col(Customer.merged_into_id).in_(frontier))))
        found += rows
        frontier = [row.id for row in rows if row.id is not None]
    return found


def prefix_end(prefix: str) -> str | None:
    """The first string after every string that starts with `prefix`, in code-point
    order (None when there is none), so "starts with" is the range [prefix, end)."""
    chars = list(prefix)
    while chars:
        code = ord(chars[-1]) + 1
        if code == 0xD800:  # surrogates cannot be stored; the next storable code point
            code = 0xE000
        if code <= sys.maxunicode:
            chars[-1] = chr(code)
            return "".join(chars)
        chars.pop()
    return None


def named(query: str) -> SelectOfScalar[int] | CompoundSelect[tuple[int]] | None:
    """The ids of the customers whose names every folded word of `query` starts a word
    of, as find-customer reads a name ("zoe onei" finds Zoë O'Neill), for use as a
    subquery; None when the query has no words."""
    selects: list[SelectOfScalar[int]] = []
    for word in query_words(query):
        term = col(CustomerSearchTerm.term)
        conditions = [col(CustomerSearchTerm.kind) == TERM_NAME, term >= word[:TERM_MAX]]
        end = prefix_end(word[:TERM_MAX])
        if end is not None:
            conditions.append(term < end)
        selects.append(select(col(CustomerSearchTerm.customer_id)).where(*conditions))
    if len(selects) > 1:
        return intersect(*selects)
    return selects[0] if selects else None


TermPrefix = tuple[tuple[str, ...], str]
"""Search terms of these kinds that start with this prefix."""


class _Sql:
    """One statement's SQL text as it is built, with its values bound by name in order
    (:p0, :p1, …) and its table aliases numbered (t1, t2, …): the same kind of search
    makes the same text, so each text is parsed and compiled once (`_compiled`)."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self._aliases = 0

    def bind(self, value: object) -> str:
        """A parameter holding `value`."""
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f":{name}"

    def alias(self) -> str:
        """A table alias not used yet in this statement."""
        self._aliases += 1
        return f"t{self._aliases}"


@lru_cache(maxsize=512)
def _compiled(sql: str) -> TextClause:
    """`sql` as a statement, made once per text (SQLAlchemy caches its compiled form)."""
    return text(sql)


def _run(connection: Connection, sql: _Sql, statement: str) -> list[Sequence[Any]]:
    """The rows of `statement` (built with `sql`), as plain tuples: no ORM objects."""
    return list(connection.execute(_compiled(statement), sql.values))


def _starts_with(sql: _Sql, alias: str, wanted: TermPrefix) -> str:
    """`wanted` as an index range on (kind, term) rather than a LIKE."""
    kinds, prefix = wanted
    kind = ", ".join(sql.bind(kind) for kind in kinds)
    conditions = [f"{alias}.kind = {kind}" if len(kinds) == 1 else f"{alias}.kind IN ({kind})"]
    conditions.append(f"{alias}.term >= {sql.bind(prefix)}")
    end = prefix_end(prefix)
    if end is not None:
        conditions.append(f"{alias}.term < {sql.bind(end)}")
    return " AND ".join(conditions)


def _has_term(sql: _Sql, customer_id: str, wanted: TermPrefix) -> str:
    """This customer has a term `wanted` (a probe of the (customer_id, kind, term) key).

    A count rather than EXISTS: PostgreSQL turns an EXISTS into a semi-join, and at a
    million customers it joined each of 200 candidates against a range of 10,000 terms
    ("olivia smith": 5.9 s, stopped by the statement timeout); a count stays a probe of
    each candidate's own terms (23 ms). A customer has a term or two in any range."""
    probe = sql.alias()
    return (
        f"(SELECT count(*) FROM customersearchterm {probe}"
        f" WHERE {probe}.customer_id = {customer_id} AND {_starts_with(sql, probe, wanted)}) > 0"
    )


def _search_alternatives(text: str, region: str | None) -> list[list[TermPrefix]]:
    """What a query can match, as alternatives; a customer matches an alternative when
    they have a term for each of its prefixes.

    Every folded word of the query starts a folded word of the name ("olivia smi" finds
    "Olivia Smith", "siobhan ni" finds "Siobhán Ní Bhriain"); a query of one word may
    instead start the email; a query that looks like a phone number starts the phone's
    digits (as typed, or written the other way for `region`: `+44 77` starts `07700 …`)
    or, read backwards, ends them — ends them with the number's national digits
    when it reads as a whole number of `region` or with a country code, so `+44 7700
    900123` finds `07700 900123` and the other way round.
    """
    words = [word[:TERM_MAX] for word in query_words(text)]
    typed = text.split()
    alternatives: list[list[TermPrefix]] = []
    if len(typed) == 1 and words == typed:
        alternatives.append([((TERM_NAME, TERM_EMAIL), words[0])])
    else:
        if words:
            alternatives.append([((TERM_NAME,), word) for word in words])
        if len(typed) == 1:
            alternatives.append([((TERM_EMAIL,), typed[0][:TERM_MAX])])
    digits = digits_of(text)
    other = [ch for ch in text if not ch.isdigit() and ch not in _PHONE_PUNCTUATION]
    if len(digits) >= 3 and len(other) <= 2:
        national = national_digits(text, region)
        ending = national if national and digits.endswith(national) else digits
        alternatives.extend([((TERM_PHONE,), form)] for form in prefix_forms(text, region))
        alternatives.append([((TERM_PHONE_REVERSED,), ending[::-1])])
    return alternatives


def _name_starts_with(sql: _Sql, text: str) -> list[str]:
    """For a one-word query, "the name starts with it": a match read from the name key
    the walk is already on, sparing the probe for the many such matches it meets (the
    folded word; a name it misses, such as Renée for "renee", the term probe finds)."""
    words = query_words(text)
    if len(text.split()) != 1 or len(words) != 1:
        return []
    end = prefix_end(words[0])
    upper = f" AND c.name_key < {sql.bind(end)}" if end is not None else ""
    return [f"(c.name_key >= {sql.bind(words[0])}{upper})"]


def _plan_inputs(
    connection: Connection, alternatives: list[list[TermPrefix]]
) -> tuple[list[int], str | None]:
    """In one statement: how many terms each prefix of `alternatives` has, counting no
    further than SEARCH_SORT_LIMIT + 1 (each one short index range), and the name key
    SEARCH_WALK_WINDOW customers into name order (None if there are fewer)."""
    sql = _Sql()
    columns = []
    for wanted in (wanted for alternative in alternatives for wanted in alternative):
        terms, capped = sql.alias(), sql.alias()
        columns.append(
            f"(SELECT count(*) FROM (SELECT 1 AS hit FROM customersearchterm {terms}"
            f" WHERE {_starts_with(sql, terms, wanted)} LIMIT {sql.bind(SEARCH_SORT_LIMIT + 1)}) AS {capped})"
        )
    columns.append(
        "(SELECT name_key FROM customer ORDER BY name_key, id"
        f" LIMIT 1 OFFSET {sql.bind(SEARCH_WALK_WINDOW - 1)})"
    )
    *counts, window_end = _run(connection, sql, "SELECT " + ", ".join(columns))[0]
    return [int(count) for count in counts], window_end


# Customers on file: not erased, not merged away. Not `merged_into_id IS NULL`: without
# statistics SQLite takes that for a selective index range, reads every customer through
# it and sorts them all.
_ON_FILE = "c.erased_at IS NULL AND coalesce(c.merged_into_id, 0) = 0"


def _one_page(sql: _Sql, where: str, order: str, page: int, page_size: int) -> str:
    """Customers on file matching `where`, in `order` then by id: one page and one row
    more (to know has_more), each with whether they are in the shop now (an open visit).

    `order` is `c.name_key` to walk the name index, or `c.name_key || ''` — the same
    order that no index provides — so that both databases take the few ids given and
    sort them rather than walking every customer in name order waiting for matches.
    """
    customers = (
        f"SELECT c.id, c.name, c.name_key, c.phone, c.email FROM customer c WHERE {_ON_FILE}{where}"
        f" ORDER BY {order}, c.id LIMIT {sql.bind(page_size + 1)} OFFSET {sql.bind(page * page_size)}"
    )
    in_shop = "EXISTS (SELECT 1 FROM visit v WHERE v.customer_id = p.id AND v.ended_at IS NULL)"
    return (
        f"SELECT p.id, p.name, p.phone, p.email, {in_shop} FROM ({customers}) AS p ORDER BY p.name_key, p.id"
    )


def _candidates(
    sql: _Sql, alternatives: list[list[TermPrefix]], drivers: list[int], many: bool, text: str
) -> list[str]:
    """The ids to sort (see `_matching_rows`), as SELECTs to join with UNION ALL."""
    candidates = []
    for alternative, driver in zip(alternatives, drivers, strict=True):
        # Every match: the driver's range, the other words probed. Too many: the first
        # SEARCH_CANDIDATES of each word's range, the other words probed.
        for leading in range(len(alternative)) if many else [driver]:
            terms = sql.alias()
            source, customer_id = f"customersearchterm {terms}", f"{terms}.customer_id"
            conditions = [_starts_with(sql, terms, alternative[leading])]
            if many:
                scanned = sql.alias()
                first = f"SELECT {customer_id} FROM {source} WHERE {conditions[0]}"
                source = f"({first} LIMIT {sql.bind(SEARCH_CANDIDATES)}) AS {scanned}"
                customer_id, conditions = f"{scanned}.customer_id", []
            conditions += [_has_term(sql, customer_id, w) for i, w in enumerate(alternative) if i != leading]
            where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            candidates.append(f"SELECT {customer_id} FROM {source}{where}")
    typed = " ".join(text.split())
    if many and (end := prefix_end(typed)) is not None:  # names that start with what was typed
        named = sql.alias()
        candidates.append(
            f"SELECT {named}.id FROM (SELECT id FROM customer"
            f" WHERE name_key >= {sql.bind(typed)} AND name_key < {sql.bind(end)}"
            f" ORDER BY name_key LIMIT {sql.bind(SEARCH_CANDIDATES)}) AS {named}"
        )
    return candidates


def _matching_rows(
    connection: Connection, text: str, region: str | None, page: int, page_size: int
) -> list[Sequence[Any]]:
    """The customers on file matching `text`, in name order: one page and one more.

    Three plans, chosen by counting index entries (capped at SEARCH_SORT_LIMIT), each
    a bounded amount of work at any shop size:
    - few matches: take the customer ids from the term index (the rarest prefix of each
      alternative, the others probed) and sort just those by name — every match, exact;
    - many matches: walk customers in name order probing each one's terms, which fills a
      page after a few dozen rows when matches are common. The walk stops after
      SEARCH_WALK_WINDOW customers, because matches may all sit late in name order
      ("ol" is mostly Olivias);
    - then, many matches that the walk did not reach: sort a bounded candidate set — for
      each word, the first SEARCH_CANDIDATES terms of its range in index order with the
      other words probed (so a rare word brings all its matches), and the first names
      that start with the text as typed, in name order ("olivia smith" finds every
      Olivia Smith this way). Every row shown matches, in name order, and pages do not
      repeat; matches beyond the candidates are found by typing more.
    At most three statements: the counts, the walk, the sort.
    """
    alternatives = _search_alternatives(text, region)
    if not alternatives:
        return []
    counts, window_end = _plan_inputs(connection, alternatives)
    drivers, total, position = [], 0, 0
    for alternative in alternatives:
        mine = counts[position : position + len(alternative)]
        position += len(alternative)
        driver = min(range(len(mine)), key=mine.__getitem__)
        drivers.append(driver)
        total += mine[driver]
    many = total > SEARCH_SORT_LIMIT
    if many and (page + 1) * page_size + 1 <= SEARCH_WALK_WINDOW:
        sql = _Sql()
        matches = [*_name_starts_with(sql, text)]
        matches += ["(" + " AND ".join(_has_term(sql, "c.id", w) for w in alt) + ")" for alt in alternatives]
        window = f" AND c.name_key <= {sql.bind(window_end)}" if window_end is not None else ""
        rows = _run(
            connection,
            sql,
            _one_page(sql, f" AND ({' OR '.join(matches)}){window}", "c.name_key", page, page_size),
        )
        if window_end is None or len(rows) > page_size:
            return rows
    sql = _Sql()
    candidates = " UNION ALL ".join(_candidates(sql, alternatives, drivers, many, text))
    return _run(
        connection, sql, _one_page(sql, f" AND c.id IN ({candidates})", "c.name_key || ''", page, page_size)
    )


def find_customers(ctx: ShopContext, query: str, *, page: int = 0, page_size: int = PAGE_SIZE) -> Page:
    """Customers whose name, phone or email matches what was typed, one page at a time.

    Names match from the start of any word, accents and case aside ("smi" finds "Dana
    Smith", "zoe" finds "Zoë"; "olivia smi" needs both); phones by their first or last
    digits however typed; emails from the start. Every match is an index range on the
    search terms (see `search_terms`), and a page is read as plain rows: no ORM objects.
    """
    typed = limited(query, "search", param="query").lower()
    region = shop_region(ctx.rules.shop)
    page = max(page, 0)
    with ctx.database.read() as session:
        connection = session.connection()
        if typed:
            rows = _matching_rows(connection, typed, region, page, page_size)
        else:
            sql = _Sql()
            rows = _run(connection, sql, _one_page(sql, "", "c.name_key", page, page_size))
    items = tuple(CustomerMatch(row[0], row[1], row[2], row[3], bool(row[4])) for row in rows[:page_size])
    return Page(items=items, page=page, page_size=page_size, has_more=len(rows) > page_size)
