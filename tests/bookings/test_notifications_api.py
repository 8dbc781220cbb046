"""GET /notifications/ (the caller's, unread first, then newest), POST .../{id}/read/ and
POST .../read-all/: another user's notification is 404 and stays unread."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from apps.bookings.models import Notification
from tests.accounts.factories import CustomerFactory
from tests.bookings.factories import BookingFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _notice(user, *, minutes: int, read=False, booking=None, title: str = "") -> Notification:
    notification = Notification.objects.create(
        user=user, booking=booking, kind="scheduled", title=title or f"at +{minutes}"
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=T0 + timedelta(minutes=minutes),
        read_at=T0 + timedelta(hours=1) if read else None,
    )
    notification.refresh_from_db()
    return notification


def _read_at(notification: Notification):
    notification.refresh_from_db()
    return notification.read_at


def test_the_list_shows_the_callers_notifications_unread_first_then_newest(alice):
    customer = CustomerFactory()
    booking = BookingFactory(company=alice.company, move_request__customer=customer)
    _notice(customer, minutes=1, read=True, title="old, read")
    _notice(customer, minutes=2, title="older unread")
    _notice(customer, minutes=3, read=True, title="newer, read")
    newest = _notice(customer, minutes=4, title="newest unread", booking=booking)
    _notice(alice.owner, minutes=5, title="someone else's")

    response = auth_client_for(customer).get("/api/v1/notifications/")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (4, None, None)
    assert [n["title"] for n in body["results"]] == [
        "newest unread",
        "older unread",
        "newer, read",
        "old, read",
    ]
    assert body["results"][0] == {
        "id": newest.pk,
        "kind": "scheduled",
        "title": "newest unread",
        "body": "",
        "booking": booking.pk,
        "data": {},
        "created_at": "2026-11-01T09:04:00Z",
        "read_at": None,
    }
    assert body["results"][2]["read_at"] == "2026-11-01T10:00:00Z"


def test_the_list_is_paginated(alice):
    for minutes in range(3):
        _notice(alice.owner, minutes=minutes)

    response = alice.owner_client.get("/api/v1/notifications/", {"page_size": 2, "page": 2})

    assert response.status_code == 200
    assert (response.json()["count"], len(response.json()["results"])) == (3, 1)
    assert response.json()["results"][0]["title"] == "at +0"


def test_reading_a_notification_answers_it_and_keeps_the_first_read_time(alice):
    notification = _notice(alice.owner, minutes=1)

    first = alice.owner_client.post(f"/api/v1/notifications/{notification.pk}/read/")
    read_at = _read_at(notification)
    second = alice.owner_client.post(f"/api/v1/notifications/{notification.pk}/read/")

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["id"] == notification.pk
    assert first.json()["read_at"] is not None
    assert second.json()["read_at"] == first.json()["read_at"]
    assert _read_at(notification) == read_at


@pytest.mark.parametrize("reader", ["customer", "bob_owner", "alice_dispatcher"])
def test_another_users_notification_is_404_and_stays_unread(alice, bob, reader):
    notification = _notice(alice.owner, minutes=1)
    client = {
        "customer": auth_client_for(CustomerFactory()),
        "bob_owner": bob.owner_client,
        "alice_dispatcher": alice.dispatcher_client,
    }[reader]

    response = client.post(f"/api/v1/notifications/{notification.pk}/read/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert _read_at(notification) is None


def test_an_unknown_notification_is_404(alice):
    response = alice.owner_client.post("/api/v1/notifications/999999999/read/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_body_on_read_is_refused_and_nothing_changes(alice):
    notification = _notice(alice.owner, minutes=1)

    response = alice.owner_client.post(
        f"/api/v1/notifications/{notification.pk}/read/", {"read": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "read" in response.json()["error"]["details"]
    assert _read_at(notification) is None


def test_read_all_marks_only_the_callers_unread_ones_and_counts_them(alice, bob):
    mine = [_notice(alice.owner, minutes=m) for m in range(3)]
    already = _notice(alice.owner, minutes=4, read=True)
    already_read_at = already.read_at
    others = [_notice(alice.dispatcher, minutes=1), _notice(bob.owner, minutes=1)]

    first = alice.owner_client.post("/api/v1/notifications/read-all/")
    second = alice.owner_client.post("/api/v1/notifications/read-all/")

    assert (first.status_code, first.json()) == (200, {"count": 3})
    assert (second.status_code, second.json()) == (200, {"count": 0})
    assert all(_read_at(n) is not None for n in mine)
    assert _read_at(already) == already_read_at
    assert [_read_at(n) for n in others] == [None, None]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/notifications/"),
        ("post", "/api/v1/notifications/1/read/"),
        ("post", "/api/v1/notifications/read-all/"),
    ],
)
def test_notifications_need_a_signed_in_user(api_client, method, path):
    response = getattr(api_client, method)(path)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
