"""Completing a job: the handover code or note, actual hours and extras, and bad input."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from apps.bookings.models import Booking, BookingEvent, Invoice
from tests.bookings.lifecycle_support import booking_in, db_state, url

pytestmark = pytest.mark.django_db

Status = Booking.Status


@pytest.fixture
def job(alice) -> Booking:
    return booking_in(Status.IN_PROGRESS, company=alice, handover_code="482913")


def complete(client, booking: Booking, body: dict):
    return client.post(url(booking, "complete"), body, format="json")


def test_the_driver_completes_with_the_customers_code(alice, job):
    response = complete(alice.driver_client, job, {"handover_code": "482913", "actual_hours": "3"})

    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    job.refresh_from_db()
    assert (job.status, job.handover_verified, job.handover_note) == ("completed", True, "")
    assert job.actual_hours == Decimal("3.00")
    assert job.completed_at is not None
    event = BookingEvent.objects.get(booking=job)
    assert event.kind == "completed"
    assert event.data == {
        "from": "in_progress",
        "actual_hours": "3.00",
        "handover_verified": True,
        "invoice_number": 1,
        "invoice_total": "288.00",
    }


def test_without_a_code_the_driver_records_why(alice, job):
    note = "Customer not home; keys left with the concierge."

    response = complete(alice.driver_client, job, {"handover_note": note})

    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.handover_verified, job.handover_note) == (False, note)
    assert BookingEvent.objects.get(booking=job).data["handover_verified"] is False


def test_a_wrong_code_is_refused_and_nothing_changes(alice, job):
    before = db_state()

    response = complete(alice.driver_client, job, {"handover_code": "000000"})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"] == {"handover_code": ["This is not the customer's handover code."]}
    assert db_state() == before


def test_after_too_many_wrong_codes_even_the_right_one_is_refused(alice, job, settings):
    settings.BOOKING_HANDOVER_MAX_ATTEMPTS = 3
    for wrong in ("000001", "000002", "000003"):
        assert complete(alice.driver_client, job, {"handover_code": wrong}).status_code == 400
    before = db_state()

    response = complete(alice.driver_client, job, {"handover_code": "482913"})

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "handover_code": ["Too many wrong codes: record a handover_note instead."]
    }
    assert db_state() == before
    noted = complete(alice.driver_client, job, {"handover_note": "Code entry locked."})
    assert noted.status_code == 200


def test_wrong_codes_on_one_booking_do_not_lock_another(alice, job, settings):
    settings.BOOKING_HANDOVER_MAX_ATTEMPTS = 1
    other = booking_in(
        Status.IN_PROGRESS,
        company=alice,
        handover_code="111111",
        start=job.scheduled_end + timedelta(hours=1),
    )
    complete(alice.driver_client, job, {"handover_code": "000000"})

    response = complete(alice.driver_client, other, {"handover_code": "111111"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({}, {"handover_note": ["Required when there is no handover_code."]}),
        (
            {"handover_code": "482913", "handover_note": "x"},
            {"handover_note": ["Give handover_code or handover_note, not both."]},
        ),
        ({"handover_code": "48291"}, {"handover_code": ["The customer's 6-digit code."]}),
        ({"handover_code": "4829134"}, {"handover_code": ["The customer's 6-digit code."]}),
        ({"handover_code": 482913}, {"handover_code": ["Expected a string."]}),
        (
            {"handover_note": "x" * 2001},
            {"handover_note": ["Ensure this field has no more than 2000 characters."]},
        ),
        ({"handover_note": ""}, {"handover_note": ["This field may not be blank."]}),
        (
            {"handover_note": "n", "actual_hours": "0"},
            {"actual_hours": ["Ensure this value is greater than or equal to 0.01."]},
        ),
        (
            {"handover_note": "n", "actual_hours": "72.01"},
            {"actual_hours": ["Ensure this value is less than or equal to 72."]},
        ),
        (
            {"handover_note": "n", "actual_hours": "2.555"},
            {"actual_hours": ["Ensure that there are no more than 2 decimal places."]},
        ),
        (
            {
                "handover_note": "n",
                "extras": [{"label": "Box", "quantity": "0", "unit_price": "1"}],
            },
            {"extras": [{"quantity": ["Ensure this value is greater than or equal to 0.001."]}]},
        ),
        (
            {
                "handover_note": "n",
                "extras": [
                    {"label": "Box", "quantity": "1", "unit_price": "1"},
                    {"label": "Box", "quantity": "501", "unit_price": "1"},
                ],
            },
            {"extras": [{}, {"quantity": ["Ensure this value is less than or equal to 500."]}]},
        ),
        (
            {"handover_note": "n", "extras": [{"label": "", "quantity": "1", "unit_price": "1"}]},
            {"extras": [{"label": ["This field may not be blank."]}]},
        ),
        (
            {"handover_note": "n", "extras": [{"label": "B", "quantity": "1", "unit_price": "-1"}]},
            {"extras": [{"unit_price": ["Ensure this value is greater than or equal to 0."]}]},
        ),
        (
            {
                "handover_note": "n",
                "extras": [{"label": "B", "quantity": "1", "unit_price": "1.005"}],
            },
            {"extras": [{"unit_price": ["At most 2 decimal places in EUR."]}]},
        ),
        (
            {
                "handover_note": "n",
                "extras": [{"code": "Bad Code", "label": "B", "quantity": "1", "unit_price": "1"}],
            },
            {"extras": [{"code": ["This value does not match the required pattern."]}]},
        ),
        (
            {"handover_note": "n", "extras": [{"label": "B", "quantity": "1"}]},
            {"extras": [{"unit_price": ["This field is required."]}]},
        ),
        ({"handover_note": "n", "tip": "5"}, {"tip": ["Unknown field."]}),
    ],
)
def test_bad_input_is_refused_with_field_details_and_nothing_changes(alice, job, body, details):
    before = db_state()

    response = complete(alice.driver_client, job, body)

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["details"] == details
    assert db_state() == before


def test_more_than_50_extras_are_refused(alice, job):
    extras = [{"label": "Box", "quantity": "1", "unit_price": "1"}] * 51
    before = db_state()

    response = complete(alice.owner_client, job, {"handover_note": "n", "extras": extras})

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["extras"]
    assert db_state() == before


def test_the_limits_themselves_are_accepted(alice, job):
    body = {
        "handover_note": "n" * 2000,
        "actual_hours": "72",
        "extras": [{"label": "L" * 200, "quantity": "500", "unit_price": "0"}] * 50,
    }

    response = complete(alice.owner_client, job, body)

    assert response.status_code == 200, response.json()
    assert Invoice.objects.get(booking=job).lines.count() == 1 + 1 + 50
