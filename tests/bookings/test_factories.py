"""The bookings factories build consistent rows (the other bookings tests start from them)."""

import pytest

from apps.bookings.models import Booking, Quote
from tests.bookings.factories import BookingFactory, QuoteFactory


@pytest.mark.django_db
def test_a_booking_factory_builds_a_confirmed_booking_on_an_accepted_quote(alice):
    booking = BookingFactory(company=alice.company)

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.quote.status == Quote.Status.ACCEPTED
    assert booking.quote.move_request_id == booking.move_request_id
    assert booking.customer_id == booking.move_request.customer_id
    assert (booking.total, booking.currency) == (booking.quote.total, "EUR")
    assert len(booking.handover_code) == 6


@pytest.mark.django_db
def test_two_quotes_of_one_company_share_its_pricing_version(alice):
    first = QuoteFactory(company=alice.company)
    second = QuoteFactory(company=alice.company)

    assert first.pricing_config_id == second.pricing_config_id
