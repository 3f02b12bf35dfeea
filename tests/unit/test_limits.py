"""Field limits are one table (`counter_tui.limits`) that matches the database columns,
and every service that takes text enforces it the same on SQLite and PostgreSQL.

- The table and the models agree: each column a limit names is exactly that long, and
  every VARCHAR column is either named by a limit or listed here as not typed by people.
- Every service entry point that takes text is called with text one character over its
  limit (typed decomposed, so the count is of the cleaned, NFC text): it refuses with
  the sentence, names the parameter, and writes nothing (row counts of every table).
- Every one is called with hostile text (lone surrogates, bidi overrides, zero-width
  spaces, NFD, terminal escapes, markup): none crashes, and afterwards no stored string
  in any table holds a control, format character (but ZWJ/ZWNJ) or surrogate, or is not
  NFC. A test checks that this list covers every text parameter of the services.
- Property tests: any name is either stored cleaned within its limit or refused with the
  sentence, on both databases; a name of 80 "İ" (160 code points in lower case) is stored
  and found on PostgreSQL.
"""

from __future__ import annotations

import ast
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlmodel import SQLModel, func

import counter_tui.services
from counter_tui.db import models
from counter_tui.db.models import Channel, Customer, Outcome
from counter_tui.errors import DomainError, InvalidInput
from counter_tui.limits import LIMITS, too_long
from counter_tui.services import (
    audit_verify,
    audit_views,
    closing,
    customers,
    erasure,
    exports,
    feedback,
    flagged_visits,
    followup_oversight,
    followup_snooze,
    followups,
    handoff_log,
    handoffs,
    kiosk,
    kudos,
    mail_check,
    merge_undo,
    outbox,
    reversals,
    sessions,
    shop_settings,
    staff,
    status_updates,
    subject_access,
    visit_customer,
    visit_needs,
    visits,
)
from counter_tui.services.context import ShopContext
from tests.conftest import Team, postgres_url

assert models  # the tables are declared on SQLModel.metadata by importing them


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path}/counter.sqlite3"


# --- the table and the columns -----------------------------------------------------------

#: VARCHAR columns nobody types into: enumerations, hashes, derived keys, JSON.
NOT_TYPED = {
    "staff.role": "enumeration",
    "staff.pin_hash": "argon2 hash",
    "customersearchterm.kind": "enumeration",
    "standingneed.kind": "enumeration",
    "contactconsent.channel": "enumeration",
    "visit.outcome": "enumeration",
    "visit.language": "enumeration (kiosk_words.LANGUAGES)",
    "visitneed.kind": "enumeration",
    "handoffrequest.status": "enumeration",
    "followup.kind": "enumeration",
    "followup.channel": "enumeration",
    "followup.status": "enumeration",
    "auditevent.action": "the app's own names",
    "auditevent.entity": "the app's own names",
    "auditevent.details": "JSON, cut by audit.record",
    "auditevent.details_hash": "hash",
    "auditevent.prev_hash": "hash",
    "auditevent.chain_hash": "hash",
    "auditchainhead.last_hash": "hash",
    "pinguard.subject": "the app's own names",
    "shopsetting.key": "the app's own setting names (others are refused)",
    "feedbacktopicstatus.status": "enumeration",
    "tillcustomer.till": "enumeration",
    "tillcustomer.row_hash": "hash",
    "outboxmessage.status": "enumeration",
    "outboxmessage.message_id": "made by the app",
    "outboxmessage.subject": "made by the app from the follow-up, cut to its length",
    "outboxmessage.last_error": "the mail server's reason, cut to its length",
    "terminalsession.session_id": "made by the app (a uuid's hex)",
    "databasegeneration.generation": "made by the app (a uuid's hex)",
    "erasedcontact.fingerprint": "hash",
    "shopkey.purpose": "the app's own names",
    "shopkey.secret": "made by the app (random hex)",
}


def _varchar_lengths() -> dict[str, int]:
    return {
        f"{table.name}.{column.name}": column.type.length
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if getattr(column.type, "length", None) is not None
    }


def test_every_limit_matches_the_columns_that_store_it() -> None:
    lengths = _varchar_lengths()
    for field, limit in LIMITS.items():
        for column in limit.columns:
            assert lengths.get(column) == limit.most, (field, column, lengths.get(column))


