"""Mail settings (issue 11, email from the counter): the SMTP server, its security, the
user, sender and reply-to are shop-wide settings a lead changes like any other, checked
and audited; the password is never a setting, it comes from the sending process's
environment."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from counter_tui.db.models import AuditEvent, ShopSetting
from counter_tui.errors import InvalidInput
from counter_tui.mail_settings import PASSWORD_ENV, smtp_password
from counter_tui.services import shop_settings
from counter_tui.services.context import ShopContext
from tests.conftest import Team


def test_a_lead_sets_the_mail_server_and_every_terminal_reads_it(ctx: ShopContext, team: Team) -> None:
    shop_settings.change(
        ctx,
        team.lead,
        {
            "mail.host": "smtp.example.com",
            "mail.port": "465",
            "mail.security": "tls",
            "mail.user": "counter",
            "mail.sender": "shop@example.com",
            "mail.reply_to": "Dana <dana@example.com>",
        },
    )

    mail = ctx.refresh_rules().mail
    assert (mail.host, mail.port, mail.security, mail.user) == ("smtp.example.com", 465, "tls", "counter")
    assert (mail.sender, mail.reply_to) == ("shop@example.com", "Dana <dana@example.com>")
    assert mail.configured


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("mail.security", "ssl", "mail.security"),
        ("mail.port", "0", "mail.port"),
        ("mail.sender", "not an address", "email address"),
        ("mail.host", "[@click=app.quit]x[/] 🙂", "server's name"),
        ("mail.host", "smtp example com", "server's name"),
        ("mail.host", "smtp://mail.example.com", "server's name"),
    ],
)
def test_a_wrong_mail_setting_is_refused_beside_its_field(
    ctx: ShopContext, team: Team, key: str, value: str, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says) as refused:
        shop_settings.change(ctx, team.lead, {key: value})

    assert refused.value.field == key


@pytest.mark.parametrize("host", ["smtp.example.com", "127.0.0.1", "localhost", "::1", "mail-2.shop.co.uk"])
def test_a_server_name_or_address_is_accepted(ctx: ShopContext, team: Team, host: str) -> None:
    assert shop_settings.change(ctx, team.lead, {"mail.host": host}).rules.mail.host == host


def test_the_password_is_not_a_setting_and_comes_only_from_the_environment(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "s3cret-from-env")
    with pytest.raises(InvalidInput, match="not a shop setting"):
        shop_settings.change(ctx, team.lead, {"mail.password": "s3cret-typed"})
    shop_settings.change(ctx, team.lead, {"mail.user": "counter"})

    assert smtp_password() == "s3cret-from-env"
    with ctx.database.read() as session:
        stored = [row.value for row in session.exec(select(ShopSetting))]
        details = [json.dumps(event.details) for event in session.exec(select(AuditEvent))]
    assert not [text for text in stored + details if "s3cret" in text]


@pytest.mark.parametrize(
    ("key", "typed", "says"),
    [
        ("mail.sender", "x@y\\r\\nBcc: evil@example.com", "after the @-sign"),
        ("mail.reply_to", "Dana <d@example.com>\r\nBcc: e@x.com", "anything after the email address"),
        ("mail.reply_to", "dana@example.com, sam@example.com", "after the @-sign"),
        ("mail.sender", "Dana", "@-sign"),
    ],
)
def test_a_sender_or_reply_to_that_is_not_one_address_is_refused_with_what_is_wrong(
    ctx: ShopContext, team: Team, key: str, typed: str, says: str
) -> None:
    """These were kept and went out as `From: x@y\\r\\nBcc: …` and `Reply-To: Dana <…> Bcc: …`
    (typed line breaks become spaces): each is one address, checked as customers' are."""
    with pytest.raises(InvalidInput, match="write one email address") as refused:
        shop_settings.change(ctx, team.lead, {key: typed})

    assert says in str(refused.value)
    assert refused.value.field == key
    assert len(str(refused.value).splitlines()) == 1
    assert getattr(shop_settings.current(ctx).mail, key.removeprefix("mail.")) == ""


@pytest.mark.parametrize(
    "typed", ["shop@example.com", "Dana <dana@example.com>", '"Smith, Dana" <dana@example.com>', ""]
)
def test_an_address_with_or_without_a_name_is_accepted(ctx: ShopContext, team: Team, typed: str) -> None:
    rules = shop_settings.change(ctx, team.lead, {"mail.sender": typed, "mail.reply_to": typed}).rules

    assert (rules.mail.sender, rules.mail.reply_to) == (typed, typed)
