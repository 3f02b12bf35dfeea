"""The shop's email templates, one per kind of message (`mail.templates.*` shop settings):
a subject and an opening paragraph with placeholders, filled in when a message is
written; the owner's own words and their signature follow the opening.

Only the placeholders listed in PLACEHOLDERS are accepted, written plainly
(`{shop_name}`); anything else in braces is refused with one sentence when a lead saves
the template, so a message never goes out with a hole in it. Filling is one pass over
the template (never `str.format`): a customer's name holding `{shop_name}` or
`{x.__class__}` is text, not a placeholder, and control characters are dropped.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from pydantic import Field, field_validator

from counter_tui.config import SettingText, StrictModel
from counter_tui.text import clean_text

PLACEHOLDERS: dict[str, str] = {
    "customer_first_name": "the customer's first name",
    "customer_name": "the customer's full name",
    "owner_name": "who the customer deals with: the follow-up's owner, who signs the email",
    "shop_name": "the shop's name (shop.name)",
    "about": "what the follow-up is about: the promise, the order or repair, what was done about "
    "their feedback",
}
"""Every placeholder a template may use, and what it is replaced with."""

SUBJECT_LENGTH = 200
OPENING_LENGTH = 1000


def placeholders_in(template: str) -> list[str]:
    """The placeholders a template uses; raises ValueError, with a sentence, for braces
    that are not one of PLACEHOLDERS written plainly."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        raise ValueError("a brace is not closed; write {{ or }} for a brace itself") from error
    used = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        written = f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
        if name in PLACEHOLDERS and (spec or conversion):
            raise ValueError(f"{written} is not a placeholder: write {{{name}}}, with nothing after")
        if name not in PLACEHOLDERS:
            known = ", ".join(f"{{{known}}}" for known in PLACEHOLDERS)
            raise ValueError(f"{written} is not a placeholder; use {known}")
        used.append(name)
    return used


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with each placeholder replaced by its value (cleaned of control
    characters), in one pass; braces doubled in the template come out single."""
    pieces = []
    for literal, name, _, _ in string.Formatter().parse(template):
        pieces.append(literal)
        if name is not None:
            pieces.append(clean_text(values.get(name, "")))
    return "".join(pieces)


class MailTemplate(StrictModel):
    """One kind of message: its subject and opening paragraph."""

    subject: SettingText = Field(max_length=SUBJECT_LENGTH, description="The email's subject.")
    opening: SettingText = Field(
        max_length=OPENING_LENGTH, description="The first paragraph; the owner's own words follow it."
    )

    @field_validator("subject", "opening")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        placeholders_in(value)
        return value


def _template(subject: str, opening: str, meaning: str) -> MailTemplate:
    """A default template, documented for the settings screen."""
    return Field(
        default_factory=lambda: MailTemplate(subject=subject, opening=opening),
        description=meaning,
    )


class MailTemplates(StrictModel):
    """The shop's template for each kind of email a follow-up can send."""

    thank_you: MailTemplate = _template(
        "Thank you from {shop_name}",
        "Thank you for visiting {shop_name}, {customer_first_name}.",
        "A thank-you after a purchase; the owner's personal line follows.",
    )
    promise_done: MailTemplate = _template(
        "{shop_name}: done, {about}",
        "Hello {customer_first_name}, as promised: {about}",
        "A promise kept; what was done follows.",
    )
    status_update: MailTemplate = _template(
        "{shop_name}: an update on {about}",
        "Hello {customer_first_name}, here is where things stand with {about}:",
        "An update on an open order or repair; the news follows.",
    )
    feedback_acted_on: MailTemplate = _template(
        "{shop_name}: we acted on your feedback",
        "Hello {customer_first_name}, you told us what you thought, and we listened. {about}",
        "Telling a customer their feedback was acted on; what was done follows.",
    )
