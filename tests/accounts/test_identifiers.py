"""Phone numbers become E.164, e-mails lower case; anything else is refused."""

from __future__ import annotations

import pytest

from apps.accounts.identifiers import (
    Destination,
    destination_from,
    email_normalise,
    phone_normalise,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33612345678", "+33612345678"),
        (" +33 (0)6-12-34-56-78 ", "+33612345678"),
        ("+1 650 253 0000", "+16502530000"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_international_phone_numbers_are_normalised_to_e164(raw, expected):
    assert phone_normalise(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "06 12 34 56 78",  # no country code
        "0033612345678",  # international prefix instead of +
        "+33 6 12",  # too short
        "+999 123456789",  # no such country
        "+33 6 12 34 56 78 90 12 34 56 78 90 12",  # absurdly long
        "+33 six",
        "",
    ],
)
def test_phone_numbers_without_country_code_or_invalid_are_refused(raw):
    with pytest.raises(ValueError):
        phone_normalise(raw)


def test_emails_are_trimmed_and_lower_cased():
    assert email_normalise("  Jane.Doe@Example.COM ") == "jane.doe@example.com"


@pytest.mark.parametrize("raw", ["jane", "jane@", "@example.com", "jane doe@example.com", ""])
def test_malformed_emails_are_refused(raw):
    with pytest.raises(ValueError):
        email_normalise(raw)


def test_destination_is_sms_for_a_phone_and_email_for_an_address():
    assert destination_from(phone="+33 6 12 34 56 78") == Destination("sms", "+33612345678")
    assert destination_from(email="A@B.example") == Destination("email", "a@b.example")


@pytest.mark.parametrize(
    "given", [{}, {"phone": "+33612345678", "email": "a@b.example"}, {"phone": "", "email": ""}]
)
def test_destination_needs_exactly_one_identifier(given):
    with pytest.raises(ValueError):
        destination_from(**given)
