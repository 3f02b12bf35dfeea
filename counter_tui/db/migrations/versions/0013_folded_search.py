"""folded name search terms: "renee" finds Renée, "oneill" finds O'Neill

Name terms were each lowercase word of the name. They become the folded words (accents
and case left out, ł → l, ß → ss …, apostrophes and hyphens taken out, and the parts of a
joined word as words too), the way `counter_tui.services.folding` folds what is typed.
The upgrade replaces every customer's name terms; a record merged into another lends
its name terms to the record it lives on (as `write_search_terms` does). Email and phone
terms do not change.

It holds its own copy of the folding (rather than importing the app's, which may change
later); tests/migrations/test_folded_search_terms.py checks the two agree.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CHUNK = 5_000
TERM_MAX = 200
SPECIAL_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "ƒ": "f",
        "ŋ": "n",
        "ĸ": "q",
    }
)
JOINER = re.compile("[" + re.escape("'\u2019\u2018\u02bc\u0060\u00b4\u2010\u2011\u2012\u2013\u2014-") + "]+")

customer = sa.table(
    "customer",
    sa.column("id", sa.Integer),
    sa.column("name_key", sa.String),
    sa.column("erased_at", sa.DateTime),
    sa.column("merged_into_id", sa.Integer),
)
terms = sa.table(
    "customersearchterm",
    sa.column("customer_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("term", sa.String),
)


def fold(text: str) -> str:
    """A word folded as the app folds it at revision 0013."""
    decomposed = unicodedata.normalize("NFKD", JOINER.sub("", text.casefold()))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char) and not char.isspace())
    return JOINER.sub("", bare.casefold().translate(SPECIAL_LETTERS))


def name_terms(name_key: str) -> set[str]:
    """The name terms of a name at revision 0013: each word folded, joined and in parts."""
    words: set[str] = set()
    for word in name_key.split():
        words.add(fold(word))
        words.update(fold(part) for part in JOINER.split(word))
    return {word[:TERM_MAX] for word in words if word}


def _merged_into(connection: sa.Connection) -> dict[int, int]:
    """Record id → the record it was merged into, for the (few) merged records on file."""
    rows = connection.execute(
        sa.select(customer.c.id, customer.c.merged_into_id).where(
            customer.c.merged_into_id.is_not(None), customer.c.erased_at.is_(None)
        )
    ).all()
    return {row.id: row.merged_into_id for row in rows}


def _home(customer_id: int, merged_into: dict[int, int]) -> int:
    """The record a customer's terms live on: the end of its chain of merges."""
    seen = {customer_id}
    while customer_id in merged_into and merged_into[customer_id] not in seen:
        customer_id = merged_into[customer_id]
        seen.add(customer_id)
    return customer_id


def _customers(connection: sa.Connection) -> Iterator[Sequence[Any]]:
    """Every customer on file (not erased), in lists of CHUNK by id."""
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(customer.c.id, customer.c.name_key)
            .where(customer.c.id > last_id, customer.c.erased_at.is_(None))
            .order_by(customer.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield rows


def upgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.delete(terms).where(terms.c.kind == "name"))
    merged_into = _merged_into(connection)
    involved = set(merged_into) | set(merged_into.values())
    shared: dict[int, set[str]] = {}
    for rows in _customers(connection):
        batch = []
        for row in rows:
            words = name_terms(row.name_key or "")
            if row.id in involved:
                shared.setdefault(_home(row.id, merged_into), set()).update(words)
            else:
                batch += [{"customer_id": row.id, "kind": "name", "term": word} for word in sorted(words)]
        if batch:
            connection.execute(sa.insert(terms), batch)
    batch = [
        {"customer_id": home, "kind": "name", "term": word}
        for home, words in sorted(shared.items())
        for word in sorted(words)
    ]
    if batch:
        connection.execute(sa.insert(terms), batch)
    if connection.dialect.name == "postgresql":
        op.execute("ANALYZE customersearchterm")


def downgrade() -> None:
    """The name terms back to each lowercase word of the name, as at revision 0012."""
    connection = op.get_bind()
    connection.execute(sa.delete(terms).where(terms.c.kind == "name"))
    merged_into = _merged_into(connection)
    shared: dict[int, set[str]] = {}
    for rows in _customers(connection):
        for row in rows:
            words = {word[:TERM_MAX] for word in (row.name_key or "").split()}
            shared.setdefault(_home(row.id, merged_into), set()).update(words)
    batch = [
        {"customer_id": home, "kind": "name", "term": word}
        for home, words in sorted(shared.items())
        for word in sorted(words)
    ]
    if batch:
        connection.execute(sa.insert(terms), batch)
