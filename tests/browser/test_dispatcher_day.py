"""Browser: issue 13's first scenario in one go. A dispatcher signs in, adds a truck on the Fleet
page, schedules a booking on it from the booking page, and sees the conflict message when they
try to put a second booking on that truck at an overlapping time.

Between adding the truck and scheduling, the platform's admin approves the truck's registration
(the admin's review is its own workflow, tested in tests/verification); here it is a factory row.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.bookings.models import Booking, TruckAllocation
from apps.companies.models import Truck
from apps.verification.models import Document
from tests.accounts.factories import TEST_PASSWORD
from tests.bookings.factories import BookingFactory
from tests.bookings.scheduling import at, ready
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_bookings import schedule_through_the_form
from tests.verification.factories import DocumentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_dispatcher_adds_a_truck_schedules_a_booking_and_sees_the_double_booking_refused(
    alice, browser_page
):
    team = ready(alice)
    first, second = BookingFactory(company=team.company), BookingFactory(company=team.company)
    page = browser_page.page
    sign_in(browser_page, email=team.dispatcher.email, password=TEST_PASSWORD)

    # The dispatcher adds a truck on the Fleet page
    page.get_by_role("link", name="Fleet").click()
    page.get_by_role("link", name="Add a truck").click()
    page.get_by_label("Plate").fill("NEW-042")
    page.get_by_label("Capacity (m³)").fill("30")
    page.get_by_label("Payload (kg)").fill("3000")
    page.get_by_role("button", name="Add the truck").click()
    expect(page.get_by_role("rowheader", name="NEW-042")).to_be_visible()
    truck = Truck.objects.get(company=team.company, plate="NEW-042")

    # (the admin approves its registration)
    DocumentFactory(
        company=team.company, kind=Document.Kind.TRUCK_REGISTRATION, truck=truck, approved=True
    )

    # It schedules the first booking on the new truck
    browser_page.goto(f"/dashboard/bookings/{first.id}/")
    schedule_through_the_form(page, truck=truck, driver=team.driver, start=at(9), end=at(13))
    expect(page.get_by_role("status")).to_contain_text(f"Booking #{first.id} scheduled.")

    # ...and tries the second on the same truck at an overlapping time
    browser_page.goto(f"/dashboard/bookings/{second.id}/")
    schedule_through_the_form(page, truck=truck, driver=team.driver, start=at(12), end=at(16))

    # The conflict is shown on the form, and nothing changed for the second booking
    expect(page.locator(".schedule-form [role=alert]")).to_contain_text(
        f"Truck NEW-042 is already booked {at(9):%Y-%m-%d} 09:00-13:00"
    )
    assert_accessible(page)
    second.refresh_from_db()
    assert second.status == Booking.Status.CONFIRMED
    assert not TruckAllocation.objects.filter(booking=second).exists()
    assert TruckAllocation.objects.get(booking=first).truck == truck
