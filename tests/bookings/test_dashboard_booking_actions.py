"""The booking page's actions: schedule (with clashes shown inline), start, complete, cancel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent, Invoice, TruckAllocation
from tests.bookings.dashboard_support import action, client_for, local, page
from tests.bookings.factories import BookingFactory
from tests.bookings.lifecycle_support import booking_in, db_state
from tests.bookings.scheduling import at, live_periods, ready, schedule_rows

pytestmark = pytest.mark.django_db

Status = Booking.Status


@pytest.fixture
def team(alice):
    return ready(alice)


def schedule_form(team, start, end, *, drivers=None) -> dict:
    return {
        "truck": team.truck.id,
        "drivers": [d.id for d in (drivers or [team.driver])],
        "start": local(start),
        "end": local(end),
    }


def test_dispatcher_schedules_from_the_page_and_is_sent_back_with_a_flash(team):
    booking = BookingFactory(company=team.company)
    client = client_for(team.dispatcher)

    response = client.post(action(booking, "schedule"), schedule_form(team, at(9), at(13)))

    assert response.status_code == 302
    assert response["Location"] == page(booking)
    booking.refresh_from_db()
    assert (booking.status, booking.scheduled_start, booking.scheduled_end) == (
        Status.SCHEDULED,
        at(9),
        at(13),
    )
    assert live_periods(TruckAllocation, booking=booking) == [(team.truck.id, at(9), at(13))]
    assert BookingEvent.objects.get(booking=booking).actor_id == team.dispatcher.id
    followed = client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]] == [f"Booking #{booking.id} scheduled."]


def test_an_overlapping_slot_shows_the_conflict_inline_and_changes_nothing(team):
    # Given the truck already booked 09:00-13:00 for another booking
    first = BookingFactory(company=team.company)
    client = client_for(team.dispatcher)
    client.post(action(first, "schedule"), schedule_form(team, at(9), at(13)))
    second = BookingFactory(company=team.company)
    before = schedule_rows()

    # When the dispatcher puts the second booking on it at 11:00-15:00
    response = client.post(action(second, "schedule"), schedule_form(team, at(11), at(15)))

    # Then the page answers with the clash on the schedule form, and nothing was written
    assert response.status_code == 200
    form = response.context["forms"]["schedule"]
    assert form.non_field_errors() == [
        f"Truck {team.truck.plate} is already booked {at(9):%Y-%m-%d} 09:00-13:00 (Europe/Paris)."
    ]
    assert b"is already booked" in response.content
    assert schedule_rows() == before


def test_an_end_before_the_start_is_shown_on_the_field_and_changes_nothing(team):
    booking = BookingFactory(company=team.company)
    before = schedule_rows()

    response = client_for(team.owner).post(
        action(booking, "schedule"), schedule_form(team, at(13), at(9))
    )

    assert response.status_code == 200
    assert response.context["forms"]["schedule"].errors == {"end": ["Must be after start."]}
    assert schedule_rows() == before


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("start", "tomorrow", "Enter a valid date/time."),
        ("truck", "0", "Select a valid choice. 0 is not one of the available choices."),
        ("drivers", None, "This field is required."),
    ],
)
def test_malformed_schedule_input_is_shown_inline(team, field, value, error):
    booking = BookingFactory(company=team.company)
    data = schedule_form(team, at(9), at(13))
    data[field] = value
    if value is None:  # no box ticked: the field is not posted at all
        del data[field]
    before = schedule_rows()

    response = client_for(team.owner).post(action(booking, "schedule"), data)

    assert response.status_code == 200
    assert response.context["forms"]["schedule"].errors[field] == [error]
    assert schedule_rows() == before


def test_a_start_in_the_past_is_refused_as_the_api_refuses_it(team):
    booking = BookingFactory(company=team.company)
    start = timezone.now() - timedelta(hours=2)
    before = schedule_rows()

    response = client_for(team.owner).post(
        action(booking, "schedule"), schedule_form(team, start, start + timedelta(hours=3))
    )

    assert response.context["forms"]["schedule"].errors == {"start": ["Must not be in the past."]}
    assert schedule_rows() == before


def test_a_scheduled_booking_is_rescheduled(team):
    booking = booking_in(Status.SCHEDULED, company=team, start=at(9))

    response = client_for(team.owner).post(
        action(booking, "schedule"), schedule_form(team, at(14), at(17))
    )

    assert response.status_code == 302
    assert live_periods(TruckAllocation, booking=booking) == [(team.truck.id, at(14), at(17))]
    assert BookingEvent.objects.get(booking=booking).kind == "rescheduled"


def test_a_suggestion_posts_its_truck_crew_and_window(team):
    # Given a confirmed booking and the page's first proposal
    booking = BookingFactory(company=team.company)
    booking.quote.crew_size = 1
    booking.quote.save(update_fields=["crew_size"])
    client = client_for(team.owner)
    picker = client.get(page(booking)).context["picker"]
    proposal = picker.suggestions.proposals[0]
    assert (proposal.truck, proposal.drivers) == (team.truck, [team.driver])

    # When its button is used (the form's hidden fields)
    response = client.post(
        action(booking, "schedule"),
        {
            "truck": proposal.truck.id,
            "drivers": [d.id for d in proposal.drivers],
            "start": local(picker.suggestions.start),
            "end": local(picker.suggestions.end),
        },
    )

    # Then the booking holds that truck for that window
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.scheduled_start, booking.scheduled_end) == (
        picker.suggestions.start,
        picker.suggestions.end,
    )


def test_start_moves_a_scheduled_booking_on(team):
    booking = booking_in(Status.SCHEDULED, company=team)

    response = client_for(team.dispatcher).post(action(booking, "start"))

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.IN_PROGRESS
    assert BookingEvent.objects.get(booking=booking).kind == "started"


def test_a_step_the_state_no_longer_allows_says_why_at_the_top(team):
    booking = booking_in(Status.COMPLETED, company=team)
    before = db_state()

    response = client_for(team.dispatcher).post(action(booking, "start"))

    assert response.status_code == 200
    assert response.context["refused"] == ["A booking cannot go from completed to in_progress."]
    assert db_state() == before


def test_complete_with_actual_hours_and_an_extra_issues_the_invoice(team):
    booking = booking_in(Status.IN_PROGRESS, company=team)

    response = client_for(team.dispatcher).post(
        action(booking, "complete"),
        {
            "actual_hours": "3",
            "handover_code": booking.handover_code,
            "extras_1_label": "Piano",
            "extras_1_quantity": "1",
            "extras_1_unit_price": "120",
        },
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.actual_hours, booking.handover_verified) == (
        Status.COMPLETED,
        Decimal("3.00"),
        True,
    )
    invoice = Invoice.objects.get(booking=booking)
    assert [(line.label, line.amount) for line in invoice.lines.order_by("position")][-1] == (
        "Piano",
        Decimal("120.00"),
    )


def test_a_wrong_handover_code_is_shown_on_its_field_and_completes_nothing(team):
    booking = booking_in(Status.IN_PROGRESS, company=team, handover_code="123456")
    before = db_state()

    response = client_for(team.dispatcher).post(
        action(booking, "complete"), {"handover_code": "654321"}
    )

    assert response.status_code == 200
    assert response.context["forms"]["complete"].errors == {
        "handover_code": ["This is not the customer's handover code."]
    }
    assert db_state() == before


def test_an_extra_rows_error_is_shown_on_that_row(team):
    booking = booking_in(Status.IN_PROGRESS, company=team)
    before = db_state()

    response = client_for(team.dispatcher).post(
        action(booking, "complete"),
        {
            "handover_note": "Customer away; neighbour took the keys.",
            "extras_2_label": "Boxes",
            "extras_2_quantity": "0",
            "extras_2_unit_price": "2",
        },
    )

    errors = response.context["forms"]["complete"].errors
    assert list(errors) == ["extras_2_quantity"]
    assert errors["extras_2_quantity"][0].startswith("Ensure this value is greater than")
    assert db_state() == before


def test_completing_without_code_or_note_is_refused_inline(team):
    booking = booking_in(Status.IN_PROGRESS, company=team)
    before = db_state()

    response = client_for(team.dispatcher).post(action(booking, "complete"), {})

    assert response.context["forms"]["complete"].errors == {
        "handover_note": ["Required when there is no handover_code."]
    }
    assert db_state() == before


def test_cancel_releases_the_slot_and_records_the_reason(team):
    booking = booking_in(Status.SCHEDULED, company=team)

    response = client_for(team.owner).post(
        action(booking, "cancel"), {"reason": "Customer moved the date."}
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert live_periods(TruckAllocation, booking=booking) == []
    event = BookingEvent.objects.get(booking=booking, kind="cancelled")
    assert (event.data["by"], event.data["reason"]) == ("company", "Customer moved the date.")