def test_every_varchar_column_is_limited_or_not_typed() -> None:
    limited_columns = {column for limit in LIMITS.values() for column in limit.columns}
    assert not limited_columns & set(NOT_TYPED)
    unlisted = set(_varchar_lengths()) - limited_columns - set(NOT_TYPED)
    assert unlisted == set(), "name each new column in a limit of counter_tui/limits.py, or in NOT_TYPED here"
    assert limited_columns | set(NOT_TYPED) <= set(_varchar_lengths()), "a listed column no longer exists"


def test_the_sentence_says_the_limit_and_the_length() -> None:
    assert too_long("name", 93) == "A name can be at most 80 characters; this one has 93."
    assert too_long("note", 2345) == "A note can be at most 2,000 characters; this one has 2,345."


# --- every entry point --------------------------------------------------------------------


@dataclass
class Scene:
    """A shop with something of everything a text-taking service works on."""

    ctx: ShopContext
    team: Team
    bob: int
    spare: int
    visit: int
    walk_in: int
    walk_in_2: int
    callback: int
    callback_2: int
    handoff_a: int
    handoff_b: int


@pytest.fixture
def scene(ctx: ShopContext, team: Team) -> Scene:
    bob = customers.create_customer(
        ctx, team.sam, name="Bob Jones", phone="07700 900123", email="bob@example.com", opted_in=["phone"]
    )
    spare = customers.create_customer(ctx, team.sam, name="Spare Person")
    visit = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    walk_in = visits.new_walk_in(ctx, team.sam, claim=True)
    walk_in_2 = visits.new_walk_in(ctx, team.sam, claim=True)
    callback = followups.add_callback(ctx, team.sam, bob, about="the kettle")
    callback_2 = followups.add_callback(ctx, team.sam, bob, about="the toaster")
    feedback.record_feedback(ctx, team.sam, body="Parking is hard", topics=["parking"])
    alex = team.alex.staff_id or 0
    handoff_a = handoffs.request_handoff(ctx, team.sam, visit, alex, "lunch")
    handoff_b = handoffs.request_handoff(ctx, team.sam, walk_in, alex, "lunch")
    return Scene(ctx, team, bob, spare, visit, walk_in, walk_in_2, callback, callback_2, handoff_a, handoff_b)


@dataclass(frozen=True)
class Case:
    """One text parameter of one service ("module.function:parameter"), how to call it
    with some text, and the limit it has (None: a lookup or a choice, not stored)."""

    key: str
    field: str | None
    call: Callable[[Scene, str], object]
    param: str = ""

    @property
    def expected_param(self) -> str:
        return self.param or self.key.split(":")[1]


def _alex(s: Scene) -> int:
    return s.team.alex.staff_id or 0


def _sam(s: Scene) -> int:
    return s.team.sam.staff_id or 0


