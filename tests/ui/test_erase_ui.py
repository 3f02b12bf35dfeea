"""A shift lead erases a customer's personal data from the customer view, giving the
reason; associates are not offered the key."""

from __future__ import annotations

from textual.widgets import Label

from counter_tui.db.models import OutboxMessage, OutboxStatus
from counter_tui.services import customers, mail_sender
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from tests.conftest import Team, set_shop_rules
from tests.mail_server import LocalSmtp, queue_thank_you_email
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, quick_sign_in, settle, type_text


async def test_a_lead_erases_a_customer_with_a_reason(ctx: ShopContext, team: Team) -> None:
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        screen = await open_record(pilot, ada)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await pilot.press("enter")  # no reason yet: refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "asked by email on 3 Nov")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not screen
        assert app.messages[-1] == "Personal data erased."
    assert customers.find_customers(ctx, "ada").items == ()


async def test_the_erase_dialog_says_queued_emails_will_not_be_sent_and_none_is(
    mail_shop: ShopContext, team: Team, smtp_server: LocalSmtp
) -> None:
    joan = customers.create_customer(mail_shop, team.sam, name="Joan Park", email="joan@example.com")
    _, message_id = queue_thank_you_email(mail_shop, team, joan)
    set_shop_rules(mail_shop, {"mail.host": ""})  # it waits in the outbox (no terminal sends it)
    app = StaffApp(mail_shop)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await open_record(pilot, joan)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        prompt = " ".join(str(label.render()) for label in app.screen.query(Label))
        assert "Queued emails to them will not be sent." in prompt
        await type_text(pilot, "asked by email on 3 Nov")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Personal data erased."
    with mail_shop.database.read() as session:
        queued = session.get(OutboxMessage, message_id)
        assert queued is not None and (queued.status, queued.to_address) == (OutboxStatus.WITHDRAWN, "")
    set_shop_rules(mail_shop, {"mail.host": "127.0.0.1"})
    assert mail_sender.deliver_pending(mail_shop, timeout=5) == mail_sender.DeliveryRun(0, 0, 0)
    assert smtp_server.received == []


async def test_an_associate_is_not_offered_erasure(ctx: ShopContext, team: Team) -> None:
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        screen = await open_record(pilot, ada)
        await pilot.press("E")
        await settle(pilot)
        assert app.screen is screen
    assert [match.name for match in customers.find_customers(ctx, "ada").items] == ["Ada Lovelace"]
