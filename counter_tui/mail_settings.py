"""The shop's outgoing mail server (`mail.*` shop settings) and where its password comes from.

The server, its security, the user and the addresses are shop-wide, so every terminal
sends the same way; the password is not a setting at all: it is read from the
environment (`COUNTER_TUI_SMTP_PASSWORD`) of the process that sends, so it never
reaches the database, an audit event, an export or a log line.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, field_validator

from counter_tui.config import SettingText, StrictModel
from counter_tui.mail_templates import MailTemplates

PASSWORD_ENV = "COUNTER_TUI_SMTP_PASSWORD"

Security = Literal["none", "starttls", "tls"]


class MailRules(StrictModel):
    """How the counter sends email to customers who agreed to it."""

    host: str = Field("", max_length=200, description="The SMTP server's name (empty: email is off).")
    port: int = Field(587, ge=1, le=65535, description="The SMTP server's port (587 STARTTLS, 465 TLS).")
    security: Security = Field(
        "starttls",
        description="none, starttls (upgrade after connecting) or tls (encrypted from the start).",
    )
    user: SettingText = Field(
        "", max_length=200, description=f"The SMTP user name; the password comes from env {PASSWORD_ENV}."
    )
    sender: SettingText = Field("", max_length=200, description="The From address, e.g. shop@example.com.")
    reply_to: SettingText = Field(
        "", max_length=200, description="Where replies go, e.g. the owner's name at the shop's address."
    )
    templates: MailTemplates = Field(
        default_factory=MailTemplates,
        description="The subject and opening of each kind of email; see README for the placeholders.",
    )

    @field_validator("host")
    @classmethod
    def _a_server(cls, value: str) -> str:
        """A host name (letters, digits, dots and hyphens) or an IP address, or nothing."""
        import ipaddress
        import re

        value = value.strip()
        if not value:
            return value
        try:
            ipaddress.ip_address(value)
        except ValueError:
            label = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            if not re.fullmatch(rf"{label}(?:\.{label})*", value):
                raise ValueError(
                    "write the mail server's name or address only, e.g. smtp.example.com or 127.0.0.1"
                ) from None
        return value

    @field_validator("sender", "reply_to")
    @classmethod
    def _an_address(cls, value: str) -> str:
        """One address, optionally with a name (`Dana <dana@example.com>`), or nothing;
        checked by email-validator as customers' addresses are, so that what goes into
        the From and Reply-To headers is an address a server accepts and never two."""
        from email_validator import EmailNotValidError, validate_email

        if not value:
            return value
        try:
            validate_email(value, check_deliverability=False, allow_display_name=True, allow_smtputf8=False)
        except EmailNotValidError as error:
            reason = str(error).rstrip(".")
            raise ValueError(
                f"{reason[:1].lower()}{reason[1:]}; write one email address, e.g. shop@example.com "
                "or Dana <dana@example.com>"
            ) from None
        return value

    @property
    def configured(self) -> bool:
        """Whether a server and sender are set (otherwise nothing can be sent)."""
        return bool(self.host and self.sender)

    @property
    def unset_sentence(self) -> str:
        """What keeps email from going while not `configured`, and how a lead sets it."""
        if not self.host and not self.sender:
            return (
                "The shop has no mail server (mail.host and mail.sender are empty). A shift lead "
                "sets them with: counter-tui shop set mail.host SERVER, and mail.sender."
            )
        if not self.host:
            return (
                "The shop has no mail server (mail.host is empty). A shift lead sets it with: "
                "counter-tui shop set mail.host SERVER."
            )
        return (
            "The shop has no sender address (mail.sender is empty). A shift lead sets it with: "
            "counter-tui shop set mail.sender ADDRESS."
        )


def smtp_password() -> str:
    """The SMTP password from the sending process's environment ("" when not set)."""
    return os.environ.get(PASSWORD_ENV, "")