# In the order the hostile sweep runs them: those that end or move things come last.
CASES = [
    Case("customer_search.find_customers:query", "search", lambda s, t: customers.find_customers(s.ctx, t)),
    Case(
        "handoff_log.handoff_log:reason",
        "search",
        lambda s, t: handoff_log.handoff_log(s.ctx, s.team.lead, reason=t),
    ),
    Case(
        "customers.create_customer:name",
        "name",
        lambda s, t: customers.create_customer(s.ctx, s.team.sam, name=t),
    ),
    Case(
        "customers.create_customer:phone",
        "phone",
        lambda s, t: customers.create_customer(s.ctx, s.team.sam, name="Pat", phone=t),
    ),
    Case(
        "customers.create_customer:email",
        "email",
        lambda s, t: customers.create_customer(s.ctx, s.team.sam, name="Pat", email=t),
    ),
    Case(
        "customers.create_customer:consent_source",
        "consent_source",
        lambda s, t: customers.create_customer(
            s.ctx, s.team.sam, name="Pat", opted_in=["sms"], consent_source=t
        ),
        param="source",
    ),
    Case(
        "customers.create_customer:opted_in",
        None,
        lambda s, t: customers.create_customer(s.ctx, s.team.sam, name="Pat", opted_in=[t]),
    ),
    Case(
        "customers.update_contact:name",
        "name",
        lambda s, t: customers.update_contact(s.ctx, s.team.sam, s.bob, name=t, phone="", email=""),
    ),
    Case(
        "customers.update_contact:phone",
        "phone",
        lambda s, t: customers.update_contact(s.ctx, s.team.sam, s.bob, name="Bob", phone=t, email=""),
    ),
    Case(
        "customers.update_contact:email",
        "email",
        lambda s, t: customers.update_contact(s.ctx, s.team.sam, s.bob, name="Bob", phone="", email=t),
    ),
    Case("customers.add_note:body", "note", lambda s, t: customers.add_note(s.ctx, s.team.sam, s.bob, t)),
    Case(
        "customers.set_preferences:preferences",
        "preferences",
        lambda s, t: customers.set_preferences(s.ctx, s.team.sam, s.bob, t),
    ),
    Case(
        "customers.set_standing_need:kind",
        None,
        lambda s, t: customers.set_standing_need(s.ctx, s.team.sam, s.bob, t, remember=True),
    ),
    Case(
        "customers.set_standing_need:detail",
        "detail",
        lambda s, t: customers.set_standing_need(
            s.ctx, s.team.sam, s.bob, "language", remember=True, detail=t
        ),
    ),
    Case(
        "customers.record_consent:channel",
        None,
        lambda s, t: customers.record_consent(s.ctx, s.team.sam, s.bob, t, granted=True, source="asked"),
    ),
    Case(
        "customers.record_consent:source",
        "consent_source",
        lambda s, t: customers.record_consent(s.ctx, s.team.sam, s.bob, "email", granted=True, source=t),
        param="source",
    ),
    Case(
        "customers.set_consents:granted",
        None,
        lambda s, t: customers.set_consents(s.ctx, s.team.sam, s.bob, {t: True}, source="asked"),
    ),
    Case(
        "customers.set_consents:source",
        "consent_source",
        lambda s, t: customers.set_consents(s.ctx, s.team.sam, s.bob, {"sms": True}, source=t),
    ),
    Case(
        "feedback.record_feedback:body",
        "feedback",
        lambda s, t: feedback.record_feedback(s.ctx, s.team.sam, body=t),
    ),
    Case(
        "feedback.record_feedback:topics",
        "topic",
        lambda s, t: feedback.record_feedback(s.ctx, s.team.sam, body="Too hot", topics=[t]),
    ),
    Case(
        "feedback.topic_feedback:topic", "topic", lambda s, t: feedback.topic_feedback(s.ctx, s.team.lead, t)
    ),
    Case(
        "feedback.acknowledge_topic:topic",
        "topic",
        lambda s, t: feedback.acknowledge_topic(s.ctx, s.team.lead, t),
    ),
    Case(
        "feedback.acknowledge_topic:note",
        "short_note",
        lambda s, t: feedback.acknowledge_topic(s.ctx, s.team.lead, "parking", t),
    ),
    Case(
        "feedback.mark_topic_acted_on:topic",
        "topic",
        lambda s, t: feedback.mark_topic_acted_on(s.ctx, s.team.lead, t, "Painted the lines"),
    ),
    Case(
        "feedback.mark_topic_acted_on:what_was_done",
        "what_was_done",
        lambda s, t: feedback.mark_topic_acted_on(s.ctx, s.team.lead, "parking", t),
    ),
    Case(
        "followups.add_callback:about",
        "followup",
        lambda s, t: followups.add_callback(s.ctx, s.team.sam, s.bob, about=t),
    ),
    Case(
        "followups.add_callback:channel",
        None,
        lambda s, t: followups.add_callback(s.ctx, s.team.sam, s.bob, about="x", channel=t),
    ),
    Case(
        "followups.add_callback:consent_source",
        "consent_source",
        lambda s, t: followups.add_callback(
            s.ctx, s.team.sam, s.bob, about="x", channel="sms", consent_source=t
        ),
        param="source",
    ),
    Case(
        "followups.add_promise:promise",
        "followup",
        lambda s, t: followups.add_promise(
            s.ctx, s.team.sam, s.bob, promise=t, due_at=s.ctx.now() + timedelta(days=1)
        ),
    ),
    Case(
        "followups.add_promise:channel",
        None,
        lambda s, t: followups.add_promise(
            s.ctx, s.team.sam, s.bob, promise="x", due_at=s.ctx.now() + timedelta(days=1), channel=t
        ),
    ),
    Case(
        "status_updates.start_status_update:about",
        "followup",
        lambda s, t: status_updates.start_status_update(
            s.ctx, s.team.sam, s.bob, about=t, channel=Channel.IN_PERSON, every_days=3
        ),
    ),
    Case(
        "status_updates.start_status_update:channel",
        None,
        lambda s, t: status_updates.start_status_update(
            s.ctx, s.team.sam, s.bob, about="x", channel=t, every_days=3
        ),
    ),
    Case(
        "followup_oversight.reassign_followup:reason",
        "reason",
        lambda s, t: followup_oversight.reassign_followup(s.ctx, s.team.lead, s.callback, _alex(s), t),
    ),
    Case(
        "followups.complete_followup:reached_by",
        None,
        lambda s, t: followups.complete_followup(
            s.ctx, s.team.lead, s.callback, what_was_done="called", reached_by=t
        ),
    ),
    Case(
        "followups.complete_followup:personal_line",
        "personal_line",
        lambda s, t: followups.complete_followup(
            s.ctx, s.team.lead, s.callback, what_was_done="called", personal_line=t
        ),
    ),
    Case(
        "followups.complete_followup:what_was_done",
        "what_was_done",
        lambda s, t: followups.complete_followup(s.ctx, s.team.lead, s.callback, what_was_done=t),
    ),
    Case("mail_check.send_test:address", None, lambda s, t: mail_check.send_test(s.ctx, s.team.lead, t)),
    Case(
        "outbox.complete_by_email:what_was_done",
        "what_was_done",
        lambda s, t: outbox.complete_by_email(s.ctx, s.team.lead, s.callback, what_was_done=t),
    ),
    Case(
        "outbox.complete_by_email:personal_line",
        "personal_line",
        lambda s, t: outbox.complete_by_email(
            s.ctx, s.team.lead, s.callback, what_was_done="emailed", personal_line=t
        ),
    ),
    Case(
        "outbox.preview:what_was_done",
        "what_was_done",
        lambda s, t: outbox.preview(s.ctx, s.team.lead, s.callback, what_was_done=t),
    ),
    Case(
        "outbox.preview:personal_line",
        "personal_line",
        lambda s, t: outbox.preview(s.ctx, s.team.lead, s.callback, personal_line=t),
    ),
    Case(
        "followup_snooze.reschedule_followup:due",
        None,
        lambda s, t: followup_snooze.reschedule_followup(s.ctx, s.team.sam, s.callback, t, "Part due"),
    ),
    Case(
        "followup_snooze.reschedule_followup:reason",
        "reason",
        lambda s, t: followup_snooze.reschedule_followup(s.ctx, s.team.sam, s.callback, "tomorrow 12:00", t),
    ),
    Case(
        "followups.cancel_followup:reason",
        "reason",
        lambda s, t: followups.cancel_followup(s.ctx, s.team.sam, s.callback_2, reason=t),
    ),
    Case(
        "reversals.restore_followup:reason",
        "reason",
        lambda s, t: reversals.restore_followup(s.ctx, s.team.lead, s.callback_2, t),
    ),
    Case(
        "subject_access.find_customer:phone",
        None,
        lambda s, t: subject_access.find_customer(s.ctx, s.team.lead, phone=t),
    ),
    Case(
        "subject_access.find_customer:email",
        None,
        lambda s, t: subject_access.find_customer(s.ctx, s.team.lead, email=t),
    ),
    Case(
        "exports.export:destination",
        None,
        lambda s, t: exports.export(
            s.ctx, s.team.lead, exports.ExportKind.CUSTOMERS, io.StringIO(), destination=t
        ),
    ),
    Case(
        "erasure.blank_visit_text:reason",
        "reason",
        lambda s, t: erasure.blank_visit_text(s.ctx, s.team.lead, s.ctx.clock(), reason=t),
    ),
    Case("kudos.give_kudos:text", "kudos", lambda s, t: kudos.give_kudos(s.ctx, s.team.lead, _sam(s), t)),
    Case(
        "kiosk.check_in:first_name",
        "first_name",
        lambda s, t: kiosk.check_in(s.ctx, "door", kiosk.CheckIn(first_name=t, need="needs_help")),
    ),
    Case(
        "kiosk.check_in:terminal",
        None,
        lambda s, t: kiosk.check_in(s.ctx, t, kiosk.CheckIn(first_name="Zoë", need="needs_help")),
    ),
    Case("kiosk.unlock:terminal", None, lambda s, t: kiosk.unlock(s.ctx, t, "1111")),
    Case("kiosk.unlock:pin", None, lambda s, t: kiosk.unlock(s.ctx, "door", t)),
    Case("kiosk.record_exit:terminal", None, lambda s, t: kiosk.record_exit(s.ctx, s.team.lead, t)),
    Case(
        "staff.add_staff:name", "name", lambda s, t: staff.add_staff(s.ctx, s.team.lead, name=t, pin="4444")
    ),
    Case("staff.add_staff:pin", None, lambda s, t: staff.add_staff(s.ctx, s.team.lead, name="Kim", pin=t)),
    Case(
        "staff.add_staff:role",
        None,
        lambda s, t: staff.add_staff(s.ctx, s.team.lead, name="Lou", pin="5555", role=t),
    ),
    Case("staff.set_pin:name", None, lambda s, t: staff.set_pin(s.ctx, s.team.lead, name=t, pin="6666")),
    Case("staff.set_pin:pin", None, lambda s, t: staff.set_pin(s.ctx, s.team.lead, name="Sam", pin=t)),
    Case("staff.open_work:name", None, lambda s, t: staff.open_work(s.ctx, s.team.lead, name=t)),
    Case("staff.deactivate:name", None, lambda s, t: staff.deactivate(s.ctx, s.team.lead, name=t)),
    Case(
        "staff.deactivate:pass_to",
        None,
        lambda s, t: staff.deactivate(s.ctx, s.team.lead, name="Sam", pass_to=t),
    ),
    Case("staff.reactivate:name", None, lambda s, t: staff.reactivate(s.ctx, s.team.lead, name=t)),
    Case("staff.clear_lockout:name", None, lambda s, t: staff.clear_lockout(s.ctx, s.team.lead, name=t)),
    Case("staff.authorise_command:name", None, lambda s, t: staff.authorise_command(s.ctx, t, "1111", "x")),
    Case("staff.authorise_command:pin", None, lambda s, t: staff.authorise_command(s.ctx, "Dana", t, "x")),
    Case("staff.sign_in:pin", None, lambda s, t: staff.sign_in(s.ctx, _sam(s), t)),
    Case("staff.check_pin_ahead:pin", None, lambda s, t: staff.check_pin_ahead(s.ctx, _sam(s), t)),
    Case("sessions.close_terminal:pin", None, lambda s, t: sessions.close_terminal(s.ctx, _sam(s), t)),
    Case(
        "visits.new_walk_in:description",
        "description",
        lambda s, t: visits.new_walk_in(s.ctx, s.team.sam, description=t),
    ),
    Case("visits.new_walk_in:needs", None, lambda s, t: visits.new_walk_in(s.ctx, s.team.sam, needs=[t])),
    Case("visits.new_walk_in:language", None, lambda s, t: visits.new_walk_in(s.ctx, s.team.sam, language=t)),
    Case(
        "visit_needs.set_need:kind", None, lambda s, t: visit_needs.set_need(s.ctx, s.team.sam, s.walk_in, t)
    ),
    Case(
        "visit_needs.set_need:detail",
        "detail",
        lambda s, t: visit_needs.set_need(s.ctx, s.team.sam, s.walk_in, "language", detail=t),
    ),
    Case(
        "visit_needs.clear_need:kind",
        None,
        lambda s, t: visit_needs.clear_need(s.ctx, s.team.sam, s.walk_in, t),
    ),
    Case(
        "visits.add_visit_note:body",
        "note",
        lambda s, t: visits.add_visit_note(s.ctx, s.team.sam, s.walk_in, t),
    ),
    Case(
        "visit_needs.update_needs:add",
        None,
        lambda s, t: visit_needs.update_needs(s.ctx, s.team.sam, s.walk_in, add=[t]),
    ),
    Case(
        "visit_needs.update_needs:clear",
        None,
        lambda s, t: visit_needs.update_needs(s.ctx, s.team.sam, s.walk_in, clear=[t]),
    ),
    Case(
        "visit_needs.update_needs:details",
        "detail",
        lambda s, t: visit_needs.update_needs(
            s.ctx, s.team.sam, s.walk_in, add=["language"], details={"language": t}
        ),
        param="detail_language",
    ),
    Case(
        "visit_needs.update_needs:remember",
        None,
        lambda s, t: visit_needs.update_needs(s.ctx, s.team.sam, s.walk_in, add=[t], remember=[t]),
    ),
    Case(
        "visit_customer.set_visit_preferences:preferences",
        "preferences",
        lambda s, t: visit_customer.set_visit_preferences(s.ctx, s.team.sam, s.walk_in_2, t),
    ),
    Case(
        "visit_customer.add_customer_to_visit:name",
        "name",
        lambda s, t: visit_customer.add_customer_to_visit(s.ctx, s.team.sam, s.walk_in_2, name=t),
    ),
    Case(
        "visit_customer.add_customer_to_visit:phone",
        "phone",
        lambda s, t: visit_customer.add_customer_to_visit(
            s.ctx, s.team.sam, s.walk_in_2, name="Pat", phone=t
        ),
    ),
    Case(
        "visit_customer.add_customer_to_visit:email",
        "email",
        lambda s, t: visit_customer.add_customer_to_visit(
            s.ctx, s.team.sam, s.walk_in_2, name="Pat", email=t
        ),
    ),
    Case(
        "visit_customer.add_customer_to_visit:opted_in",
        None,
        lambda s, t: visit_customer.add_customer_to_visit(
            s.ctx, s.team.sam, s.walk_in_2, name="Pat", opted_in=[t]
        ),
    ),
    Case(
        "handoffs.approve_handoff:note",
        "short_note",
        lambda s, t: handoffs.approve_handoff(s.ctx, s.team.lead, s.handoff_a, t),
    ),
    Case(
        "handoffs.deny_handoff:note",
        "reason",
        lambda s, t: handoffs.deny_handoff(s.ctx, s.team.lead, s.handoff_b, t),
        param="reason",
    ),
    Case(
        "handoffs.request_handoff:reason",
        "reason",
        lambda s, t: handoffs.request_handoff(s.ctx, s.team.sam, s.walk_in, _alex(s), t),
    ),
    Case(
        "handoffs.reassign_visit:reason",
        "reason",
        lambda s, t: handoffs.reassign_visit(
            s.ctx, s.team.lead, s.walk_in, _sam(s), t, seen_owner_id=_sam(s)
        ),
    ),
    Case(
        "visits.end_visit:personal_line",
        "personal_line",
        lambda s, t: visits.end_visit(s.ctx, s.team.lead, s.visit, Outcome.PURCHASE, personal_line=t),
    ),
    Case("visits.end_visit:outcome", None, lambda s, t: visits.end_visit(s.ctx, s.team.lead, s.walk_in, t)),
    Case(
        "reversals.reopen_visit:reason",
        "reason",
        lambda s, t: reversals.reopen_visit(s.ctx, s.team.lead, s.visit, t),
    ),
    Case(
        "flagged_visits.mark_reviewed:note",
        "short_note",
        lambda s, t: flagged_visits.mark_reviewed(s.ctx, s.team.lead, s.visit, t),
    ),
    Case(
        "closing.close_day:reason",
        "reason",
        lambda s, t: closing.close_day(
            s.ctx, s.team.lead, seen=closing.close_day_preview(s.ctx, s.team.lead).seen, reason=t
        ),
    ),
    Case(
        "reversals.undo_day_close:reason",
        "reason",
        lambda s, t: reversals.undo_day_close(s.ctx, s.team.lead, 999, t),
    ),
    Case(
        "merge_undo.undo_merge:reason",
        "reason",
        lambda s, t: merge_undo.undo_merge(s.ctx, s.team.lead, 999, t),
    ),
    Case(
        "erasure.erase_customer:reason",
        "reason",
        lambda s, t: erasure.erase_customer(s.ctx, s.team.lead, s.spare, t),
    ),
    Case(
        "shop_settings.change:typed",
        "setting",
        lambda s, t: shop_settings.change(s.ctx, s.team.lead, {"shop.name": t}),
        param="shop.name",
    ),
    Case(
        "shop_settings.change:typed-key",
        None,
        lambda s, t: shop_settings.change(s.ctx, s.team.lead, {t: "x"}),
    ),
    Case(
        "shop_settings.set_hours:hours",
        "setting",
        lambda s, t: shop_settings.set_hours(s.ctx, s.team.lead, "fri", t),
        param="shop.hours.fri",
    ),
    Case(
        "shop_settings.set_hours:weekday",
        None,
        lambda s, t: shop_settings.set_hours(s.ctx, s.team.lead, t, "closed"),
    ),
    Case(
        "audit_views.audit_log:customer",
        "search",
        lambda s, t: audit_views.audit_log(s.ctx, s.team.lead, audit_views.AuditFilter(customer=t)),
    ),
    Case(
        "audit_views.audit_log:action",
        None,
        lambda s, t: audit_views.audit_log(s.ctx, s.team.lead, audit_views.AuditFilter(action=t)),
    ),
    Case(
        "audit_verify.verify_chain:earlier_head",
        None,
        lambda s, t: audit_verify.verify_chain(s.ctx, earlier_head=t),
    ),
]

