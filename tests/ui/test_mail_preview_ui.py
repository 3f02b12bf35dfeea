"""Completing a follow-up by email from My follow-ups (issue 11), by keys: the dialog
offers "send it by email", Enter shows the message as the customer will get it, and a
second Enter completes the thank-you and puts the email in the outbox, which the app's
own sender then delivers to the local SMTP server started by the test, with no command
run; the same for a promise kept, a status update and feedback acted on, each from its
own template. Esc at the preview completes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

from counter_tui.db.models import Channel, FollowUp, OutboxMessage, OutboxStatus
from counter_tui.services import customers, feedback, followups, status_updates
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.complete_followup import CompleteFollowUpDialog
from counter_tui.ui.dialogs.mail_preview import MailPreviewDialog
from tests.conftest import Team
from tests.mail_server import LINE, LocalSmtp, queue_thank_you_email, thank_you
from tests.ui.staff_pilot import (
    SIZE,
    StaffApp,
    burst,
    plain,
    quick_sign_in,
    screen_text,
    settle,
    table_rows,
    type_text,
)


def _bob_agreed_to_email(ctx: ShopContext, team: Team) -> int:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", email="bob@example.com")
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    return thank_you(ctx, team, bob)


def _stored(ctx: ShopContext) -> tuple[list[FollowUp], list[OutboxMessage]]:
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp))), list(session.exec(select(OutboxMessage)))


async def _open_check_off(pilot: Pilot[None], app: StaffApp) -> CompleteFollowUpDialog:
    """Sam signs in, opens My follow-ups and checks off the first: its dialog."""
    await quick_sign_in(pilot, "sam", "2222")
    await pilot.press("f")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, CompleteFollowUpDialog)
    return dialog


async def _fill_in_and_preview(pilot: Pilot[None], app: StaffApp) -> MailPreviewDialog:
    await _open_check_off(pilot, app)
    await type_text(pilot, LINE)
    await pilot.press("tab")
    await type_text(pilot, "Emailed the thank-you")
    await pilot.press("enter")
    await settle(pilot)
    preview = app.screen
    assert isinstance(preview, MailPreviewDialog)
    return preview


async def test_preview_then_send_puts_the_email_in_the_outbox_and_the_app_delivers_it(
    mail_shop: ShopContext, team: Team, smtp_server: LocalSmtp
) -> None:
    followup_id = _bob_agreed_to_email(mail_shop, team)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        preview = await _fill_in_and_preview(pilot, app)
        shown = [plain(widget.visual) for widget in preview.query(Static)]
        assert "To: bob@example.com" in shown and "Subject: Thank you from Test Shop" in shown
        assert "Thank you for visiting Test Shop, Bob." in shown and LINE in shown
        assert _stored(mail_shop)[1] == []

        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MailPreviewDialog)
        assert app.messages[-1] == "Checked off; the email is on its way."

    [followup], [message] = _stored(mail_shop)
    assert (followup.id, followup.status, followup.personal_line) == (followup_id, "done", LINE)
    assert (message.followup_id, message.status, message.attempts) == (followup_id, OutboxStatus.SENT, 1)
    (got,) = smtp_server.received
    assert LINE in got.body and got.message_id == message.message_id


async def test_esc_at_the_preview_completes_nothing(mail_shop: ShopContext, team: Team) -> None:
    _bob_agreed_to_email(mail_shop, team)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        await _fill_in_and_preview(pilot, app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MailPreviewDialog)

    [followup], messages = _stored(mail_shop)
    assert (followup.status, messages) == ("open", [])


HOSTILE_DONE = "Emailed her [/] [@click=app.quit]x[/] \u202eevil 🎉"
DONE_KEPT = HOSTILE_DONE.replace("\u202e", "")  # the field drops bidi controls as they are typed


async def test_esc_at_the_preview_goes_back_to_the_dialog_with_everything_typed(
    mail_shop: ShopContext, team: Team, smtp_server: LocalSmtp
) -> None:
    """Found by keys at 80×24: f, Enter on an email thank-you, " EDITED" added to the
    personal line, Tab, "Emailed her", Enter: the preview said "Esc goes back", but Esc
    went back to the list, and Enter there opened the dialog again with the old personal
    line and an empty "What did you do?". Now Esc returns to the dialog as it was left,
    the next Enter shows the edited email, and sending it stores what was typed."""
    followup_id = _bob_agreed_to_email(mail_shop, team)
    app = StaffApp(mail_shop)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_check_off(pilot, app)
        await type_text(pilot, LINE + " EDITED")
        await pilot.press("tab")
        await burst(pilot, HOSTILE_DONE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MailPreviewDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#personal", Input).value == LINE + " EDITED"
        assert dialog.query_one("#done", Input).value == DONE_KEPT
        assert app.focused is dialog.query_one("#done", Input)
        assert not dialog.saving and "Saving" not in screen_text(dialog)
        assert _stored(mail_shop) == ([_stored(mail_shop)[0][0]], [])
        assert _stored(mail_shop)[0][0].status == "open"

        await pilot.press("shift+tab", "end")
        await type_text(pilot, "!")
        await pilot.press("enter")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, MailPreviewDialog)
        assert LINE + " EDITED!" in [plain(widget.visual) for widget in preview.query(Static)]
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MailPreviewDialog | CompleteFollowUpDialog)
        assert app.messages[-1] == "Checked off; the email is on its way."

    [followup], [message] = _stored(mail_shop)
    assert (followup.id, followup.status) == (followup_id, "done")
    assert followup.personal_line == LINE + " EDITED!"
    assert followup.outcome_note == DONE_KEPT
    assert message.followup_id == followup_id


async def test_the_owner_sees_why_an_email_did_not_go(
    mail_shop: ShopContext, team: Team, smtp_server: LocalSmtp
) -> None:
    smtp_server.mode = "refuse"
    _bob_agreed_to_email(mail_shop, team)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        preview = await _fill_in_and_preview(pilot, app)
        await pilot.press("enter")
        await settle(pilot)
        assert _stored(mail_shop)[1][0].status == OutboxStatus.FAILED  # the app's sender tried it
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        rows = table_rows(app.screen.query_one(DataTable))
        assert rows[-1][2:4] == ["Bob Jones", "email"]
        assert rows[-1][4].startswith("Email not sent: The mail server refused the message: 550")
        assert preview is not app.screen


async def test_email_waiting_when_the_app_starts_is_sent_without_anyone_asking(
    mail_shop: ShopContext, team: Team, smtp_server: LocalSmtp
) -> None:
    bob = customers.create_customer(mail_shop, team.sam, name="Bob Jones", email="bob@example.com")
    queue_thank_you_email(mail_shop, team, bob)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [message.status for message in _stored(mail_shop)[1]] == [OutboxStatus.SENT]
    assert [got.to for got in smtp_server.received] == [["bob@example.com"]]


def _promise(ctx: ShopContext, team: Team, bob: int) -> int:
    return followups.add_promise(
        ctx,
        team.sam,
        bob,
        promise="order the blue kettle",
        due_at=ctx.now() + timedelta(days=2),
        channel="email",
    )


def _status_update(ctx: ShopContext, team: Team, bob: int) -> int:
    return status_updates.start_status_update(
        ctx, team.sam, bob, about="the watch repair", channel=Channel.EMAIL, every_days=3
    )


def _feedback_acted_on(ctx: ShopContext, team: Team, bob: int) -> int:
    feedback.record_feedback(ctx, team.sam, body="Nowhere to park", customer_id=bob, topics=["parking"])
    [followup_id] = feedback.mark_topic_acted_on(ctx, team.lead, "parking", "Ten new spaces").followup_ids
    return followup_id


@pytest.mark.parametrize(
    ("queue", "subject"),
    [
        (_promise, "Test Shop: done, order the blue kettle"),
        (_status_update, "Test Shop: an update on the watch repair"),
        (_feedback_acted_on, "Test Shop: we acted on your feedback"),
    ],
    ids=["promise", "status_update", "feedback_acted_on"],
)
async def test_each_kind_goes_from_preview_to_the_outbox_to_sent(
    mail_shop: ShopContext,
    team: Team,
    smtp_server: LocalSmtp,
    queue: Callable[[ShopContext, Team, int], int],
    subject: str,
) -> None:
    bob = customers.create_customer(mail_shop, team.sam, name="Bob Jones", email="bob@example.com")
    customers.record_consent(mail_shop, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    followup_id = queue(mail_shop, team, bob)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        await _open_check_off(pilot, app)
        await type_text(pilot, "All sorted, come by any time.")
        await pilot.press("enter")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, MailPreviewDialog)
        assert f"Subject: {subject}" in [plain(widget.visual) for widget in preview.query(Static)]
        await pilot.press("enter")
        await settle(pilot)

    followups_stored, [message] = _stored(mail_shop)
    done = next(row for row in followups_stored if row.id == followup_id)
    assert (done.status, message.followup_id, message.status) == ("done", followup_id, OutboxStatus.SENT)
    (got,) = smtp_server.received
    assert got.headers["Subject"] == subject and "All sorted, come by any time." in got.body


async def test_within_the_contact_cadence_the_email_is_refused_beside_the_form_and_nothing_is_sent(
    mail_shop: ShopContext, team: Team, smtp_server: LocalSmtp
) -> None:
    followup_id = _bob_agreed_to_email(mail_shop, team)
    bob = _stored(mail_shop)[0][0].customer_id
    told = followups.add_promise(
        mail_shop, team.sam, bob, promise="ring about the kettle", due_at=mail_shop.now() + timedelta(hours=1)
    )
    followups.complete_followup(mail_shop, team.sam, told, what_was_done="Rang him", customer_informed=True)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_check_off(pilot, app)
        await type_text(pilot, LINE)
        await pilot.press("tab")
        await type_text(pilot, "Emailed the thank-you")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog  # refused in place, what was typed kept
        shown = " ".join(plain(widget.visual) for widget in dialog.query(Static))
        assert "Bob Jones was contacted on Fri 20 Nov in person (promise)" in shown
        assert "Snooze it until then, or cancel it." in shown

    stored_followups, messages = _stored(mail_shop)
    thanks = next(row for row in stored_followups if row.id == followup_id)
    assert (thanks.status, messages, smtp_server.received) == ("open", [], [])


async def test_the_field_says_its_words_are_the_email_when_it_goes_by_email(
    mail_shop: ShopContext, team: Team
) -> None:
    """What the owner types becomes the email's body (for every kind but a thank-you), so
    the field asks for words to the customer while "send it by email" is ticked, and for
    the record of what was done once it is unticked (a tester's customer received "Told
    her the crown is ordered")."""
    bob = customers.create_customer(mail_shop, team.sam, name="Bob Jones", email="bob@example.com")
    customers.record_consent(mail_shop, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    _status_update(mail_shop, team, bob)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_check_off(pilot, app)
        label = dialog.query_one("#done-label", Label)
        assert plain(label.visual).startswith("What to tell them")
        await pilot.press("tab", "tab", "space")
        await settle(pilot)
        assert plain(label.visual) == "What did you do?"


async def test_an_email_left_unsent_asks_how_it_reached_them_and_records_that(
    ctx: ShopContext, team: Team
) -> None:
    """Unticking the email asks how the thank-you reached Bob instead; Enter without an
    answer is refused, and the answer (in person) is what is kept, not "by email"."""
    followup_id = _bob_agreed_to_email(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_check_off(pilot, app)
        await type_text(pilot, LINE)
        await pilot.press("tab")
        await type_text(pilot, "Told him at the till")
        await pilot.press("tab", "space", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "Choose how it reached them" in "\n".join(plain(s.visual) for s in dialog.query(Static))
        assert app.focused is dialog.query_one("#reached-by")
        await pilot.press("space", "enter")
        await settle(pilot)
        assert app.screen is not dialog

    [followup], messages = _stored(ctx)
    assert (followup.id, followup.status, followup.channel, messages) == (
        followup_id,
        "done",
        "in_person",
        [],
    )


async def test_no_mail_server_is_said_beside_the_email_tick_and_goes_when_it_changes(
    ctx: ShopContext, team: Team
) -> None:
    """Without a mail server, saving with "send it by email" ticked is refused beside that
    tick (not in the foot, far from it); changing the tick takes the sentence away, and
    neither unticking nor ticking again brings it back. The failed save leaves the order
    Tab goes through the fields as it was."""
    _bob_agreed_to_email(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_check_off(pilot, app)
        order = [widget.id for widget in dialog.focus_chain]
        await type_text(pilot, LINE)
        await pilot.press("tab")
        await type_text(pilot, "Emailed the thank-you")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        beside = dialog.query_one("#by-email-error", Static)
        assert beside.display and plain(beside.visual).startswith("The shop has no mail server yet")
        assert not dialog.query_one(".dialog-error", Static).display
        assert [widget.id for widget in dialog.focus_chain] == order
        assert app.focused is dialog.query_one("#by-email")

        await pilot.press("space")  # unticked: asks how it reached them instead
        await settle(pilot)
        assert not beside.display
        assert "no mail server" not in " ".join(plain(s.visual) for s in dialog.query(Static) if s.display)
        await pilot.press("space")
        await settle(pilot)
        assert not beside.display
        assert "no mail server" not in " ".join(plain(s.visual) for s in dialog.query(Static) if s.display)
        assert [widget.id for widget in dialog.focus_chain] == order


async def test_a_refusal_at_the_preview_about_the_dialog_under_it_is_shown_there_beside_its_field(
    mail_shop: ShopContext, team: Team
) -> None:
    """While the preview is open, another till takes Bob's email address off his record;
    Enter at the preview is refused about the email tick, which is in the dialog under it:
    the preview goes, and the dialog shows the sentence beside the tick, which has the
    focus, with everything typed still there. Nothing is checked off or queued."""
    followup_id = _bob_agreed_to_email(mail_shop, team)
    customer_id = _stored(mail_shop)[0][0].customer_id
    app = StaffApp(mail_shop)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_check_off(pilot, app)
        await type_text(pilot, LINE)
        await pilot.press("tab")
        await type_text(pilot, "Emailed the thank-you")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MailPreviewDialog)
        customers.update_contact(mail_shop, team.lead, customer_id, name="Bob Jones", phone="", email="")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        tick = dialog.query_one("#by-email")
        assert app.focused is tick and tick.has_class("-refused")
        said = plain(dialog.query_one("#by-email-error", Static).visual)
        assert said == "Bob Jones has no email address on file. Add one first."
        assert dialog.query_one("#personal", Input).value == LINE
        assert dialog.query_one("#done", Input).value == "Emailed the thank-you"

    [followup], messages = _stored(mail_shop)
    assert (followup.id, followup.status, messages) == (followup_id, "open", [])


async def test_during_an_outage_the_preview_my_follow_ups_and_the_app_say_email_is_held_back(
    mail_shop: ShopContext, team: Team
) -> None:
    """The app's sender found no server; the email checked off waits with the others, and
    the person is told so at the preview, after sending, and at the top of My follow-ups."""
    from counter_tui.services import mail_sender
    from tests.conftest import set_shop_rules
    from tests.mail_server import unused_port

    bob = customers.create_customer(mail_shop, team.sam, name="Ann Lee", email="ann@example.com")
    queue_thank_you_email(mail_shop, team, bob)
    set_shop_rules(mail_shop, {"mail.port": unused_port()})
    mail_sender.deliver_pending(mail_shop, timeout=5)
    _bob_agreed_to_email(mail_shop, team)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        preview = await _fill_in_and_preview(pilot, app)
        held = plain(preview.query_one("#mail-held-back", Static).visual)
        assert held.startswith(
            "Email is held back since Fri 20 Nov, 11:00: the mail server could not be reached"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == f"Checked off. {held}"
        summary = plain(app.screen.query_one("#followups-summary", Static).visual)
        assert summary.splitlines()[1] == (
            "Email held back since Fri 20 Nov, 11:00: the mail server could not be reached "
            "(ConnectionRefusedError). 2 emails wait, both yours, and go once the server answers. "
            "Tell a shift lead."
        )
    assert [m.attempts for m in _stored(mail_shop)[1]] == [0, 0]
