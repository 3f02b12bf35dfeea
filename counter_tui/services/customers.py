"""Customers: records, search, notes, standing preferences and contact consent."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from sqlalchemy import ColumnElement, FromClause, and_, delete, exists, insert, union_all
from sqlmodel import Session, col, func, or_, select
from sqlmodel.sql.expression import SelectOfScalar

from counter_tui.db.models import (
    Channel,
    ContactConsent,
    Customer,
    CustomerNote,
    CustomerSearchTerm,
    FollowUp,
    FollowUpStatus,
    NeedKind,
    StandingNeed,
    Visit,
)
from counter_tui.errors import InvalidInput, NotFound
from counter_tui.limits import limited, lowered
from counter_tui.services import audit
from counter_tui.services.contact import ContactDetails, clean_contact, digits_of
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.labels import need_label
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import followup_views, staff_names
from counter_tui.services.views import (
    ConsentView,
    CustomerDetail,
    CustomerMatch,
    NeedView,
    NoteView,
    Page,
    VisitSummary,
)

PAGE_SIZE = 20
HISTORY_LIMIT = 20
NOTES_LIMIT = 20
CONSENT_CHANNELS = (Channel.PHONE, Channel.SMS, Channel.EMAIL)
_PHONE_PUNCTUATION = frozenset(" +()-./")
SEARCH_TERMS = CustomerSearchTerm.__table__  # type: ignore[attr-defined]
CUSTOMER_ID = Customer.__table__.c.id  # type: ignore[attr-defined]
TERM_NAME, TERM_EMAIL, TERM_PHONE, TERM_PHONE_REVERSED = "name", "email", "phone", "phone_rev"
TERM_MAX = 200
# Up to this many matching terms search sorts the matches (~2 µs each on SQLite); beyond
# it, it first walks up to this many customers in name order (~5 µs each). Both bound a
# search to roughly 10 ms of work at any shop size (see `_matching_customers`; chosen by
# measuring a 100,000-customer shop, benchmarks/README.md).
SEARCH_SORT_LIMIT = 6_000
SEARCH_WALK_WINDOW = 2_000


def load_customer(session: Session, customer_id: int) -> Customer:
    """The customer row, or a NotFound the user can read (erased, or merged into another)."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.erased_at is not None:
        raise NotFound("That customer is no longer on file.")
    if customer.merged_into_id is not None:
        kept = session.get(Customer, customer.merged_into_id)
        kept_name = f"{kept.name}'s record" if kept is not None and kept.erased_at is None else "another"
        raise NotFound(f"{customer.name} was merged into {kept_name}. Find them again by name.")
    return customer


def create_customer(
    ctx: ShopContext,
    actor: Actor,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    opted_in: Iterable[str] = (),
    consent_source: str = "agreed at the counter when their details were taken",
) -> int:
    """Put a customer on file and return their id, with the channels they opted in to
    recorded in the same transaction."""
    details = clean_contact(ctx.rules.shop, name, phone, email)
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = insert_customer(session, ctx, details)
        assert customer.id is not None
        audit.record(session, ctx, actor, "customer.created", "customer", customer.id, name=details.name)
        for channel in dict.fromkeys(opted_in):
            write_consent(session, ctx, actor, customer.id, channel, granted=True, source=consent_source)
        return customer.id


def insert_customer(session: Session, ctx: ShopContext, details: ContactDetails) -> Customer:
    """Add a customer row inside the caller's transaction (already cleaned)."""
    customer = Customer(
        name=details.name,
        name_key=lowered(details.name, "name"),
        phone=details.phone,
        phone_digits=digits_of(details.phone),
        phone_normalised=details.phone_normalised,
        email=details.email,
        created_at=ctx.now(),
    )
    session.add(customer)
    session.flush()
    assert customer.id is not None
    write_search_terms(session, customer.id, customer.name_key, customer.phone_digits, customer.email)
    return customer


