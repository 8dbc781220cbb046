"""The drivers' dashboard page: only my own jobs; start and complete with the handover code."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent
from tests.bookings.lifecycle_support import booking_in, db_state
from tests.companies.factories import DriverFactory, TruckFactory

pytestmark = pytest.mark.django_db

Status = Booking.Status
JOBS = "/dashboard/jobs/"
CODE = "482913"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def local_nine(company) -> datetime:
    """09:00 today in the company's time zone (a job 09:00-13:00 stays within the day)."""
    zone = ZoneInfo(company.timezone)
    return datetime.combine(timezone.now().astimezone(zone).date(), time(9), tzinfo=zone)


def complete_url(booking: Booking) -> str:
    return f"{JOBS}{booking.pk}/complete/"


def start_url(booking: Booking) -> str:
    return f"{JOBS}{booking.pk}/start/"


@pytest.fixture
def colleague(alice):
    """A second driver of alice with a truck, and a job of their own today."""
    driver = DriverFactory(company=alice.company)
    truck = TruckFactory(company=alice.company)
    job = booking_in(Status.IN_PROGRESS, company=alice, crew=(truck, driver), handover_code=CODE)
    return driver, job


def test_a_driver_sees_only_their_own_jobs_of_today_and_tomorrow(alice, bob, colleague):
    # Given alice's driver with a job today and one tomorrow, one next week, a released one,
    # a colleague's job and a job of bob's driver
    nine = local_nine(alice.company)
    today = booking_in(Status.SCHEDULED, company=alice, start=nine)
    tomorrow = booking_in(Status.SCHEDULED, company=alice, start=nine + timedelta(days=1))
    booking_in(Status.SCHEDULED, company=alice, start=nine + timedelta(days=7))
    booking_in(Status.CANCELLED, company=alice, start=nine + timedelta(hours=5))
    booking_in(Status.SCHEDULED, company=bob, start=nine)

    response = client_for(alice.driver_user).get(JOBS)

    assert response.status_code == 200
    shown = [[row.allocation.booking_id for row in rows] for _day, rows in response.context["days"]]
    assert shown == [[today.pk], [tomorrow.pk]]
    assert f"Job #{colleague[1].pk}".encode() not in response.content


def test_the_page_shows_addresses_and_the_customers_contact(alice):
    job = booking_in(Status.SCHEDULED, company=alice, start=local_nine(alice.company))
    job.customer.phone, job.customer.email = "+33612345678", "claire@example.com"
    job.customer.save(update_fields=["phone", "email"])

    response = client_for(alice.driver_user).get(JOBS)

    body = response.content.decode()
    assert job.move_request.origin_address in body
    assert job.move_request.destination_address in body
    assert 'href="tel:+33612345678"' in body
    assert 'href="mailto:claire@example.com"' in body


def test_managers_get_the_403_page(alice):
    response = client_for(alice.dispatcher).get(JOBS)

    assert response.status_code == 403
    assert b"does not open this page" in response.content


def test_the_driver_starts_their_job(alice):
    job = booking_in(Status.SCHEDULED, company=alice)

    response = client_for(alice.driver_user).post(start_url(job))

    assert response.status_code == 302
    assert response["Location"] == JOBS
    job.refresh_from_db()
    assert job.status == Status.IN_PROGRESS
    assert list(BookingEvent.objects.filter(booking=job).values_list("kind", flat=True)) == [
        "started"
    ]


def test_a_start_too_early_is_a_flash_error_and_nothing_changes(alice):
    job = booking_in(Status.SCHEDULED, company=alice, start=timezone.now() + timedelta(days=3))
    before = db_state()

    response = client_for(alice.driver_user).post(start_url(job), follow=True)

    assert db_state() == before
    assert f"Job #{job.pk} was not started: This job can be started from".encode() in (
        response.content
    )


def test_the_driver_completes_with_the_customers_code(alice):
    job = booking_in(Status.IN_PROGRESS, company=alice, handover_code=CODE)

    response = client_for(alice.driver_user).post(complete_url(job), {"handover_code": CODE})

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.handover_verified) == (Status.COMPLETED, True)
    assert BookingEvent.objects.get(booking=job).kind == "completed"


def test_a_wrong_code_is_shown_inline_and_nothing_changes(alice):
    job = booking_in(Status.IN_PROGRESS, company=alice, handover_code=CODE)
    before = db_state()

    response = client_for(alice.driver_user).post(complete_url(job), {"handover_code": "000000"})

    assert response.status_code == 400
    assert db_state() == before
    assert b"This is not the customer&#x27;s handover code." in response.content
    assert b'aria-invalid="true"' in response.content


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "handover_code", "Enter the customer's code, or say why there is none."),
        ({"handover_code": "12ab"}, "handover_code", "The customer's 6-digit code."),
        (
            {"handover_code": CODE, "handover_note": "no"},
            "handover_note",
            "Give the code or a note, not both.",
        ),
    ],
)
def test_bad_completion_input_is_shown_inline_and_nothing_changes(alice, body, field, message):
    job = booking_in(Status.IN_PROGRESS, company=alice, handover_code=CODE)
    before = db_state()

    response = client_for(alice.driver_user).post(complete_url(job), body)

    assert response.status_code == 400
    assert db_state() == before
    form = next(row.form for _day, rows in response.context["days"] for row in rows)
    assert form.errors == {field: [message]}


def test_without_a_code_the_driver_records_why(alice):
    job = booking_in(Status.IN_PROGRESS, company=alice, handover_code=CODE)

    client_for(alice.driver_user).post(complete_url(job), {"handover_note": "Nobody home."})

    job.refresh_from_db()
    assert (job.status, job.handover_verified, job.handover_note) == (
        Status.COMPLETED,
        False,
        "Nobody home.",
    )


def test_another_drivers_job_is_404_and_unchanged(alice, colleague):
    _driver, job = colleague
    before = db_state()

    client = client_for(alice.driver_user)
    complete = client.post(complete_url(job), {"handover_code": CODE})
    start = client.post(start_url(job))

    assert (complete.status_code, start.status_code) == (404, 404)
    assert db_state() == before


def test_another_companys_job_is_404(alice, bob):
    job = booking_in(Status.IN_PROGRESS, company=bob, handover_code=CODE)
    before = db_state()

    response = client_for(alice.driver_user).post(complete_url(job), {"handover_code": CODE})

    assert response.status_code == 404
    assert db_state() == before


def test_actions_are_post_only(alice):
    job = booking_in(Status.IN_PROGRESS, company=alice, handover_code=CODE)
    client = client_for(alice.driver_user)

    assert client.get(complete_url(job)).status_code == 405
    assert client.get(start_url(job)).status_code == 405


def test_actions_need_the_csrf_token(alice):
    job = booking_in(Status.IN_PROGRESS, company=alice, handover_code=CODE)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice.driver_user)
    before = db_state()

    response = client.post(complete_url(job), {"handover_code": CODE})

    assert response.status_code == 403
    assert db_state() == before
