"""Every public service function that changes data, called as each kind of person, refuses
or allows exactly as the permissions module says, with the permissions' own sentence.

The people: Dana (lead), Sam (owns the visit, the follow-ups and the hand-off request),
Alex (helps on Sam's visit), Kim (another associate, with nothing of their own here) and
a kiosk. A new public service function fails `test_every_service_function_is_in_the_table`
until it is added to `CASES` (if it changes data) or to `READS`/`NOT_ACTOR_BASED`.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

import counter_tui.services as services_package
from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.engine import sqlite_path
from counter_tui.db.models import Channel, DayClose, NeedKind, Outcome, Visit
from counter_tui.errors import AlreadyOwned, Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from counter_tui.services import (
    backup,
    closing,
    customer_import,
    customers,
    erasure,
    exports,
    feedback,
    flagged_visits,
    followup_oversight,
    followup_snooze,
    followups,
    handoffs,
    kudos,
    linking,
    mail_check,
    merge,
    merge_undo,
    outbox,
    permissions,
    presence,
    retention,
    reversals,
    sessions,
    shop_settings,
    staff,
    status_updates,
    subject_access,
    visit_customer,
    visit_needs,
    visit_views,
    visits,
)
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customer_import import ImportRequest
from counter_tui.services.linking import TypedContact
from counter_tui.services.permissions import NOBODY, Action, Target
from tests.conftest import FRIDAY_11AM, Team, make_settings, make_team


def _owner(ctx: ShopContext, visit_id: int) -> int | None:
    """Who owns the visit now: the owner a reassigning lead's dialog shows."""
    with ctx.database.read() as session:
        return session.get_one(Visit, visit_id).owner_id


@dataclass(frozen=True)
class Scene:
    """Ids of what each call works on; built fresh for every test."""

    lead: Actor
    sam: Actor
    alex: Actor
    kim: Actor
    visit: int
    """Sam's walk-in (not on file), Alex helping, with a need set."""
    unowned: int
    """A walk-in nobody has claimed."""
    requested: int
    """Sam's other visit, with a pending hand-off request to Alex."""
    request: int
    ended: int
    """A visit Sam ended today."""
    flagged: int
    """A visit ended by the lead's early day close, flagged for review."""
    bob: int
    """A customer on file who agreed to phone calls."""
    bob_again: int
    """A second record of Bob."""
    ann_merge: int
    """A merge of Ann's two records, still undoable."""
    cara: int
    followup: int
    """Sam's open callback to Bob."""
    cancelled: int
    """Sam's callback, cancelled today."""


def build_scene(ctx: ShopContext, team: Team) -> Scene:
    """Everything the calls below act on, made by the people whose it is."""
    lead, sam, alex = team.lead, team.sam, team.alex
    staff.add_staff(ctx, None, name="Kim", pin="4444")
    staff.add_staff(ctx, None, name="Lee", pin="5555")
    staff.deactivate(ctx, None, name="Lee")
    kim = staff.sign_in(ctx, staff.list_staff(ctx)[2].id, "4444")
    assert kim.name == "Kim"
    flagged = visits.new_walk_in(ctx, lead, description="left before close")
    closing.close_day(ctx, lead, seen=closing.close_day_preview(ctx, lead).seen, reason="storm warning")
    visit = visits.new_walk_in(ctx, sam, description="tall man, drills", claim=True)
    visits.add_helper(ctx, sam, visit, alex.staff_id or 0)
    visit_needs.set_need(ctx, sam, visit, NeedKind.PICKUP)
    unowned = visits.new_walk_in(ctx, lead, description="couple by the sofas")
    requested = visits.new_walk_in(ctx, sam, description="wedding list", claim=True)
    request = handoffs.request_handoff(ctx, sam, requested, alex.staff_id or 0, "my break")
    ended = visits.new_walk_in(ctx, sam, description="quick question", claim=True)
    visits.end_visit(ctx, sam, ended, Outcome.NO_PURCHASE)
    bob = customers.create_customer(ctx, sam, name="Bob Jones", phone="07700 900123", opted_in=["phone"])
    bob_again = customers.create_customer(ctx, sam, name="Bob Jones", phone="07700 900124")
    ann = customers.create_customer(ctx, sam, name="Ann Lee", phone="07700 900125")
    ann_again = customers.create_customer(ctx, sam, name="Ann Lee", phone="07700 900126")
    ann_merge = merge.merge_customers(ctx, lead, merge.preview_merge(ctx, lead, ann, ann_again).seen).merge_id
    cara = customers.create_customer(ctx, alex, name="Cara Diaz")
    followup = followups.add_callback(ctx, sam, bob, about="repair quote")
    cancelled = followups.add_callback(ctx, sam, bob, about="old quote")
    followups.cancel_followup(ctx, sam, cancelled, reason="customer came in")
    feedback.record_feedback(ctx, sam, body="Nowhere to park", customer_id=bob, topics=("parking",))
    return Scene(
        lead, sam, alex, kim, visit, unowned, requested, request, ended, flagged, bob, bob_again,
        ann_merge, cara, followup, cancelled,
    )  # fmt: skip


