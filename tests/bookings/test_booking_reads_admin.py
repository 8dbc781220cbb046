"""Admin of move requests, quotes and bookings: read-only, searchable, events inline."""

from __future__ import annotations

import pytest

from apps.bookings.events import booking_event_append
from tests.accounts.factories import CustomerFactory, UserFactory
from tests.bookings.factories import BookingFactory, QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def _listed(response) -> list[int]:
    assert response.status_code == 200
    return [row.id for row in response.context["cl"].result_list]


def test_bookings_are_searchable_by_id_customer_email_and_company(admin_client, alice, bob):
    alices = BookingFactory(company=alice.company)
    bobs = BookingFactory(
        company=bob.company, move_request__customer=CustomerFactory(email="carol@example.com")
    )
    url = "/admin/bookings/booking/"

    assert _listed(admin_client.get(url, {"q": "alice"})) == [alices.id]
    assert _listed(admin_client.get(url, {"q": "carol@example"})) == [bobs.id]
    assert _listed(admin_client.get(url, {"q": alices.customer.phone})) == [alices.id]
    assert _listed(admin_client.get(url, {"q": str(bobs.id)})) == [bobs.id]


def test_a_booking_page_shows_its_events_and_nothing_editable(admin_client, alice):
    booking = BookingFactory(company=alice.company)
    booking_event_append(booking=booking, kind="confirmed", actor=booking.customer)

    response = admin_client.get(f"/admin/bookings/booking/{booking.id}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "confirmed" in html
    assert booking.handover_code not in html  # the customer's code, not the admin's
    assert 'name="_save"' not in html


def test_requests_and_quotes_are_listed_and_searchable(admin_client, alice, bob):
    quote = QuoteFactory(company=alice.company)
    other = QuoteFactory(
        company=bob.company, move_request__customer=CustomerFactory(email="dan@example.com")
    )

    assert _listed(admin_client.get("/admin/bookings/quote/", {"q": "alice"})) == [quote.id]
    requests = admin_client.get("/admin/bookings/moverequest/", {"q": "dan@example.com"})
    assert _listed(requests) == [other.move_request.id]
    page = admin_client.get(f"/admin/bookings/moverequest/{quote.move_request.id}/change/")
    assert page.status_code == 200
    assert "Alice" in page.content.decode()  # its quotes inline
