"""GET|POST /bookings/{id}/messages/: the booking's customer and its company's staff write to each
other; the other side is notified; anyone else gets 404; bad bodies are 400 and store nothing."""

from __future__ import annotations

import pytest

from apps.bookings.models import BookingMessage, Notification, NotificationDelivery
from tests.accounts.factories import CustomerFactory
from tests.bookings.engagement_helpers import customer_with_email_and_phone
from tests.bookings.factories import BookingFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(alice):
    customer = customer_with_email_and_phone(name="Ada", email="ada@example.com")
    return BookingFactory(company=alice.company, move_request__customer=customer)


@pytest.fixture
def customer_client(booking):
    return auth_client_for(booking.customer)


def _url(booking) -> str:
    return f"/api/v1/bookings/{booking.pk}/messages/"


def test_the_customer_posts_a_message_and_the_owners_and_dispatchers_are_told(
    alice, booking, customer_client
):
    response = customer_client.post(_url(booking), {"body": "Is parking OK?"}, format="json")

    assert response.status_code == 201
    message = BookingMessage.objects.get()
    assert response.json() == {
        "id": message.pk,
        "author": booking.customer_id,
        "author_role": "customer",
        "body": "Is parking OK?",
        "created_at": message.created_at.isoformat().replace("+00:00", "Z"),
    }
    notices = Notification.objects.order_by("user_id")
    assert [(n.user_id, n.kind) for n in notices] == sorted(
        [(alice.owner.pk, "message"), (alice.dispatcher.pk, "message")]
    )
    assert notices[0].title == "New message from Ada"
    assert notices[0].body == "Is parking OK?"
    assert notices[0].data == {"booking": booking.pk, "status": "confirmed", "message": message.pk}
    assert NotificationDelivery.objects.count() == 0  # staff read messages in the app


def test_staff_answer_and_the_customer_is_told_in_the_app_and_by_e_mail(alice, booking):
    response = alice.dispatcher_client.post(
        _url(booking), {"body": "Yes, in front of the building."}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["author_role"] == "staff"
    assert response.json()["author"] == alice.dispatcher.pk
    [notice] = Notification.objects.all()
    assert (notice.user_id, notice.title) == (booking.customer_id, "New message from Alice")
    [delivery] = NotificationDelivery.objects.all()
    assert (delivery.channel, delivery.to) == ("email", "ada@example.com")
    assert "Yes, in front of the building." in delivery.body
    assert f"quote booking #{booking.pk}" in delivery.body


def test_the_thread_lists_oldest_first_with_who_wrote_what_paginated(
    alice, booking, customer_client
):
    customer_client.post(_url(booking), {"body": "one"}, format="json")
    alice.owner_client.post(_url(booking), {"body": "two"}, format="json")
    customer_client.post(_url(booking), {"body": "three"}, format="json")

    everything = alice.driver_client.get(_url(booking))
    page = customer_client.get(_url(booking), {"page_size": 2, "page": 2})

    assert everything.status_code == 200
    assert everything.json()["count"] == 3
    assert [(m["body"], m["author_role"]) for m in everything.json()["results"]] == [
        ("one", "customer"),
        ("two", "staff"),
        ("three", "customer"),
    ]
    assert [m["body"] for m in page.json()["results"]] == ["three"]


@pytest.mark.parametrize("who", ["bob_owner", "bob_dispatcher", "bob_driver", "other_customer"])
def test_anyone_else_gets_404_for_the_thread_and_nothing_is_stored(alice, bob, booking, who):
    BookingMessage.objects.create(booking=booking, author=booking.customer, body="private")
    client = {
        "bob_owner": bob.owner_client,
        "bob_dispatcher": bob.dispatcher_client,
        "bob_driver": bob.driver_client,
        "other_customer": auth_client_for(CustomerFactory()),
    }[who]

    read = client.get(_url(booking))
    write = client.post(_url(booking), {"body": "hello"}, format="json")

    assert (read.status_code, write.status_code) == (404, 404)
    assert read.json()["error"]["code"] == write.json()["error"]["code"] == "not_found"
    assert list(BookingMessage.objects.values_list("body", flat=True)) == ["private"]
    assert Notification.objects.count() == 0


def test_an_unknown_booking_is_404(alice):
    response = alice.owner_client.get("/api/v1/bookings/999999999/messages/")

    assert response.status_code == 404


def test_the_thread_needs_a_signed_in_user(api_client, booking):
    response = api_client.post(_url(booking), {"body": "hi"}, format="json")

    assert response.status_code == 401
    assert BookingMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "body", "This field is required."),
        ({"body": ""}, "body", "This field may not be blank."),
        ({"body": "   \n "}, "body", "This field may not be blank."),
        ({"body": None}, "body", "This field may not be null."),
        ({"body": 12}, "body", "Expected a string."),
        ({"body": "x" * 2001}, "body", "Ensure this field has no more than 2000 characters."),
        ({"body": "a\x00b"}, "body", "Null characters are not allowed."),
        ({"body": "ok", "urgent": True}, "urgent", "Unknown field."),
    ],
)
def test_a_bad_message_is_400_and_nothing_is_stored(customer_client, booking, body, field, message):
    response = customer_client.post(_url(booking), body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["details"][field] == [message]
    assert BookingMessage.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_message_of_2000_characters_is_accepted(customer_client, booking):
    response = customer_client.post(_url(booking), {"body": "x" * 2000}, format="json")

    assert response.status_code == 201
    assert len(BookingMessage.objects.get().body) == 2000


def test_a_sender_is_rate_limited_but_may_still_read(settings, customer_client, booking, alice):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "booking_message": "2/min",
        },
    }

    codes = [
        customer_client.post(_url(booking), {"body": f"spam {i}"}, format="json").status_code
        for i in range(3)
    ]
    staff = alice.owner_client.post(_url(booking), {"body": "hello"}, format="json")
    read = customer_client.get(_url(booking))

    assert codes == [201, 201, 429]
    assert staff.status_code == 201  # the limit is per sender
    assert read.status_code == 200
    assert BookingMessage.objects.count() == 3