Call = Callable[[ShopContext, Actor, Scene], object]
Aim = Callable[[ShopContext, Scene], Target]


def nobody(ctx: ShopContext, scene: Scene) -> Target:
    """Actions that concern no one's work in particular."""
    return NOBODY


def sams_visit(ctx: ShopContext, scene: Scene) -> Target:
    """Sam's visit that Alex helps with, as the service's own read model gives it."""
    return visit_views.visit_detail(ctx, scene.lead, scene.visit).target


def sams_other_visit(ctx: ShopContext, scene: Scene) -> Target:
    return visit_views.visit_detail(ctx, scene.lead, scene.requested).target


def sams(ctx: ShopContext, scene: Scene) -> Target:
    """Sam's own work (a follow-up, a hand-off request)."""
    return Target(owner_id=scene.sam.staff_id, owner_name="Sam")


def alex(ctx: ShopContext, scene: Scene) -> Target:
    """Alex, as the colleague a lead's action concerns."""
    return Target(owner_id=scene.alex.staff_id, owner_name="Alex")


@dataclass(frozen=True)
class Case:
    """One call: the permission it asks for, on what, and how to make it."""

    action: Action
    call: Call
    target: Aim = nobody
    despite: tuple[type[DomainError], ...] = ()
    """Refusals of the scene's state (not of the person) an allowed call may still meet."""


R = Action.KEEP_CUSTOMER_RECORD


def _latest_close(ctx: ShopContext) -> int:
    """The scene's day close (the storm warning), as the undo dialog would show it."""
    with ctx.database.read() as session:
        return max(close_id for close_id in session.exec(select(DayClose.id)) if close_id is not None)


def _export() -> Path:
    """A one-customer till export in a folder of its own."""
    path = Path(tempfile.mkdtemp()) / "customers_export.csv"
    path.write_text("First Name,Last Name,Email,Accepts Email Marketing\nAnn,Lee,ann@example.com,yes\n")
    return path


