"""The whole transition table of start/complete/cancel, legal and illegal, per role."""

from __future__ import annotations

import itertools

import pytest

from apps.bookings.models import Booking, BookingEvent
from tests.accounts.factories import CustomerFactory
from tests.bookings.lifecycle_support import booking_in, db_state, url
from tests.companies.factories import DriverFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

Status = Booking.Status
STATES = list(Status)
ROLES = ["customer", "owner", "dispatcher", "assigned_driver", "other_driver"]
# action -> (the roles that may take it, the state it starts from -> the state it leads to)
TABLE = {
    "start": ({"owner", "dispatcher", "assigned_driver"}, {Status.SCHEDULED: Status.IN_PROGRESS}),
    "complete": (
        {"owner", "dispatcher", "assigned_driver"},
        {Status.IN_PROGRESS: Status.COMPLETED},
    ),
    "cancel": (
        {"customer", "owner", "dispatcher"},
        {Status.CONFIRMED: Status.CANCELLED, Status.SCHEDULED: Status.CANCELLED},
    ),
}
EVENT_KIND = {"start": "started", "complete": "completed", "cancel": "cancelled"}


def expected(action: str, state: str, role: str) -> tuple[int, str | None]:
    """(status code, error code) the table promises."""
    roles, moves = TABLE[action]
    # The assigned driver is the driver of the booking's LIVE allocation: a confirmed booking
    # has none yet and a cancelled one has released it, so that driver is just staff there.
    assigned = state not in (Status.CONFIRMED, Status.CANCELLED)
    if role not in roles or (role == "assigned_driver" and not assigned):
        return 403, "permission_denied"
    if state not in moves:
        return 409, "invalid_transition"
    return 200, None


def user_for(role: str, *, booking: Booking, alice):
    if role == "customer":
        return booking.customer
    if role == "assigned_driver":
        return alice.driver_user
    if role == "other_driver":
        return DriverFactory(company=alice.company).membership.user
    return getattr(alice, role)


def body_for(action: str, booking: Booking) -> dict:
    return {"handover_code": booking.handover_code} if action == "complete" else {}


CASES = list(itertools.product(TABLE, STATES, ROLES))


@pytest.mark.parametrize(
    ("action", "state", "role"), CASES, ids=[f"{a}-{s}-{r}" for a, s, r in CASES]
)
def test_transition_table(alice, action, state, role):
    booking = booking_in(state, company=alice)
    user = user_for(role, booking=booking, alice=alice)
    client = auth_client_for(user)
    status_code, error_code = expected(action, state, role)
    before = db_state()

    response = client.post(url(booking, action), body_for(action, booking), format="json")

    assert response.status_code == status_code, response.json()
    booking.refresh_from_db()
    if error_code is not None:
        assert response.json()["error"]["code"] == error_code
        assert db_state() == before
        return
    target = TABLE[action][1][state]
    assert response.json()["status"] == target
    assert response.json()["id"] == booking.pk
    assert booking.status == target
    event = BookingEvent.objects.get(booking=booking)
    assert event.kind == EVENT_KIND[action]
    assert event.data["from"] == state
    assert event.actor == user


@pytest.mark.parametrize("action", list(TABLE))
def test_another_companys_staff_and_another_customer_get_404(alice, bob, action):
    booking = booking_in(Status.SCHEDULED, company=alice)
    stranger = auth_client_for(CustomerFactory())
    before = db_state()

    for client in (bob.owner_client, bob.dispatcher_client, bob.driver_client, stranger):
        response = client.post(url(booking, action), body_for(action, booking), format="json")

        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert db_state() == before


@pytest.mark.parametrize("action", list(TABLE))
def test_anonymous_callers_get_401(api_client, alice, action):
    booking = booking_in(Status.SCHEDULED, company=alice)

    response = api_client.post(url(booking, action), {}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("action", list(TABLE))
def test_an_unknown_booking_is_404(alice, action):
    response = alice.owner_client.post(f"/api/v1/bookings/999999999/{action}/", {}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
