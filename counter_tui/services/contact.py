"""A customer's name, phone and email: checked, and phones and emails put in the one form
they are compared in, so `07700 900123` and `+44 7700 900123` are the same number.

Phone numbers are read with `phonenumbers` and emails checked with `email-validator`;
both are imported inside the functions that use them, so start-up does not pay for them.
A number typed without `+` is read as a number of the shop's country (`shop_region`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from counter_tui.config import ShopSettings
from counter_tui.errors import InvalidInput
from counter_tui.limits import LIMITS, limited, too_long

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

_PHONE = re.compile(r"^[0-9+()\-.\s/]+$")


@dataclass(frozen=True)
class ContactDetails:
    """Name, phone (as typed and normalised) and email, cleaned and checked."""

    name: str
    phone: str
    phone_normalised: str
    email: str


def digits_of(phone: str) -> str:
    """Only the digits of a phone number, for matching however it was typed."""
    return "".join(ch for ch in phone if ch.isdigit())


@cache
def _zone_countries() -> dict[str, str]:
    """Time zone name → country code, from the tz database's zone.tab (shipped by tzdata)."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _, zone, *_ = line.split("\t")
            countries[zone] = code
    return countries


def shop_region(shop: ShopSettings) -> str | None:
    """The country a phone number typed without + belongs to: the shop's `country`
    setting, else the country of its time zone (Europe/London → GB), else None (then
    only numbers typed with + or 00 are read)."""
    if shop.country:
        return shop.country
    return _zone_countries().get(shop.timezone)


def _parse_phone(phone: str, region: str | None) -> PhoneNumber | None:
    """The phone number parsed as typed (00 as +, a number without + as one of `region`),
    possible or not, or None when it cannot be parsed at all."""
    import phonenumbers

    text = phone.strip()
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _read_phone(phone: str, region: str | None) -> PhoneNumber | None:
    """The phone number read as typed (`_parse_phone`), or None when it cannot be read as
    a possible phone number of any country."""
    import phonenumbers

    number = _parse_phone(phone, region)
    return number if number is not None and phonenumbers.is_possible_number(number) else None


def lacks_area_code(phone: str, region: str | None) -> bool:
    """Whether the number, read as typed, is too short to be dialled from outside its area
    (`12345`, or a local number without its area code): a callback to it reaches nobody."""
    import phonenumbers

    number = _parse_phone(phone, region)
    return number is not None and phonenumbers.is_possible_number_with_reason(number) in (
        phonenumbers.ValidationResult.TOO_SHORT,
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    )


def normalise_phone(phone: str, region: str | None) -> str:
    """The number in international form (E.164, e.g. `+447700900123`), or "" when it
    cannot be read as a possible phone number of any country."""
    import phonenumbers

    number = _read_phone(phone, region)
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def prefix_forms(phone: str, region: str | None) -> list[str]:
    """The digits a number typed so far may start with, as stored either way: as typed,
    and for the shop's own country the other way round (`+44 77` also as `077`, `077`
    also as `4477`), since a shop stores numbers as they were given."""
    digits = digits_of(phone)
    if region is None or not digits:
        return [digits] if digits else []
    import phonenumbers

    code = str(phonenumbers.country_code_for_region(region))
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    trunk = (metadata.national_prefix if metadata is not None else None) or ""
    text = phone.strip()
    forms = [digits]
    if text.startswith(("+", "00")):
        international = digits[2:] if text.startswith("00") else digits
        if international.startswith(code) and len(international) > len(code):
            forms.append(trunk + international[len(code) :])
    elif trunk and digits.startswith(trunk) and len(digits) > len(trunk):
        forms.append(code + digits[len(trunk) :])
    return list(dict.fromkeys(forms))


def national_digits(phone: str, region: str | None) -> str:
    """The digits a number ends with however it is written, national or international
    (its national significant number: `+44 7700 900123` and `07700 900123` both give
    `7700900123`), or "" when it cannot be read as a phone number."""
    import phonenumbers

    number = _read_phone(phone, region)
    return "" if number is None else phonenumbers.national_significant_number(number)


def clean_email(email: str) -> str:
    """The address checked for its form (no mail is sent to test it), in lower case, so
    that `Bob@Example.com` and `bob@example.com` are one address; or an InvalidInput."""
    from email_validator import EmailNotValidError, validate_email

    email = limited(email, "email")
    if not email:
        return ""
    try:
        checked = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidInput(
            f"That email address looks wrong: {error} Check it, or leave it empty.", field="email"
        ) from None
    lowered = checked.lower()
    if len(lowered) > LIMITS["email"].most:
        raise InvalidInput(too_long("email", len(lowered)), field="email")
    return lowered


def clean_contact(shop: ShopSettings, name: str, phone: str, email: str) -> ContactDetails:
    """Name, phone and email cleaned and checked, or an InvalidInput saying what to fix."""
    name = limited(name, "name")
    phone = limited(phone, "phone")
    if not name:
        raise InvalidInput("Give the customer's name (a first name is enough).", field="name")
    if phone and not _PHONE.match(phone):
        raise InvalidInput(
            "A phone number has only digits, spaces and + - ( ) . — check it, or leave it empty.",
            field="phone",
        )
    if phone and len(digits_of(phone)) < 5:
        raise InvalidInput("That phone number looks too short. Check it, or leave it empty.", field="phone")
    if phone and lacks_area_code(phone, shop_region(shop)):
        raise InvalidInput(
            "That phone number is too short to call from outside its area: give it with its area "
            "code (or with + and the country code), or leave it empty.",
            field="phone",
        )
    return ContactDetails(
        name=name,
        phone=phone,
        phone_normalised=normalise_phone(phone, shop_region(shop)) if phone else "",
        email=clean_email(email),
    )