HOLIDAY = date(2027, 1, 6)
CASES: dict[str, Case] = {
    "backup.back_up": Case(Action.BACK_UP_DATABASE, lambda c, a, s: backup.back_up(c, a)),
    "backup.restore": Case(
        Action.RESTORE_DATABASE,
        lambda c, a, s: backup.restore(c, a, backup.back_up(c, s.lead).path),
        despite=(Conflict,),  # staff are signed in
    ),
    "closing.close_day": Case(
        Action.CLOSE_DAY,
        lambda c, a, s: closing.close_day(
            c, a, seen=closing.close_day_preview(c, s.lead).seen, reason="flood"
        ),
    ),
    "flagged_visits.mark_reviewed": Case(
        Action.REVIEW_FLAGGED, lambda c, a, s: flagged_visits.mark_reviewed(c, a, s.flagged)
    ),
    "customers.add_note": Case(R, lambda c, a, s: customers.add_note(c, a, s.bob, "likes tea")),
    "customers.create_customer": Case(R, lambda c, a, s: customers.create_customer(c, a, name="Dee Park")),
    "customers.record_consent": Case(
        R, lambda c, a, s: customers.record_consent(c, a, s.bob, "sms", granted=True, source="asked")
    ),
    "customers.set_consents": Case(
        R, lambda c, a, s: customers.set_consents(c, a, s.bob, {"sms": True}, source="asked")
    ),
    "customers.set_preferences": Case(R, lambda c, a, s: customers.set_preferences(c, a, s.bob, "oak")),
    "customers.set_standing_need": Case(
        R, lambda c, a, s: customers.set_standing_need(c, a, s.bob, NeedKind.LANGUAGE, remember=True)
    ),
    "linking.add_typed_details": Case(
        R,
        lambda c, a, s: linking.add_typed_details(
            c, a, s.cara, TypedContact("Cara Diaz", email="c@d.example")
        ),
    ),
    "customers.update_contact": Case(
        R,
        lambda c, a, s: customers.update_contact(
            c, a, s.bob, name="Bob Jones", phone="07700 900123", email=""
        ),
    ),
    "erasure.erase_customer": Case(
        Action.ERASE_CUSTOMER, lambda c, a, s: erasure.erase_customer(c, a, s.cara, "asked by email")
    ),
    "erasure.blank_visit_text": Case(
        Action.APPLY_RETENTION,
        lambda c, a, s: erasure.blank_visit_text(c, a, c.now(), reason="retention rule"),
    ),
    "exports.export": Case(
        Action.EXPORT_DATA, lambda c, a, s: exports.export(c, a, exports.ExportKind.CUSTOMERS, io.StringIO())
    ),
    "feedback.acknowledge_topic": Case(
        Action.CHANGE_FEEDBACK_BOARD, lambda c, a, s: feedback.acknowledge_topic(c, a, "parking")
    ),
    "feedback.mark_topic_acted_on": Case(
        Action.CHANGE_FEEDBACK_BOARD,
        lambda c, a, s: feedback.mark_topic_acted_on(c, a, "parking", "Marked out six more spaces"),
    ),
    "feedback.record_feedback": Case(
        R, lambda c, a, s: feedback.record_feedback(c, a, body="Lovely shop", customer_id=s.bob)
    ),
    "followups.add_callback": Case(R, lambda c, a, s: followups.add_callback(c, a, s.bob, about="delivery")),
    "followups.add_promise": Case(
        R,
        lambda c, a, s: followups.add_promise(
            c, a, s.bob, promise="Order the blue one", due_at=c.now() + timedelta(days=2)
        ),
    ),
    "status_updates.start_status_update": Case(
        R,
        lambda c, a, s: status_updates.start_status_update(
            c, a, s.bob, about="repair", channel=Channel.IN_PERSON, every_days=3
        ),
    ),
    "followups.cancel_followup": Case(
        Action.WORK_ON_FOLLOWUP,
        lambda c, a, s: followups.cancel_followup(c, a, s.followup, reason="came in"),
        sams,
    ),
    "followups.complete_followup": Case(
        Action.WORK_ON_FOLLOWUP,
        lambda c, a, s: followups.complete_followup(c, a, s.followup, what_was_done="Called him"),
        sams,
    ),
    "followup_snooze.reschedule_followup": Case(
        Action.WORK_ON_FOLLOWUP,
        lambda c, a, s: followup_snooze.reschedule_followup(c, a, s.followup, "tomorrow 12:00", "Part due"),
        sams,
    ),
    "outbox.complete_by_email": Case(
        Action.WORK_ON_FOLLOWUP,
        lambda c, a, s: outbox.complete_by_email(c, a, s.followup, what_was_done="Emailed him"),
        sams,
        despite=(InvalidInput,),  # a callback is not sent by email
    ),
    "mail_check.send_test": Case(
        Action.CHANGE_SHOP_SETTINGS,
        lambda c, a, s: mail_check.send_test(c, a, "dana@example.com"),
        despite=(InvalidInput,),  # the scene's shop has no mail server
    ),
    "handoffs.approve_handoff": Case(
        Action.DECIDE_HANDOFF, lambda c, a, s: handoffs.approve_handoff(c, a, s.request)
    ),
    "handoffs.cancel_handoff": Case(
        Action.WITHDRAW_HANDOFF, lambda c, a, s: handoffs.cancel_handoff(c, a, s.request), sams
    ),
    "handoffs.deny_handoff": Case(
        Action.DECIDE_HANDOFF, lambda c, a, s: handoffs.deny_handoff(c, a, s.request, "Busy day")
    ),
    "handoffs.reassign_visit": Case(
        Action.REASSIGN_VISIT,
        lambda c, a, s: handoffs.reassign_visit(
            c, a, s.visit, s.kim.staff_id or 0, "Sam went home", seen_owner_id=_owner(c, s.visit)
        ),
    ),
    "handoffs.request_handoff": Case(
        Action.REQUEST_HANDOFF,
        lambda c, a, s: handoffs.request_handoff(c, a, s.visit, s.kim.staff_id or 0, "my break"),
        sams_visit,
    ),
    "kudos.give_kudos": Case(
        Action.GIVE_KUDOS,
        lambda c, a, s: kudos.give_kudos(c, a, s.alex.staff_id or 0, "Stayed late to find the repair"),
        alex,
    ),
    "merge.merge_customers": Case(
        Action.MERGE_CUSTOMERS,
        lambda c, a, s: merge.merge_customers(c, a, merge.preview_merge(c, s.lead, s.bob, s.bob_again).seen),
    ),
    "merge_undo.undo_merge": Case(
        Action.UNDO_MERGE, lambda c, a, s: merge_undo.undo_merge(c, a, s.ann_merge, "wrong Ann")
    ),
    "presence.leave": Case(Action.VIEW, lambda c, a, s: presence.leave(c, a, s.visit)),
    "presence.touch": Case(Action.VIEW, lambda c, a, s: presence.touch(c, a, s.visit)),
    "reversals.reopen_visit": Case(
        Action.REOPEN_VISIT, lambda c, a, s: reversals.reopen_visit(c, a, s.ended, "ended by mistake")
    ),
    "reversals.restore_followup": Case(
        Action.RESTORE_FOLLOWUP,
        lambda c, a, s: reversals.restore_followup(c, a, s.cancelled, "cancelled by mistake"),
        sams,
    ),
    "retention.plan_retention": Case(Action.APPLY_RETENTION, lambda c, a, s: retention.plan_retention(c, a)),
    "retention.run_retention": Case(Action.APPLY_RETENTION, lambda c, a, s: retention.run_retention(c, a)),
    "reversals.undo_day_close": Case(
        Action.UNDO_DAY_CLOSE,
        lambda c, a, s: reversals.undo_day_close(c, a, _latest_close(c), "the storm passed"),
    ),
    "followup_oversight.reassign_followup": Case(
        Action.REASSIGN_FOLLOWUP,
        lambda c, a, s: followup_oversight.reassign_followup(
            c, a, s.followup, s.kim.staff_id or 0, "Sam is away"
        ),
    ),
    "sessions.sign_out": Case(
        Action.SIGN_OUT,
        lambda c, a, s: sessions.sign_out(c, a),
        despite=(Conflict,),  # Sam owns customers
    ),
    "customer_import.import_customers": Case(
        Action.IMPORT_CUSTOMERS,
        lambda c, a, s: customer_import.import_customers(c, a, ImportRequest(_export())),
    ),
    "shop_settings.add_holiday": Case(
        Action.CHANGE_SHOP_SETTINGS, lambda c, a, s: shop_settings.add_holiday(c, a, HOLIDAY)
    ),
    "shop_settings.change": Case(
        Action.CHANGE_SHOP_SETTINGS,
        lambda c, a, s: shop_settings.change(c, a, {"shop.hours.fri": "09:00-16:00"}),
    ),
    "shop_settings.remove_holiday": Case(
        Action.CHANGE_SHOP_SETTINGS,
        lambda c, a, s: (
            shop_settings.add_holiday(c, s.lead, HOLIDAY),
            shop_settings.remove_holiday(c, a, HOLIDAY),
        ),
    ),
    "shop_settings.set_hours": Case(
        Action.CHANGE_SHOP_SETTINGS, lambda c, a, s: shop_settings.set_hours(c, a, "fri", "09:00-16:00")
    ),
    "staff.add_staff": Case(Action.ADD_STAFF, lambda c, a, s: staff.add_staff(c, a, name="Jo", pin="6666")),
    "staff.clear_lockout": Case(Action.CLEAR_LOCKOUT, lambda c, a, s: staff.clear_lockout(c, a, name="Kim")),
    "staff.deactivate": Case(
        Action.DEACTIVATE_STAFF, lambda c, a, s: staff.deactivate(c, a, name="Alex"), alex
    ),
    "staff.reactivate": Case(Action.REACTIVATE_STAFF, lambda c, a, s: staff.reactivate(c, a, name="Lee")),
    "staff.set_pin": Case(Action.CHANGE_PIN, lambda c, a, s: staff.set_pin(c, a, name="Kim", pin="7777")),
    "subject_access.find_customer": Case(
        Action.SUBJECT_ACCESS,
        lambda c, a, s: subject_access.find_customer(c, a, email="nobody@example.com"),
        despite=(NotFound,),
    ),
    "subject_access.write_subject_access": Case(
        Action.SUBJECT_ACCESS, lambda c, a, s: subject_access.write_subject_access(c, a, s.bob)
    ),
    "visit_customer.add_customer_to_visit": Case(
        Action.WORK_ON_VISIT,
        lambda c, a, s: visit_customer.add_customer_to_visit(
            c, a, s.visit, name="Dee Park", phone="07700 900999"
        ),
        sams_visit,
    ),
    "visits.add_helper": Case(
        Action.ADD_HELPER, lambda c, a, s: visits.add_helper(c, a, s.visit, s.kim.staff_id or 0), sams_visit
    ),
    "visits.add_visit_note": Case(
        Action.WORK_ON_VISIT,
        lambda c, a, s: visits.add_visit_note(c, a, s.visit, "wants a quote"),
        sams_visit,
    ),
    "visit_customer.attach_customer": Case(
        Action.WORK_ON_VISIT, lambda c, a, s: visit_customer.attach_customer(c, a, s.visit, s.bob), sams_visit
    ),
    "visits.claim_visit": Case(Action.CLAIM_VISIT, lambda c, a, s: visits.claim_visit(c, a, s.unowned)),
    "visit_needs.clear_need": Case(
        Action.WORK_ON_VISIT,
        lambda c, a, s: visit_needs.clear_need(c, a, s.visit, NeedKind.PICKUP),
        sams_visit,
    ),
    "visits.end_visit": Case(
        Action.END_VISIT, lambda c, a, s: visits.end_visit(c, a, s.visit, Outcome.NO_PURCHASE), sams_visit
    ),
    "visits.end_visit:unowned left unserved": Case(
        Action.END_VISIT_UNSERVED, lambda c, a, s: visits.end_visit(c, a, s.unowned, Outcome.LEFT_UNSERVED)
    ),
    "visits.end_visit:unowned purchase": Case(
        Action.END_VISIT, lambda c, a, s: visits.end_visit(c, a, s.unowned, Outcome.PURCHASE)
    ),
    "visits.new_walk_in": Case(
        Action.START_VISIT, lambda c, a, s: visits.new_walk_in(c, a, customer_id=s.cara, claim=True)
    ),
    "visits.new_walk_in:check in": Case(
        Action.CHECK_IN,
        lambda c, a, s: visits.new_walk_in(c, a, description="Ann", needs=[NeedKind.NEEDS_HELP]),
    ),
    "visit_needs.set_need": Case(
        Action.WORK_ON_VISIT,
        lambda c, a, s: visit_needs.set_need(c, a, s.visit, NeedKind.NEEDS_HELP),
        sams_visit,
    ),
    "visit_customer.set_visit_preferences": Case(
        Action.WORK_ON_VISIT,
        lambda c, a, s: visit_customer.set_visit_preferences(c, a, s.visit, "oak, not pine"),
        sams_visit,
    ),
    "visit_needs.update_needs": Case(
        Action.WORK_ON_VISIT,
        lambda c, a, s: visit_needs.update_needs(
            c, a, s.visit, add=[NeedKind.LANGUAGE], clear=[NeedKind.PICKUP]
        ),
        sams_visit,
    ),
}
"""Every public service function that changes data, by name (a variant after ':')."""

