"""Login identifiers: E.164 phone numbers (phonenumbers) and lower-cased e-mail addresses."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Longer input is refused before phonenumbers parses it.
PHONE_INPUT_MAX_LENGTH = 32


@dataclass(frozen=True)
class Destination:
    """Where a one-time code goes: `channel` is "sms" or "email", `value` is normalised."""

    channel: str
    value: str

    @property
    def user_field(self) -> str:
        return "phone" if self.channel == "sms" else "email"


def phone_normalise(raw: str) -> str:
    """E.164 ("+33 6 12 34 56 78" -> "+33612345678"); ValueError unless valid and international."""
    text = (raw or "").strip()
    if len(text) > PHONE_INPUT_MAX_LENGTH:
        raise ValueError("Enter a phone number in international format, e.g. +33612345678.")
    if not text.startswith("+"):
        raise ValueError("Start the phone number with + and the country code, e.g. +33612345678.")
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(
            "Enter a phone number in international format, e.g. +33612345678."
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("This phone number does not exist.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_normalise(raw: str) -> str:
    """Trimmed and lower-cased (the whole address: see UserManager.normalize_email)."""
    text = (raw or "").strip().lower()
    try:
        validate_email(text)
    except ValidationError as exc:
        raise ValueError("Enter a valid e-mail address.") from exc
    return text


def destination_from(*, phone: str | None = None, email: str | None = None) -> Destination:
    """The normalised destination of exactly one of `phone` or `email` (ValueError otherwise)."""
    if bool(phone) == bool(email):
        raise ValueError("Give either a phone number or an e-mail address.")
    if phone:
        return Destination(channel="sms", value=phone_normalise(phone))
    return Destination(channel="email", value=email_normalise(email or ""))
