"""Finding customers as you type: the search index (`customersearchterm`) and the search
over it.

A customer is found by each word of their name, folded (`services/folding.py`: "renee"
finds Renée, "oneill" O'Neill), the start of their email, and their phone's first or
last digits however typed ("+44 7700 900123" finds "07700 900123"). Each of these is a
term in the index, written in the same transaction as the customer row, and every
search is a bounded index range on (kind, term) — never a LIKE with a leading wildcard —
so it stays fast at any shop size (benchmarks/bench_large_shop.py).
"""

from __future__ import annotations

import sys

from sqlalchemy import ColumnElement, FromClause, and_, delete, exists, insert, union_all
from sqlmodel import Session, col, func, or_, select
from sqlmodel.sql.expression import SelectOfScalar

from counter_tui.db.models import Customer, CustomerSearchTerm, Visit
from counter_tui.limits import limited
from counter_tui.services.contact import digits_of, national_digits, shop_region
from counter_tui.services.context import ShopContext
from counter_tui.services.folding import name_words, query_words
from counter_tui.services.views import CustomerMatch, Page

PAGE_SIZE = 20
_PHONE_PUNCTUATION = frozenset(" +()-./")
SEARCH_TERMS = CustomerSearchTerm.__table__  # type: ignore[attr-defined]
CUSTOMER_ID = Customer.__table__.c.id  # type: ignore[attr-defined]
TERM_NAME, TERM_EMAIL, TERM_PHONE, TERM_PHONE_REVERSED = "name", "email", "phone", "phone_rev"
TERM_MAX = 200
# Up to this many matching terms search sorts every match (~2 µs each on SQLite); beyond
# it, it first walks up to SEARCH_WALK_WINDOW customers in name order (~5 µs each), then
# sorts at most SEARCH_CANDIDATES per word and as many names starting with the text.
# Together they bound a search to a few milliseconds at any shop size, the same from
# 100,000 to 1,000,000 customers (see `_matching_customers`; chosen by measuring shops of
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


TermPrefix = tuple[tuple[str, ...], str]
"""Search terms of these kinds that start with this prefix."""


def _starts_with(terms: FromClause, wanted: TermPrefix) -> ColumnElement[bool]:
    """`wanted` as an index range on (kind, term) rather than a LIKE."""
    kinds, prefix = wanted
    conditions = [terms.c.kind == kinds[0] if len(kinds) == 1 else terms.c.kind.in_(kinds)]
    conditions.append(terms.c.term >= prefix)
    end = prefix_end(prefix)
    if end is not None:
        conditions.append(terms.c.term < end)
    return and_(*conditions)


def _has_term(customer_id: ColumnElement[int], wanted: TermPrefix) -> ColumnElement[bool]:
    """This customer has a term `wanted` (a probe of the (customer_id, kind, term) key)."""
    probe = SEARCH_TERMS.alias()
    return exists().where(probe.c.customer_id == customer_id, _starts_with(probe, wanted))