READS = {
    "audit_redaction.events_mentioning",
    "audit_verify.verify_chain",
    "audit_views.audit_actions",
    "audit_views.audit_log",
    "outbox.preview",
    "mail_hold.held_back",
    "followups.queued_words",
    "changes.changes_since",
    "followup_snooze.due_history",
    "due_history.followup_due_history",
    "wait_quotes.quote_accuracy",
    "changes.latest_event_id",
    "changes.log_state",
    "closing.close_day_preview",
    "closing.closes_early",
    "closing.last_close_before",
    "customer_record.customer_detail",
    "customer_record.current_record",
    "customer_record.may_contact_words",
    "customers.customer_count",
    "end_of_day.end_of_day",
    "flagged_visits.flagged_visits",
    "customer_search.find_customers",
    "feedback.topic_board",
    "feedback.topic_feedback",
    "followups.followup",
    "followups.my_followups",
    "followups.status_update_due",
    "cadence.allowed_from",
    "cadence.held_sentence",
    "cadence.contact_words",
    "handoffs.pending_handoffs",
    "kudos.thanks_wall",
    "merge.preview_merge",
    "merge_undo.undoable_merges",
    "notices.notices_for",
    "notices.passed_while_away",
    "presence.fresh_lookers",
    "presence.lookers",
    "reversals.cancelled_today",
    "sessions.signed_in_terminals",
    "reversals.undoable_close",
    "floor_health.escalations",
    "floor_health.floor_health",
    "followup_oversight.followup_oversight",
    "handoff_log.handoff_log",
    "followup_oversight.unreturned_calls",
    "scorecard.period_scorecard",
    "shop_settings.current",
    "shop_settings.listing",
    "scorecard.scorecard_overview",
    "scorecard.trend",
    "staff.has_active_lead",
    "staff.list_staff",
    "staff.open_work",
    "staff.staff_overview",
    "visit_views.check_can_sign_out",
    "floor_changes.floor_catch_up",
    "floor_changes.floor_patch",
    "floor_changes.whole_board",
    "followup_changes.followup_patch",
    "followup_changes.whole_list",
    "followups.grouped",
    "closing.hours_said",
    "staff.check_pin_ahead",
    "visit_views.floor_board",
    "visit_views.open_visits_owned_by",
    "visit_views.visit_detail",
}
"""Public service functions that change nothing (so refusing them protects no data)."""