#: Text parameters that are not typed by anyone: the app passes its own values (or, for
#: erasure's search of the audit, values already stored, so already clean).
NOT_TYPED_PARAMETERS = {
    "audit_redaction.events_mentioning:terms",
    "staff.sign_in:success_action",
    "staff.sign_in:success_details",
    "staff.authorise_command:command",
    # What a dialog showed, sent back only to be compared with the record (changed_meanwhile).
    "customers.update_contact:opened",
    "customers.set_preferences:opened",
    "customers.set_consents:opened",
    # The screen's own words for what was done ("Callback queued"), never typed.
    "followups.queued_words:done",
}


def _text_parameters() -> set[str]:
    """Every "module.function:parameter" of a public service function taking `ctx` first
    whose parameter is annotated with a str (alone, optional, or in a collection)."""
    found: set[str] = set()
    for path in sorted(Path(counter_tui.services.__file__).parent.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            arguments = node.args.args + node.args.kwonlyargs
            if not arguments or arguments[0].arg != "ctx":
                continue
            for argument in arguments:
                if argument.annotation is not None and "str" in ast.unparse(argument.annotation):
                    found.add(f"{path.stem}.{node.name}:{argument.arg}")
    return found


def test_the_cases_cover_every_text_parameter_of_the_services() -> None:
    covered = {case.key for case in CASES} | NOT_TYPED_PARAMETERS | {"kiosk.check_in:check_in"}
    uncovered = _text_parameters() - covered
    assert uncovered == set(), "add a Case to CASES (with the limit it has, if the text is stored)"


def _row_counts(ctx: ShopContext) -> dict[str, int]:
    with ctx.database.read() as session:
        return {
            table.name: int(session.execute(select(func.count()).select_from(table)).scalar_one())
            for table in SQLModel.metadata.sorted_tables
        }


#: One character over each limit once cleaned; typed decomposed, twice as long raw.
def _over(most: int) -> str:
    return "e\u0301" * (most + 1)


def test_every_service_refuses_text_over_its_limit_and_writes_nothing(scene: Scene) -> None:
    before = _row_counts(scene.ctx)
    wrong: list[str] = []
    for case in CASES:
        if case.field is None:
            continue
        most = LIMITS[case.field].most
        try:
            case.call(scene, _over(most))
        except InvalidInput as error:
            expected = too_long(case.field, most + 1)
            if (str(error), error.field) != (expected, case.expected_param):
                wrong.append(f"{case.key}: {error!s} ({error.field!r})")
        except Exception as error:
            wrong.append(f"{case.key}: {type(error).__name__}: {error}")
        else:
            wrong.append(f"{case.key}: accepted")
    assert wrong == []
    assert _row_counts(scene.ctx) == before


HOSTILE = (
    "Re\u0301ne\u0301e \u202egnp.exe\u202c \u200bİzmir\x1b]0;x\x07 [/] \udcff\ud800\r\n"
    "\u2066👩\u200d👩\u200d👧\u2069\u2028O'Neil kettle suits garden"
)


def _hostile(most: int | None) -> str:
    """HOSTILE, cut (raw) so that once cleaned it is within `most`."""
    from counter_tui.text import clean_text

    raw = HOSTILE
    while most is not None and len(clean_text(raw)) > most:
        raw = raw[:-1]
    return raw


def _unclean(value: str) -> bool:
    return not unicodedata.is_normalized("NFC", value) or any(
        unicodedata.category(char) in ("Cs", "Cc", "Cf") and char not in "\n\u200c\u200d" for char in value
    )


def test_no_service_crashes_on_hostile_text_and_nothing_unclean_is_stored(scene: Scene) -> None:
    crashed: list[str] = []
    for case in CASES:
        try:
            case.call(scene, _hostile(LIMITS[case.field].most if case.field else None))
        except DomainError:
            pass
        except Exception as error:
            crashed.append(f"{case.key}: {type(error).__name__}: {error}")
    assert crashed == []
    with scene.ctx.database.read() as session:
        stored = [
            (table.name, column, value)
            for table in SQLModel.metadata.sorted_tables
            for row in session.execute(select(table)).mappings()
            for column, value in row.items()
            if isinstance(value, str) and _unclean(value)
        ]
        names = list(session.execute(select(Customer.name)).scalars())
    assert stored == []
    assert "Rénée gnp.exe İzmir]0;x [/] \ufffd\ufffd 👩\u200d👩\u200d👧 O'Neil kettle suits garden" in names
    with scene.ctx.database.read() as session:
        notes = list(session.execute(select(models.CustomerNote.body)).scalars())
    assert "Rénée gnp.exe İzmir]0;x [/] \ufffd\ufffd\n👩\u200d👩\u200d👧\nO'Neil kettle suits garden" in notes


# --- properties on both databases ------------------------------------------------------------


def test_a_name_whose_lower_case_is_longer_is_stored_and_found(ctx: ShopContext, team: Team) -> None:
    customer_id = customers.create_customer(ctx, team.sam, name="İ" * 80)
    assert [m.id for m in customers.find_customers(ctx, "i̇").items] == [customer_id]
    customers.update_contact(ctx, team.sam, customer_id, name="İstanbul " + "İ" * 71, phone="", email="")
    assert [m.id for m in customers.find_customers(ctx, "i̇stanbul").items] == [customer_id]


NAMES = st.text(st.characters(exclude_categories=()), max_size=120)


@pytest.fixture
def examples(database_url: str) -> int:
    """Fewer examples on PostgreSQL, where each is a few round trips."""
    return 30 if database_url.startswith("postgresql") else 100


def test_any_name_is_stored_clean_within_its_limit_or_refused(
    ctx: ShopContext, team: Team, examples: int
) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(typed=NAMES)
    def check(typed: str) -> None:
        try:
            customer_id = customers.create_customer(ctx, team.sam, name=typed)
        except InvalidInput as error:
            assert error.field == "name"
            assert str(error).startswith(("A name can be at most 80 characters;", "Give the customer's name"))
            return
        with ctx.database.read() as session:
            row = session.get(Customer, customer_id)
            assert row is not None
            assert 0 < len(row.name) <= 80 and not _unclean(row.name)
            assert len(row.name_key) <= 80

    check()


#: Notes of any length around the limit, with line breaks and anything else in them.
NOTES = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=60),
    st.text(st.characters(exclude_categories=()), min_size=1990, max_size=2030),
)


def test_any_note_is_stored_clean_within_its_limit_or_refused(
    ctx: ShopContext, team: Team, bob: int, examples: int
) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(typed=NOTES)
    def check(typed: str) -> None:
        try:
            customers.add_note(ctx, team.sam, bob, typed)
        except InvalidInput as error:
            assert error.field == "body"
            assert str(error).startswith(("A note can be at most 2,000 characters;", "The note is empty"))
            return
        with ctx.database.read() as session:
            body = session.execute(
                select(models.CustomerNote.body).order_by(models.CustomerNote.id.desc())
            ).scalar()
        assert body is not None and 0 < len(body) <= 2000 and not _unclean(body)

    check()


def test_surrogates_from_the_command_line_are_replaced_not_fatal(ctx: ShopContext, team: Team) -> None:
    undecodable = b"Jos\xe9".decode("utf-8", "surrogateescape")  # Latin-1 é in a UTF-8 argv
    customer_id = customers.create_customer(ctx, team.sam, name=undecodable)
    with ctx.database.read() as session:
        row = session.get(Customer, customer_id)
        assert row is not None and row.name == "Jos\ufffd"
        assert session.execute(text("select count(*) from customer")).scalar_one() == 1
