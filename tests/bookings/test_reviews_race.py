"""Reviews under concurrency: the counters add up; one review and one reply per booking."""

from __future__ import annotations

import pytest

from apps.bookings.models import BookingEvent, Review
from tests.bookings.review_factories import completed_booking, stored_review
from tests.conftest import auth_client_for
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)

REVIEWERS = 12


def test_concurrent_reviews_of_one_company_keep_its_counters_consistent(alice):
    bookings = [completed_booking(company=alice.company) for _ in range(REVIEWERS)]
    ratings = [index % 5 + 1 for index in range(REVIEWERS)]
    clients = [auth_client_for(booking.customer) for booking in bookings]

    def review(index: int):
        def action():
            return clients[index].post(
                f"/api/v1/bookings/{bookings[index].id}/review/",
                {"rating": ratings[index]},
                format="json",
            )

        return action

    responses = race([review(index) for index in range(REVIEWERS)])

    assert [response.status_code for response in responses] == [201] * REVIEWERS
    alice.company.refresh_from_db()
    assert alice.company.review_count == REVIEWERS
    assert alice.company.rating_sum == sum(ratings)
    assert Review.objects.filter(company=alice.company).count() == REVIEWERS
    detail = alice.owner_client.get(f"/api/v1/companies/{alice.company.id}/").json()
    assert (detail["rating"], detail["review_count"]) == (
        round(sum(ratings) / REVIEWERS, 2),
        REVIEWERS,
    )


def test_one_booking_reviewed_twice_at_once_stores_one_review(alice):
    booking = completed_booking(company=alice.company)
    clients = [auth_client_for(booking.customer) for _ in range(6)]  # one client per thread

    responses = race(
        [
            lambda client=client: client.post(
                f"/api/v1/bookings/{booking.id}/review/", {"rating": 5}, format="json"
            )
            for client in clients
        ]
    )

    codes = sorted(response.status_code for response in responses)
    assert codes == [201] + [409] * 5
    assert {
        response.json()["error"]["code"] for response in responses if response.status_code == 409
    } == {"already_exists"}
    alice.company.refresh_from_db()
    assert (alice.company.review_count, alice.company.rating_sum) == (1, 5)
    assert Review.objects.count() == 1
    assert BookingEvent.objects.filter(booking=booking, kind="reviewed").count() == 1


def test_concurrent_replies_store_one(alice):
    booking = completed_booking(company=alice.company)
    stored_review(booking=booking, rating=4)
    replies = [f"Reply {index}" for index in range(6)]
    clients = [auth_client_for(user) for user in [alice.owner, alice.dispatcher] * 3]

    def reply(index: int):
        def action():
            return clients[index].post(
                f"/api/v1/bookings/{booking.id}/review/reply/",
                {"reply": replies[index]},
                format="json",
            )

        return action

    responses = race([reply(index) for index in range(6)])

    codes = [response.status_code for response in responses]
    assert sorted(codes) == [200] + [409] * 5
    winner = codes.index(200)
    assert Review.objects.get().reply == replies[winner]
    assert BookingEvent.objects.filter(booking=booking, kind="review_replied").count() == 1