NOT_ACTOR_BASED = {
    "backup.usable_backup": "reads only the file named, before a lead is asked for",
    "closing.close_day_if_due": "housekeeping after closing time, from any terminal",
    "kiosk.check_in": "the kiosk's own call: new_walk_in as the kiosk (Action.CHECK_IN)",
    "kiosk.unlock": "a lead's PIN is the permission",
    "kiosk.record_exit": "records the exit of the lead whose PIN unlocked the kiosk",
    "sessions.close_terminal": "a lead's PIN is the permission",
    "sessions.heartbeat": "the app's own beat, for whom a PIN signed in at it",
    "sessions.app_stopped": "the app's own exit, taking itself off the running apps",
    "shop_settings.import_if_empty": "a shop's first terminal start keeps its file's settings",
    "staff.sign_in": "the PIN is the permission",
    "staff.authorise_command": "a lead's PIN is the permission",
    "mail_sender.deliver_pending": "the system delivers what staff queued (each allowed when written)",
    "trend_quarters.trend_quarters": "derived sums the system keeps; scorecard.trend checks the lead first",
}
"""Changes made on the strength of a PIN or by the system, not by a signed-in actor."""


def public_service_functions() -> set[str]:
    """`module.function` of every public function in `counter_tui.services` that takes
    the shop context first (the entry points screens and the CLI call)."""
    found = set()
    for info in pkgutil.iter_modules(services_package.__path__):
        module = importlib.import_module(f"counter_tui.services.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters[:1] == ["ctx"]:
                found.add(f"{info.name}.{name}")
    return found


def test_every_service_function_is_in_the_table() -> None:
    mutating = {name.split(":")[0] for name in CASES}
    assert not mutating & READS
    assert public_service_functions() == mutating | READS | set(NOT_ACTOR_BASED)


PEOPLE: dict[str, Callable[[Scene], Actor]] = {
    "lead": lambda s: s.lead,
    "owner": lambda s: s.sam,
    "helper": lambda s: s.alex,
    "another associate": lambda s: s.kim,
    "kiosk": lambda s: Actor.kiosk("door"),
}


@pytest.fixture(scope="module")
def scene_shop(tmp_path_factory: pytest.TempPathFactory, template_shop: Path) -> tuple[Path, Scene]:
    """The scene, built once for the module (at Friday 11:00, like the `clock` fixture):
    the database file holding it, for each test to copy, and its ids."""
    path = tmp_path_factory.mktemp("scene") / "counter.sqlite3"
    shutil.copy(template_shop, path)
    shop = open_shop(make_settings(f"sqlite:///{path}"), clock=ManualClock(FRIDAY_11AM), migrate=False)
    try:
        scene = build_scene(shop, make_team(shop))
    finally:
        shop.database.dispose()
    return path, scene


@pytest.fixture
def scene_ctx(scene_shop: tuple[Path, Scene], database_url: str, clock: ManualClock) -> Iterator[ShopContext]:
    """A fresh copy of the scene's shop for one test (each call changes it), on this test's
    database file and clock: building the scene anew for each of the ~340 calls took most
    of this module's time."""
    path = sqlite_path(database_url)
    assert path is not None
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copy(scene_shop[0], path)
    shop = open_shop(make_settings(database_url), clock=clock, migrate=False)
    yield shop
    shop.database.dispose()


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize("name", list(CASES))
def test_each_call_refuses_or_allows_as_the_permissions_say(
    scene_ctx: ShopContext, scene_shop: tuple[Path, Scene], name: str, who: str
) -> None:
    ctx = scene_ctx
    case = CASES[name]
    scene = scene_shop[1]
    actor = PEOPLE[who](scene)
    refused = permissions.refusal(actor, case.action, case.target(ctx, scene))
    if refused is None:
        try:
            case.call(ctx, actor, scene)
        except case.despite as state:
            assert not isinstance(state, NotAllowed | AlreadyOwned), state
    else:
        with pytest.raises(refused.kind) as caught:
            case.call(ctx, actor, scene)
        assert str(caught.value) == refused.sentence
