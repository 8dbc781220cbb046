"""Input fields the companies API relies on: ISO 4217 (apps.core.money), E.164 phones, zones."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework import serializers

from apps.core.fields import CurrencyField, PhoneField, TimezoneField
from apps.core.money import CURRENCIES, minor_units, money_quantum


@pytest.mark.parametrize(
    ("currency", "digits", "quantum"),
    [("EUR", 2, Decimal("0.01")), ("JPY", 0, Decimal("1")), ("KWD", 3, Decimal("0.001"))],
)
def test_minor_units_and_quantum_follow_iso_4217(currency, digits, quantum):
    assert minor_units(currency) == digits
    assert money_quantum(currency) == quantum


def test_funds_and_metals_are_not_currencies_here():
    assert {"XAU", "XDR", "CLF", "eur"} & CURRENCIES == set()
    assert {"EUR", "GBP", "CHF", "USD", "XOF"} <= CURRENCIES


@pytest.mark.parametrize(("given", "stored"), [("eur", "EUR"), ("Chf", "CHF")])
def test_currency_codes_are_upper_cased(given, stored):
    assert CurrencyField().run_validation(given) == stored


@pytest.mark.parametrize("given", ["EURO", "EU", "XAU", "ABC", ""])
def test_unknown_currency_is_refused(given):
    with pytest.raises(serializers.ValidationError):
        CurrencyField().run_validation(given)


@pytest.mark.parametrize(
    ("given", "stored"),
    [("+33 6 12 34 56 78", "+33612345678"), ("+1 (415) 555-2671", "+14155552671")],
)
def test_phones_are_normalised_to_e164(given, stored):
    assert PhoneField().run_validation(given) == stored


@pytest.mark.parametrize("given", ["06 12 34 56 78", "+33 1", "call me", "+999999999999"])
def test_phones_without_country_code_or_invalid_are_refused(given):
    with pytest.raises(serializers.ValidationError):
        PhoneField().run_validation(given)


@pytest.mark.parametrize("given", ["Europe/Paris", "America/Argentina/Buenos_Aires", "UTC"])
def test_iana_zones_are_accepted(given):
    assert TimezoneField().run_validation(given) == given


@pytest.mark.parametrize("given", ["Europe/Lyon", "europe/paris", "GMT+2", "+02:00"])
def test_other_zone_names_are_refused(given):
    with pytest.raises(serializers.ValidationError):
        TimezoneField().run_validation(given)