def update_contact(
    ctx: ShopContext, actor: Actor, customer_id: int, *, name: str, phone: str, email: str
) -> None:
    """Correct a customer's name, phone or email."""
    details = clean_contact(ctx.rules.shop, name, phone, email)
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = load_customer(session, customer_id)
        # Read it again under a row lock (PostgreSQL), so that what is written, and the
        # search terms made from it, start from the latest save by another terminal.
        session.refresh(customer, with_for_update=True)
        customer.name, customer.name_key = details.name, lowered(details.name, "name")
        customer.phone, customer.phone_digits = details.phone, digits_of(details.phone)
        customer.phone_normalised, customer.email = details.phone_normalised, details.email
        session.add(customer)
        write_search_terms(session, customer_id, customer.name_key, customer.phone_digits, details.email)
        audit.record(session, ctx, actor, "customer.updated", "customer", customer_id)


def search_terms(name_key: str, phone_digits: str, email: str) -> set[tuple[str, str]]:
    """The (kind, term) pairs a customer is found by: each word of the lowercase name,
    the email, the phone's digits and those digits reversed (so the last digits, which
    is what people type, are a prefix too). Migration 0005 makes the same terms."""
    terms = {(TERM_NAME, word[:TERM_MAX]) for word in name_key.split()}
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


def _search_alternatives(text: str) -> list[list[TermPrefix]]:
    """What a query can match, as alternatives; a customer matches an alternative when
    they have a term for each of its prefixes.

    Every word of the query starts a word of the name ("olivia smi" finds "Olivia
    Smith"); a query of one word may instead start the email; a query that looks like a
    phone number starts the phone's digits or, read backwards, ends them.
    """
    words = text.split()
    alternatives: list[list[TermPrefix]] = []
    if len(words) == 1:
        alternatives.append([((TERM_NAME, TERM_EMAIL), words[0])])
    elif words:
        alternatives.append([((TERM_NAME,), word) for word in dict.fromkeys(words)])
    digits = digits_of(text)
    other = [ch for ch in text if not ch.isdigit() and ch not in _PHONE_PUNCTUATION]
    if len(digits) >= 3 and len(other) <= 2:
        alternatives.append([((TERM_PHONE,), digits)])
        alternatives.append([((TERM_PHONE_REVERSED,), digits[::-1])])
    return alternatives


