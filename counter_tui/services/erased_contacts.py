"""Recognising a customer erased from the shop when an old export brings their row back,
without keeping who they were.

An erasure keeps, for each phone number (international form) and email the erased
records held, one fingerprint: HMAC-SHA256 of the kind, the value and the first word of
a name they had (as an import compares names, `till_import.names`), keyed with a random
secret the shop makes the first time one is needed (`ShopKey`, in the database, so every
terminal has it). Nothing else is kept: no customer id, no date, no name, and the app
never shows, exports or searches them. An import (`till_import.matching`) rejects a row
that would put a new customer on file when its phone or email with the first word of
its name has such a fingerprint: a necessary condition of being that person under the
import's own rules (the same phone or email, and names that start with the same word).

What this keeps is pseudonymous, not anonymous: whoever has the database, and so the
key, can test a guessed phone number or email with a first name against it, and a
country's phone numbers are few enough to try them all for one first name. It holds
nothing more than "someone with this phone (or email) and this first name was erased",
and the shop keeps it for one purpose, honouring the erasure (a suppression list); a
database without the key (a copy with `shopkey` emptied) cannot test anything.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_tui.db.dialects import own_dialect
from counter_tui.db.models import Customer, ErasedContact, ShopKey
from counter_tui.services.till_import.names import first_word

PURPOSE = "erased_contacts"


@dataclass(frozen=True)
class Contact:
    """Who a row or record is, as far as a fingerprint goes."""

    name: str
    phone_normalised: str
    email: str


def fingerprints(key: bytes, contact: Contact) -> set[str]:
    """The fingerprints of a contact's phone and email, each with its name's first word."""
    word = first_word(contact.name)
    return {
        hmac.new(key, "\x1f".join((kind, value, word)).encode(), hashlib.sha256).hexdigest()
        for kind, value in (("phone", contact.phone_normalised), ("email", contact.email))
        if value
    }


def remember(session: Session, records: Iterable[Customer]) -> int:
    """Keep the fingerprints of these records' phones and emails, each with the first word
    of every name among them (a merged record may have had another), in the caller's
    erasure transaction, before their details are blanked; how many are kept."""
    records = list(records)
    names = {record.name for record in records if record.name}
    contacts = {(record.phone_normalised, record.email) for record in records}
    wanted = [Contact(name, phone, email) for name in names for phone, email in contacts if phone or email]
    if not wanted:
        return 0
    key = _made_key(session)
    prints = sorted({fingerprint for contact in wanted for fingerprint in fingerprints(key, contact)})
    statement = own_dialect(session).insert(ErasedContact).on_conflict_do_nothing()
    session.connection().execute(statement, [{"fingerprint": value} for value in prints])
    return len(prints)


class ErasedContacts:
    """Which of a batch's rows have the phone or email, with the first word of the name,
    of a customer erased in the shop: read with one query for the whole batch."""

    def __init__(self, session: Session, contacts: dict[int, Contact]) -> None:
        key = _key(session)
        self._prints: dict[int, set[str]] = {}
        self._erased: set[str] = set()
        if key is None:
            return  # nobody erased yet has left a fingerprint
        self._prints = {number: fingerprints(key, contact) for number, contact in contacts.items()}
        wanted = sorted(set().union(*self._prints.values())) if self._prints else []
        if wanted:
            query = select(ErasedContact.fingerprint).where(col(ErasedContact.fingerprint).in_(wanted))
            self._erased = set(session.exec(query))

    def match(self, number: int) -> bool:
        """Whether row `number` has an erased customer's phone or email and first name."""
        return bool(self._prints.get(number, set()) & self._erased)


def _key(session: Session) -> bytes | None:
    """The shop's key for these fingerprints, if one was made."""
    secret = session.exec(select(ShopKey.secret).where(col(ShopKey.purpose) == PURPOSE)).first()
    return bytes.fromhex(secret) if secret is not None else None


def _made_key(session: Session) -> bytes:
    """The shop's key for these fingerprints, made now if there is none (once, whichever
    terminal is first: another's key, made meanwhile, is the one kept)."""
    key = _key(session)
    if key is None:
        made = own_dialect(session).insert(ShopKey).on_conflict_do_nothing()
        session.connection().execute(made, [{"purpose": PURPOSE, "secret": secrets.token_hex(32)}])
        key = bytes.fromhex(session.exec(select(ShopKey.secret).where(col(ShopKey.purpose) == PURPOSE)).one())
    return key