def _search_alternatives(text: str, region: str | None) -> list[list[TermPrefix]]:
    """What a query can match, as alternatives; a customer matches an alternative when
    they have a term for each of its prefixes.

    Every folded word of the query starts a folded word of the name ("olivia smi" finds
    "Olivia Smith", "siobhan ni" finds "Siobhán Ní Bhriain"); a query of one word may
    instead start the email; a query that looks like a phone number starts the phone's
    digits or, read backwards, ends them — ends them with the number's national digits
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
        alternatives.append([((TERM_PHONE,), digits)])
        alternatives.append([((TERM_PHONE_REVERSED,), ending[::-1])])
    return alternatives


def _name_starts_with(text: str) -> list[ColumnElement[bool]]:
    """For a one-word query, "the name starts with it": a match read from the name key
    the walk is already on, sparing the probe for the many such matches it meets (the
    folded word; a name it misses, such as Renée for "renee", the term probe finds)."""
    words = query_words(text)
    if len(text.split()) != 1 or len(words) != 1:
        return []
    name_key = col(Customer.name_key)
    end = prefix_end(words[0])
    return [and_(name_key >= words[0], *([name_key < end] if end is not None else []))]


def _count_terms(session: Session, wanted: TermPrefix, cap: int) -> int:
    """How many terms are `wanted`, counting no further than `cap` (one short index range)."""
    capped = select(SEARCH_TERMS.c.customer_id).where(_starts_with(SEARCH_TERMS, wanted)).limit(cap)
    return int(session.exec(select(func.count()).select_from(capped.subquery())).one())


def _walk_window_end(session: Session) -> str | None:
    """The name key SEARCH_WALK_WINDOW customers into name order (None if fewer)."""
    return session.exec(
        select(Customer.name_key)
        .order_by(col(Customer.name_key), col(Customer.id))
        .offset(SEARCH_WALK_WINDOW - 1)
        .limit(1)
    ).first()


def _one_page(
    statement: SelectOfScalar[Customer], page: int, page_size: int, *, sort_matches: bool = False
) -> SelectOfScalar[Customer]:
    """`statement` in name order, one page of it and one row more (to know has_more).

    `sort_matches` orders by `name_key || ''`, the same order that no index provides, so
    that both databases take the few ids given and sort them rather than walking every
    customer in name order waiting for matches; without it the name index is walked.
    """
    name_key = col(Customer.name_key)
    return (
        statement.order_by(name_key + "" if sort_matches else name_key, col(Customer.id))
        .offset(page * page_size)
        .limit(page_size + 1)
    )


def _matching_customers(
    session: Session,
    statement: SelectOfScalar[Customer],
    text: str,
    region: str | None,
    page: int,
    page_size: int,
) -> list[Customer]:
    """The customers of `statement` matching `text`, in name order: one page and one more.

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
    """
    alternatives = _search_alternatives(text, region)
    if not alternatives:
        return []
    drivers: list[tuple[int, TermPrefix]] = []
    for alternative in alternatives:
        counts = [(_count_terms(session, wanted, SEARCH_SORT_LIMIT + 1), wanted) for wanted in alternative]
        drivers.append(min(counts, key=lambda pair: pair[0]))
    many = sum(count for count, _ in drivers) > SEARCH_SORT_LIMIT
    needed = (page + 1) * page_size + 1
    if many and needed <= SEARCH_WALK_WINDOW:
        matches = or_(
            *_name_starts_with(text),
            *(and_(*(_has_term(CUSTOMER_ID, w) for w in alt)) for alt in alternatives),
        )
        window_end = _walk_window_end(session)
        if window_end is None:
            return list(session.exec(_one_page(statement.where(matches), page, page_size)))
        walk = statement.where(matches, col(Customer.name_key) <= window_end)
        rows = list(session.exec(_one_page(walk, page, page_size)))
        if len(rows) > page_size:
            return rows
    candidates = []
    for alternative, (_, driver) in zip(alternatives, drivers, strict=True):
        # Every match: the driver's range, the other words probed. Too many: the first
        # SEARCH_CANDIDATES of each word's range, the other words probed.
        for leading in alternative if many else [driver]:
            terms = SEARCH_TERMS.alias()
            ids = select(terms.c.customer_id).where(_starts_with(terms, leading))
            customer_id = terms.c.customer_id
            if many:
                scanned = ids.limit(SEARCH_CANDIDATES).subquery()
                ids, customer_id = select(scanned.c.customer_id), scanned.c.customer_id
            others = (_has_term(customer_id, wanted) for wanted in alternative if wanted is not leading)
            candidates.append(ids.where(*others))
    typed = " ".join(text.split())
    if many and (end := prefix_end(typed)) is not None:  # names that start with what was typed
        name_key = col(Customer.name_key)
        as_typed = select(Customer.id).where(name_key >= typed, name_key < end).order_by(name_key)
        candidates.append(select(as_typed.limit(SEARCH_CANDIDATES).subquery()))
    sort = statement.where(col(Customer.id).in_(union_all(*candidates)))
    return list(session.exec(_one_page(sort, page, page_size, sort_matches=True)))


def find_customers(ctx: ShopContext, query: str, *, page: int = 0, page_size: int = PAGE_SIZE) -> Page:
    """Customers whose name, phone or email matches what was typed, one page at a time.

    Names match from the start of any word, accents and case aside ("smi" finds "Dana
    Smith", "zoe" finds "Zoë"; "olivia smi" needs both); phones by their first or last
    digits however typed; emails from the start. Every match is an index range on the
    search terms (see `search_terms`).
    """
    text = limited(query, "search", param="query").lower()
    region = shop_region(ctx.rules.shop)
    page = max(page, 0)
    with ctx.database.read() as session:
        # Not `merged_into_id IS NULL`: without statistics SQLite takes that for a
        # selective index range, reads every customer through it and sorts them all.
        on_file = select(Customer).where(
            col(Customer.erased_at).is_(None), func.coalesce(col(Customer.merged_into_id), 0) == 0
        )
        if text:
            rows = _matching_customers(session, on_file, text, region, page, page_size)
        else:
            rows = list(session.exec(_one_page(on_file, page, page_size)))
        ids = [row.id for row in rows[:page_size]]
        in_shop = set(
            session.exec(
                select(Visit.customer_id).where(
                    col(Visit.customer_id).in_(ids), col(Visit.ended_at).is_(None)
                )
            )
        )
        items = tuple(
            CustomerMatch(row.id or 0, row.name, row.phone, row.email, row.id in in_shop)
            for row in rows[:page_size]
        )
        return Page(items=items, page=page, page_size=page_size, has_more=len(rows) > page_size)