def _name_starts_with(text: str) -> list[ColumnElement[bool]]:
    """For a one-word query, "the name starts with it": a match read from the name key
    the walk is already on, sparing the probe for the many such matches it meets."""
    words = text.split()
    if len(words) != 1:
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
    that PostgreSQL takes the few ids from the term index and sorts them rather than
    walking every customer in name order waiting for matches; SQLite plans it that way
    either way.
    """
    name_key = col(Customer.name_key)
    return (
        statement.order_by(name_key + "" if sort_matches else name_key, col(Customer.id))
        .offset(page * page_size)
        .limit(page_size + 1)
    )


def _matching_customers(
    session: Session, statement: SelectOfScalar[Customer], text: str, page: int, page_size: int
) -> list[Customer]:
    """The customers of `statement` matching `text`, in name order: one page and one more.

    Two plans, chosen by counting index entries (capped at SEARCH_SORT_LIMIT):
    - few matches: take the customer ids from the term index (the rarest prefix of each
      alternative, the others probed) and sort just those by name;
    - many matches: walk customers in name order probing each one's terms, which fills a
      page after a few hundred rows instead of sorting thousands. The walk stops after
      SEARCH_WALK_WINDOW customers, because matches may all sit late in name order
      ("ol" is mostly Olivias); if the page is not full by then, sort after all.
    """
    alternatives = _search_alternatives(text)
    if not alternatives:
        return []
    drivers: list[tuple[int, TermPrefix]] = []
    for alternative in alternatives:
        counts = [(_count_terms(session, wanted, SEARCH_SORT_LIMIT + 1), wanted) for wanted in alternative]
        drivers.append(min(counts, key=lambda pair: pair[0]))
    needed = (page + 1) * page_size + 1
    if sum(count for count, _ in drivers) > SEARCH_SORT_LIMIT and needed <= SEARCH_WALK_WINDOW:
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
        terms = SEARCH_TERMS.alias()
        others = [_has_term(terms.c.customer_id, wanted) for wanted in alternative if wanted is not driver]
        candidates.append(select(terms.c.customer_id).where(_starts_with(terms, driver), *others))
    sort = statement.where(col(Customer.id).in_(union_all(*candidates)))
    return list(session.exec(_one_page(sort, page, page_size, sort_matches=True)))


def find_customers(ctx: ShopContext, query: str, *, page: int = 0, page_size: int = PAGE_SIZE) -> Page:
    """Customers whose name, phone or email matches what was typed, one page at a time.

    Names match from the start of any word ("smi" finds "Dana Smith"; "olivia smi"
    needs both); phones by their first or last digits however typed; emails from the
    start. Every match is an index range on the search terms (see `search_terms`).
    """
    text = limited(query, "search", param="query").lower()
    page = max(page, 0)
    with ctx.database.read() as session:
        on_file = select(Customer).where(
            col(Customer.erased_at).is_(None), col(Customer.merged_into_id).is_(None)
        )
        if text:
            rows = _matching_customers(session, on_file, text, page, page_size)
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


def add_note(ctx: ShopContext, actor: Actor, customer_id: int, body: str) -> None:
    """Add a dated note to a customer's record (a note on a visit is
    `visits.add_visit_note`, which asks whether the person may work on that visit)."""
    body = limited(body, "note", param="body")
    if not body:
        raise InvalidInput("The note is empty. Type what colleagues should know.", field="body")
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        load_customer(session, customer_id)
        note = CustomerNote(
            customer_id=customer_id,
            author_id=actor.staff_id or 0,
            body=body,
            created_at=ctx.now(),
        )
        session.add(note)
        session.flush()
        audit.record(session, ctx, actor, "customer.note_added", "customer", customer_id)


def set_preferences(ctx: ShopContext, actor: Actor, customer_id: int, preferences: str) -> None:
    """Replace the free-text standing preferences remembered across visits."""
    preferences = limited(preferences, "preferences")
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = load_customer(session, customer_id)
        customer.preferences = preferences
        session.add(customer)
        audit.record(session, ctx, actor, "customer.preferences_set", "customer", customer_id)


def remember_need(session: Session, ctx: ShopContext, customer_id: int, kind: str, detail: str) -> None:
    """Keep a need on the customer so every later visit starts with it (caller's transaction)."""
    standing = session.exec(
        select(StandingNeed).where(StandingNeed.customer_id == customer_id, StandingNeed.kind == kind)
    ).first() or StandingNeed(customer_id=customer_id, kind=kind, updated_at=ctx.now())
    standing.detail, standing.updated_at = detail, ctx.now()
    session.add(standing)


def set_standing_need(
    ctx: ShopContext, actor: Actor, customer_id: int, kind: str, *, remember: bool, detail: str = ""
) -> None:
    """Remember (or forget) a need to apply on every visit of this customer."""
    if kind not in set(NeedKind):
        raise InvalidInput(f"Unknown need {kind!r}.")
    detail = limited(detail, "detail")
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        load_customer(session, customer_id)
        if remember:
            remember_need(session, ctx, customer_id, kind, detail)
        else:
            for existing in session.exec(
                select(StandingNeed).where(StandingNeed.customer_id == customer_id, StandingNeed.kind == kind)
            ):
                session.delete(existing)
        audit.record(
            session,
            ctx,
            actor,
            "customer.standing_need_set",
            "customer",
            customer_id,
            kind=kind,
            remember=remember,
        )


def record_consent(
    ctx: ShopContext, actor: Actor, customer_id: int, channel: str, *, granted: bool, source: str
) -> None:
    """Record that a customer opted in to (or out of) one contact channel, and how."""
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        load_customer(session, customer_id)
        write_consent(session, ctx, actor, customer_id, channel, granted=granted, source=source)


def write_consent(
    session: Session,
    ctx: ShopContext,
    actor: Actor,
    customer_id: int,
    channel: str,
    *,
    granted: bool,
    source: str,
) -> None:
    """Record consent inside the caller's transaction (used by follow-ups too)."""
    if channel not in CONSENT_CHANNELS:
        raise InvalidInput("Consent is recorded for phone, text message or email.")
    source = limited(source, "consent_source", param="source")
    if not source:
        raise InvalidInput("Say how the customer agreed (e.g. 'asked at the counter').")
    consent = session.exec(
        select(ContactConsent).where(
            ContactConsent.customer_id == customer_id, ContactConsent.channel == channel
        )
    ).first() or ContactConsent(
        customer_id=customer_id,
        channel=channel,
        granted=granted,
        source=source,
        recorded_at=ctx.now(),
    )
    consent.granted, consent.source = granted, source
    consent.recorded_at, consent.recorded_by = ctx.now(), actor.staff_id
    session.add(consent)
    audit.record(
        session,
        ctx,
        actor,
        "customer.consent_recorded",
        "customer",
        customer_id,
        channel=channel,
        granted=granted,
        source=source,
    )


def consented_channels(session: Session, customer_id: int) -> set[str]:
    """Channels this customer has opted in to."""
    return set(
        session.exec(
            select(ContactConsent.channel).where(
                ContactConsent.customer_id == customer_id, col(ContactConsent.granted).is_(True)
            )
        )
    )


def customer_detail(ctx: ShopContext, actor: Actor, customer_id: int) -> CustomerDetail:
    """Everything the owner view shows about a customer."""
    with ctx.database.read() as session:
        require(session, actor, Action.VIEW)
        return build_customer_detail(session, ctx, customer_id)


def build_customer_detail(session: Session, ctx: ShopContext, customer_id: int) -> CustomerDetail:
    """The customer detail, read inside the caller's session."""
    customer = load_customer(session, customer_id)
    names = staff_names(session)
    standing = tuple(
        NeedView(s.id or 0, s.kind, need_label(s.kind), s.detail, None)
        for s in session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer_id))
    )
    consents = tuple(
        ConsentView(c.channel, c.granted, c.source, c.recorded_at)
        for c in session.exec(
            select(ContactConsent)
            .where(ContactConsent.customer_id == customer_id)
            .order_by(col(ContactConsent.channel))
        )
    )
    notes = tuple(
        NoteView(names.get(n.author_id, "?"), n.body, n.created_at)
        for n in session.exec(
            select(CustomerNote)
            .where(CustomerNote.customer_id == customer_id)
            .order_by(col(CustomerNote.created_at).desc(), col(CustomerNote.id).desc())
            .limit(NOTES_LIMIT)
        )
    )
    visits = list(
        session.exec(
            select(Visit)
            .where(Visit.customer_id == customer_id)
            .order_by(col(Visit.arrived_at).desc())
            .limit(HISTORY_LIMIT)
        )
    )
    history = tuple(
        VisitSummary(v.id or 0, v.arrived_at, v.ended_at, names.get(v.owner_id or -1), v.outcome)
        for v in visits
    )
    open_visit = next((v.id for v in visits if v.ended_at is None), None)
    followups = followup_views(
        session,
        ctx,
        select(FollowUp)
        .where(FollowUp.customer_id == customer_id, FollowUp.status == FollowUpStatus.OPEN)
        .order_by(col(FollowUp.due_at)),
    )
    return CustomerDetail(
        id=customer_id,
        name=customer.name,
        phone=customer.phone,
        email=customer.email,
        preferences=customer.preferences,
        standing_needs=standing,
        consents=consents,
        notes=notes,
        history=history,
        open_followups=followups,
        open_visit_id=open_visit,
    )


def customer_count(ctx: ShopContext) -> int:
    """How many customers are on file."""
    with ctx.database.read() as session:
        return int(session.exec(select(func.count()).select_from(Customer)).one())


def set_consents(
    ctx: ShopContext, actor: Actor, customer_id: int, granted: dict[str, bool], *, source: str
) -> None:
    """Record the customer's yes or no for several channels at once, with how they said it.
    Only channels whose answer changed (or that had none) are written."""
    with ctx.database.write() as session:
        require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        load_customer(session, customer_id)
        current = {
            c.channel: c.granted
            for c in session.exec(select(ContactConsent).where(ContactConsent.customer_id == customer_id))
        }
        for channel, answer in granted.items():
            if current.get(channel) is not answer and (answer or channel in current):
                write_consent(session, ctx, actor, customer_id, channel, granted=answer, source=source)
