"""Reviews of a booking: the customer reviews a completed booking once, the company replies once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent, Review
from apps.companies.models import Company
from tests.bookings.factories import BookingFactory
from tests.bookings.review_factories import completed_booking, review_state, stored_review
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

LONG_TEXT = "x" * 2_000


def review_url(booking: Booking) -> str:
    return f"/api/v1/bookings/{booking.id}/review/"


def reply_url(booking: Booking) -> str:
    return f"/api/v1/bookings/{booking.id}/review/reply/"


def counters(company: Company) -> tuple[int, int]:
    company.refresh_from_db(fields=["review_count", "rating_sum"])
    return company.review_count, company.rating_sum


# --- the customer reviews ----------------------------------------------------------------------


def test_the_customer_reviews_a_completed_booking_and_the_company_counters_follow(alice):
    booking = completed_booking(company=alice.company)
    booking.customer.name = "Marie-Claire Dupont"
    booking.customer.save(update_fields=["name"])

    response = auth_client_for(booking.customer).post(
        review_url(booking), {"rating": 4, "comment": "  Careful and on time.  "}, format="json"
    )

    assert response.status_code == 201
    review = Review.objects.get()
    assert response.json() == {
        "id": review.id,
        "booking": booking.id,
        "rating": 4,
        "comment": "Careful and on time.",
        "created_at": response.json()["created_at"],
        "reply": None,
        "replied_at": None,
        "customer_name": "Marie-Claire D.",
    }
    assert (review.booking_id, review.company_id, review.customer_id, review.rating) == (
        booking.id,
        alice.company.id,
        booking.customer_id,
        4,
    )
    assert counters(alice.company) == (1, 4)
    event = BookingEvent.objects.get(booking=booking)
    assert (event.kind, event.actor_id, event.data) == (
        "reviewed",
        booking.customer_id,
        {"review": review.id, "rating": 4},
    )


@pytest.mark.parametrize("rating", [1, 5])
def test_a_review_without_a_comment_at_either_end_of_the_scale_is_accepted(alice, rating):
    booking = completed_booking(company=alice.company)

    response = auth_client_for(booking.customer).post(
        review_url(booking), {"rating": rating}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["rating"], response.json()["comment"]) == (rating, "")
    assert counters(alice.company) == (1, rating)


def test_a_comment_of_exactly_2000_characters_is_accepted(alice):
    booking = completed_booking(company=alice.company)

    response = auth_client_for(booking.customer).post(
        review_url(booking), {"rating": 3, "comment": LONG_TEXT}, format="json"
    )

    assert response.status_code == 201
    assert Review.objects.get().comment == LONG_TEXT


@pytest.mark.parametrize("state", ["confirmed", "scheduled", "in_progress", "cancelled"])
def test_reviewing_a_booking_that_is_not_completed_is_409_and_nothing_changes(alice, state):
    start = timezone.now() + timedelta(days=1)
    booking = BookingFactory(
        company=alice.company,
        status=state,
        scheduled_start=start if state != "confirmed" else None,
        scheduled_end=start + timedelta(hours=4) if state != "confirmed" else None,
    )
    before = review_state()

    response = auth_client_for(booking.customer).post(
        review_url(booking), {"rating": 5}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert review_state() == before


def test_a_second_review_is_409_already_exists_and_the_first_stands(alice):
    booking = completed_booking(company=alice.company)
    client = auth_client_for(booking.customer)
    client.post(review_url(booking), {"rating": 2, "comment": "Late."}, format="json")
    before = review_state()

    response = client.post(review_url(booking), {"rating": 5, "comment": "Fine."}, format="json")

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "already_exists",
        "message": "This booking has already been reviewed.",
        "details": {"booking": ["A booking is reviewed once."]},
    }
    assert review_state() == before
    assert counters(alice.company) == (1, 2)


@pytest.mark.parametrize("role", ["owner_client", "dispatcher_client", "driver_client"])
def test_the_company_staff_cannot_review_their_own_booking(alice, role):
    booking = completed_booking(company=alice.company)
    before = review_state()

    response = getattr(alice, role).post(review_url(booking), {"rating": 5}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert review_state() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "rating"),
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": -1}, "rating"),
        ({"rating": 4.5}, "rating"),
        ({"rating": 4.0}, "rating"),
        ({"rating": "4"}, "rating"),
        ({"rating": True}, "rating"),
        ({"rating": None}, "rating"),
        ({"rating": 10**30}, "rating"),
        ({"rating": 4, "comment": "x" * 2_001}, "comment"),
        ({"rating": 4, "comment": 12}, "comment"),
        ({"rating": 4, "comment": None}, "comment"),
        ({"rating": 4, "stars": 5}, "stars"),
    ],
)
def test_bad_review_input_is_a_400_naming_the_field_and_nothing_is_stored(alice, body, field):
    booking = completed_booking(company=alice.company)
    before = review_state()

    response = auth_client_for(booking.customer).post(review_url(booking), body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["details"]) == [field]
    assert review_state() == before


def test_a_json_list_body_is_a_400(alice):
    booking = completed_booking(company=alice.company)

    response = auth_client_for(booking.customer).post(review_url(booking), [4], format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert Review.objects.count() == 0


# --- the company replies -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "dispatcher"])
def test_the_owner_or_dispatcher_replies_once(alice, role):
    booking = completed_booking(company=alice.company)
    review = stored_review(booking=booking, rating=3, comment="A scratch on the table.")

    response = auth_client_for(getattr(alice, role)).post(
        reply_url(booking), {"reply": "Sorry, we will repair it."}, format="json"
    )

    assert response.status_code == 200
    review.refresh_from_db()
    assert review.reply == "Sorry, we will repair it."
    assert review.replied_by_id == getattr(alice, role).id
    assert response.json()["reply"] == "Sorry, we will repair it."
    assert response.json()["replied_at"] == review.replied_at.isoformat().replace("+00:00", "Z")
    assert (response.json()["id"], response.json()["rating"]) == (review.id, 3)
    event = BookingEvent.objects.get(booking=booking)
    assert (event.kind, event.actor_id, event.data) == (
        "review_replied",
        getattr(alice, role).id,
        {"review": review.id},
    )
    assert counters(alice.company) == (1, 3)


def test_a_second_reply_is_409_already_exists_and_the_first_stands(alice):
    booking = completed_booking(company=alice.company)
    stored_review(booking=booking, rating=3)
    alice.owner_client.post(reply_url(booking), {"reply": "Thank you."}, format="json")
    before = review_state()

    response = alice.dispatcher_client.post(reply_url(booking), {"reply": "Again."}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_exists"
    assert response.json()["error"]["details"] == {"reply": ["A review gets one reply."]}
    assert review_state() == before
    assert Review.objects.get().reply == "Thank you."


def test_replying_before_there_is_a_review_is_404(alice):
    booking = completed_booking(company=alice.company)
    before = review_state()

    response = alice.owner_client.post(reply_url(booking), {"reply": "Thanks!"}, format="json")

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "This booking has no review yet.",
        "details": {},
    }
    assert review_state() == before


@pytest.mark.parametrize("who", ["driver", "customer"])
def test_the_driver_and_the_customer_cannot_reply(alice, who):
    booking = completed_booking(company=alice.company)
    stored_review(booking=booking, rating=4)
    user = alice.driver_user if who == "driver" else booking.customer
    before = review_state()

    response = auth_client_for(user).post(reply_url(booking), {"reply": "Me too."}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert review_state() == before


@pytest.mark.parametrize(
    "body",
    [{}, {"reply": ""}, {"reply": "   "}, {"reply": "x" * 2_001}, {"reply": 5}, {"reply": None}],
)
def test_bad_reply_input_is_a_400_and_nothing_changes(alice, body):
    booking = completed_booking(company=alice.company)
    stored_review(booking=booking, rating=4)
    before = review_state()

    response = alice.owner_client.post(reply_url(booking), body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["details"]) == ["reply"]
    assert review_state() == before


def test_a_reply_of_exactly_2000_characters_is_accepted(alice):
    booking = completed_booking(company=alice.company)
    stored_review(booking=booking, rating=4)

    response = alice.owner_client.post(reply_url(booking), {"reply": LONG_TEXT}, format="json")

    assert response.status_code == 200
    assert Review.objects.get().reply == LONG_TEXT


# --- reading a booking's review ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["customer", "owner", "dispatcher", "driver_user"])
def test_the_booking_participants_read_its_review(alice, who):
    booking = completed_booking(company=alice.company)
    review = stored_review(booking=booking, rating=5, comment="Great.")
    user = booking.customer if who == "customer" else getattr(alice, who)

    response = auth_client_for(user).get(review_url(booking))

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["booking"]) == (review.id, booking.id)
    assert (response.json()["rating"], response.json()["comment"]) == (5, "Great.")


def test_a_booking_without_a_review_answers_404(alice):
    booking = completed_booking(company=alice.company)

    response = auth_client_for(booking.customer).get(review_url(booking))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- tenant and customer isolation -------------------------------------------------------------

ENDPOINTS = [
    ("get", review_url, None),
    ("post", review_url, {"rating": 5}),
    ("post", reply_url, {"reply": "Thanks."}),
]
ENDPOINT_IDS = ["get review", "post review", "post reply"]


def _outsider(who: str, bob):
    if who == "other_customer":
        return auth_client_for(completed_booking(company=bob.company).customer)
    return getattr(bob, who)


@pytest.mark.parametrize(
    "who", ["other_customer", "owner_client", "dispatcher_client", "driver_client"]
)
@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_another_customer_and_another_company_get_404_and_nothing_changes(
    alice, bob, who, method, url, body
):
    booking = completed_booking(company=alice.company)
    stored_review(booking=booking, rating=4)
    client = _outsider(who, bob)
    before = review_state()

    if body is None:
        response = getattr(client, method)(url(booking))
    else:
        response = getattr(client, method)(url(booking), body, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert review_state() == before


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_anonymous_callers_get_401(api_client, alice, method, url, body):
    booking = completed_booking(company=alice.company)
    before = review_state()

    response = getattr(api_client, method)(url(booking), body, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert review_state() == before


def test_an_unknown_booking_is_404(alice):
    response = alice.owner_client.post(
        "/api/v1/bookings/999999999/review/reply/", {"reply": "x"}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
