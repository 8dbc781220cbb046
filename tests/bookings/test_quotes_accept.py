"""POST /quotes/{id}/accept/: a confirmed booking, the other quotes withdrawn; every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.bookings.models import Booking, BookingEvent, Quote
from apps.companies.models import Company
from tests.accounts.factories import CustomerFactory
from tests.bookings.factories import MoveRequestFactory, QuoteFactory
from tests.bookings.quoting import bookings_rows, create_request
from tests.conftest import auth_client_for
from tests.race import race

pytestmark = pytest.mark.django_db


def accept_url(quote_id: int) -> str:
    return f"/api/v1/quotes/{quote_id}/accept/"


@pytest.fixture
def quoted(priced, customer_client):
    """A move request quoted by bob (cheapest) and alice: (request body, bob's, alice's quote)."""
    answer = create_request(customer_client)
    cheapest, other = answer["quotes"]
    return answer, cheapest, other


def refused(client, quote_id: int, *, status: int, code: str) -> dict:
    before = bookings_rows()
    response = client.post(accept_url(quote_id), format="json")
    assert response.status_code == status, response.json()
    assert response.json()["error"]["code"] == code
    assert bookings_rows() == before
    return response.json()["error"]


def test_accepting_books_the_quote_and_withdraws_the_others(quoted, customer, customer_client):
    answer, chosen, other = quoted

    response = customer_client.post(accept_url(chosen["id"]), format="json")

    assert response.status_code == 201, response.json()
    booking = Booking.objects.get()
    data = response.json()
    assert data["id"] == booking.id
    assert data["status"] == "confirmed"
    assert data["quote"] == chosen["id"]
    assert data["move_request"] == answer["id"]
    assert data["company"] == chosen["company"]
    assert data["customer"] == customer.id
    assert data["total"] == chosen["total"]
    assert data["currency"] == "EUR"
    assert data["handover_code"] == booking.handover_code
    assert len(booking.handover_code) == 6 and booking.handover_code.isdigit()
    assert Quote.objects.get(pk=chosen["id"]).status == Quote.Status.ACCEPTED
    withdrawn = Quote.objects.get(pk=other["id"])
    assert withdrawn.status == Quote.Status.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    event = BookingEvent.objects.get()
    assert (event.booking_id, event.kind, event.actor_id) == (booking.id, "confirmed", customer.id)
    assert event.data == {"quote": chosen["id"], "total": chosen["total"], "currency": "EUR"}


def test_handover_codes_are_fresh_per_booking(priced, customer_client):
    codes = set()
    for _ in range(5):
        quote = create_request(customer_client)["quotes"][0]
        codes.add(customer_client.post(accept_url(quote["id"])).json()["handover_code"])

    assert len(codes) == 5  # 1 in 10^6 per pair to collide: a repeat means a fixed code


def test_expired_quote_is_refused(quoted, customer_client):
    _, chosen, _ = quoted
    Quote.objects.filter(pk=chosen["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))

    refused(customer_client, chosen["id"], status=409, code="quote_expired")


def test_withdrawn_quote_is_refused(quoted, customer_client):
    _, chosen, other = quoted
    assert customer_client.post(accept_url(chosen["id"])).status_code == 201

    error = refused(customer_client, other["id"], status=409, code="quote_expired")

    assert error["message"] == "This quote was withdrawn."


def test_accepting_an_accepted_quote_again_names_the_booking(quoted, customer_client):
    _, chosen, _ = quoted
    first = customer_client.post(accept_url(chosen["id"])).json()

    error = refused(customer_client, chosen["id"], status=409, code="already_exists")

    assert error["details"] == {"booking": first["id"]}


def test_company_that_lost_its_verification_cannot_be_booked(quoted, customer_client):
    _, chosen, _ = quoted
    Company.objects.filter(pk=chosen["company"]).update(
        verification_status=Company.VerificationStatus.SUSPENDED
    )

    refused(customer_client, chosen["id"], status=409, code="company_not_verified")


def test_the_one_accepted_quote_constraint_is_a_409_not_a_500(alice, bob, customer):
    # A request that somehow has an accepted quote and no booking (only the constraint knows).
    move_request = MoveRequestFactory(customer=customer)
    QuoteFactory(move_request=move_request, company=alice.company, status=Quote.Status.ACCEPTED)
    open_quote = QuoteFactory(move_request=move_request, company=bob.company)

    refused(auth_client_for(customer), open_quote.id, status=409, code="already_exists")


def test_a_body_with_fields_is_refused(quoted, customer_client):
    _, chosen, _ = quoted
    before = bookings_rows()

    response = customer_client.post(accept_url(chosen["id"]), {"total": "1.00"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"total": ["Unknown field."]}
    assert bookings_rows() == before


def test_others_get_404_and_nothing_changes(quoted, priced):
    _, chosen, _ = quoted
    alice, bob = priced
    for client in (
        auth_client_for(CustomerFactory()),
        alice.owner_client,
        alice.dispatcher_client,
        bob.owner_client,  # bob made the quote: its staff still may not accept for the customer
        bob.dispatcher_client,
    ):
        refused(client, chosen["id"], status=404, code="not_found")
    refused(APIClient(), chosen["id"], status=401, code="not_authenticated")
    refused(auth_client_for(CustomerFactory()), 10**9, status=404, code="not_found")


@pytest.mark.django_db(transaction=True)
def test_two_quotes_of_one_request_accepted_at_once_make_exactly_one_booking(priced, customer):
    first, second = create_request(auth_client_for(customer))["quotes"]
    clients = [auth_client_for(customer), auth_client_for(customer)]

    responses = race(
        [
            lambda: clients[0].post(accept_url(first["id"])),
            lambda: clients[1].post(accept_url(second["id"])),
        ]
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409]
    loser = next(response for response in responses if response.status_code == 409)
    assert loser.json()["error"]["code"] == "quote_expired"
    assert Booking.objects.count() == 1
    assert Quote.objects.filter(status=Quote.Status.ACCEPTED).count() == 1
    assert BookingEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_quote_accepted_by_many_at_once_makes_exactly_one_booking(priced, customer):
    quote = create_request(auth_client_for(customer))["quotes"][0]
    clients = [auth_client_for(customer) for _ in range(6)]

    responses = race(
        [lambda client=client: client.post(accept_url(quote["id"])) for client in clients]
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 5
    codes = {r.json()["error"]["code"] for r in responses if r.status_code == 409}
    assert codes == {"already_exists"}
    assert Booking.objects.count() == 1
