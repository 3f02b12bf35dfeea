"""The shop's email templates (issue 11): one per kind a follow-up can send (thank-you,
promise kept, status update, feedback acted on), kept as shop settings a lead changes
(audited); only the documented placeholders are accepted, refused with one sentence at
save time otherwise, and a customer's or owner's text is never read as a placeholder."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from counter_tui.db.models import Channel
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.mail_templates import PLACEHOLDERS, fill
from counter_tui.services import customers, feedback, followups, outbox, shop_settings, status_updates
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.mail_server import LINE, thank_you
from tests.unit.conftest import AuditLog


def _emailable(ctx: ShopContext, team: Team, name: str = "Bob Jones") -> int:
    customer = customers.create_customer(ctx, team.sam, name=name, email="bob@example.com")
    customers.record_consent(ctx, team.sam, customer, Channel.EMAIL, granted=True, source="counter")
    return customer


def test_each_kind_is_written_from_its_own_template_signed_by_its_owner(
    mail_shop: ShopContext, team: Team
) -> None:
    bob = _emailable(mail_shop, team)
    thanks = outbox.preview(mail_shop, team.sam, thank_you(mail_shop, team, bob), personal_line=LINE)
    promise_id = followups.add_promise(
        mail_shop, team.sam, bob, promise="order the blue kettle", due_at=mail_shop.now() + timedelta(days=2)
    )
    promise = outbox.preview(mail_shop, team.sam, promise_id, what_was_done="It is in; collect any time.")
    update_id = status_updates.start_status_update(
        mail_shop, team.sam, bob, about="the watch repair", channel=Channel.EMAIL, every_days=3
    )
    update = outbox.preview(mail_shop, team.sam, update_id, what_was_done="The new crown arrives Tuesday.")
    feedback.record_feedback(mail_shop, team.sam, body="Nowhere to park", customer_id=bob, topics=["parking"])
    [acted_id] = feedback.mark_topic_acted_on(mail_shop, team.lead, "parking", "Ten new spaces").followup_ids
    acted = outbox.preview(mail_shop, team.sam, acted_id, what_was_done="Ten spaces behind the shop.")

    assert (thanks.subject, thanks.body) == (
        "Thank you from Test Shop",
        f"Thank you for visiting Test Shop, Bob.\n\n{LINE}\n\nSam\nTest Shop\n",
    )
    assert (promise.subject, promise.body) == (
        "Test Shop: done, order the blue kettle",
        "Hello Bob, as promised: order the blue kettle\n\nIt is in; collect any time.\n\nSam\nTest Shop\n",
    )
    assert update.subject == "Test Shop: an update on the watch repair"
    assert update.body.startswith("Hello Bob, here is where things stand with the watch repair:\n\n")
    assert acted.subject == "Test Shop: we acted on your feedback"
    assert "We acted on your feedback about 'parking': Ten new spaces" in acted.body
    assert acted.body.endswith("Ten spaces behind the shop.\n\nSam\nTest Shop\n")


def test_a_lead_changes_a_template_audited_and_the_next_message_uses_it(
    mail_shop: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    shop_settings.change(
        mail_shop,
        team.lead,
        {
            "mail.templates.thank_you.subject": "{customer_first_name}, thanks from {owner_name}",
            "mail.templates.thank_you.opening": "Lovely to see you, {customer_name}. {{Braces}} stay.",
        },
    )
    bob = _emailable(mail_shop, team)
    shown = outbox.preview(mail_shop, team.sam, thank_you(mail_shop, team, bob), personal_line=LINE)

    assert shown.subject == "Bob, thanks from Sam"
    assert shown.body.startswith("Lovely to see you, Bob Jones. {Braces} stay.\n\n")
    [event] = audit_log("shop_settings.changed")
    assert "mail.templates.thank_you.subject" in event.details


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("Hello {first_name}", "{first_name} is not a placeholder; use {customer_first_name}"),
        ("Hi {customer_name.__class__}", "{customer_name.__class__} is not a placeholder"),
        ("Hi {shop_name!r}", "{shop_name!r} is not a placeholder: write {shop_name}, with nothing after"),
        ("Hi {shop_name:>20}", "{shop_name:>20} is not a placeholder: write {shop_name}, with nothing after"),
        ("Hi {0}", "{0} is not a placeholder"),
        ("Hi {shop_name", "a brace is not closed; write {{ or }} for a brace itself"),
    ],
)
def test_an_unknown_placeholder_is_refused_at_save_with_one_sentence(
    mail_shop: ShopContext, team: Team, typed: str, sentence: str
) -> None:
    key = "mail.templates.promise_done.opening"
    with pytest.raises(InvalidInput, match="^" + key.replace(".", r"\.")) as refused:
        shop_settings.change(mail_shop, team.lead, {key: typed})
    assert sentence in str(refused.value) and refused.value.field == key
    assert mail_shop.refresh_rules().mail.templates.promise_done.opening.startswith("Hello {customer_first")


def test_only_a_lead_changes_templates(mail_shop: ShopContext, team: Team) -> None:
    with pytest.raises(NotAllowed):
        shop_settings.change(mail_shop, team.sam, {"mail.templates.thank_you.subject": "Hi"})


def test_hostile_names_are_text_not_placeholders_or_headers(mail_shop: ShopContext, team: Team) -> None:
    bob = _emailable(mail_shop, team, name="{shop_name}\x1b]0;x\x07 [/] {x.__class__}")
    shown = outbox.preview(mail_shop, team.sam, thank_you(mail_shop, team, bob), personal_line=LINE)

    assert "\x1b" not in shown.body and "\x07" not in shown.body
    assert shown.body.startswith("Thank you for visiting Test Shop, {shop_name}]0;x")
    assert "\n" not in shown.subject


def test_every_placeholder_is_filled_and_documented() -> None:
    values = {name: f"<{name}>" for name in PLACEHOLDERS}
    assert fill(" ".join(f"{{{name}}}" for name in PLACEHOLDERS), values) == " ".join(values.values())
    readme = Path("README.md").read_text(encoding="utf-8")
    assert all(f"`{{{name}}}`" in readme for name in PLACEHOLDERS)


def test_the_default_thank_you_is_true_whenever_it_is_sent(mail_shop: ShopContext, team: Team) -> None:
    # A thank-you may go days after the visit: the opening must not say "today".
    bob = _emailable(mail_shop, team)
    followup_id = thank_you(mail_shop, team, bob)
    shown = outbox.preview(mail_shop, team.sam, followup_id, personal_line=LINE)
    assert shown.body.startswith("Thank you for visiting Test Shop, Bob.")
    assert "today" not in shown.body
