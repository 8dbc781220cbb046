"""Browser: a dispatcher finds a booking, schedules it, and sees a double-booking refused inline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.bookings.models import Booking, TruckAllocation
from tests.accounts.factories import TEST_PASSWORD
from tests.bookings.dashboard_support import local
from tests.bookings.factories import BookingFactory
from tests.bookings.scheduling import at, ready
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def schedule_through_the_form(page, *, truck, driver, start, end) -> None:
    page.get_by_label("Start", exact=True).fill(local(start))
    page.get_by_label("End", exact=True).fill(local(end))
    page.get_by_label("Truck").select_option(str(truck.id))
    page.locator(f'input[type=checkbox][name="drivers"][value="{driver.id}"]').check()
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_load_state()


def test_dispatcher_schedules_a_booking_then_sees_the_double_booking_refused(alice, browser_page):
    # Given alice's truck and driver ready to work, and two confirmed bookings
    team = ready(alice)
    first = BookingFactory(company=team.company)
    second = BookingFactory(company=team.company)
    page = browser_page.page
    sign_in(browser_page, email=team.dispatcher.email, password=TEST_PASSWORD)

    # When the dispatcher searches the list for the first one (htmx swaps the results)
    browser_page.goto("/dashboard/bookings/")
    assert_accessible(page)
    page.get_by_label("Search").fill(f"#{first.id}")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_role("link", name=f"#{second.id}", exact=True)).to_have_count(0)
    page.get_by_role("link", name=f"#{first.id}", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)

    # ...and schedules it 09:00-13:00
    schedule_through_the_form(page, truck=team.truck, driver=team.driver, start=at(9), end=at(13))

    # Then it is scheduled
    expect(page.get_by_role("status")).to_contain_text(f"Booking #{first.id} scheduled.")
    first.refresh_from_db()
    assert first.status == Booking.Status.SCHEDULED

    # When they put the second booking on the same truck at 11:00-15:00
    browser_page.goto(f"/dashboard/bookings/{second.id}/")
    schedule_through_the_form(page, truck=team.truck, driver=team.driver, start=at(11), end=at(15))

    # Then the conflict is shown on the form, and the second booking is still unscheduled
    alert = page.locator(".schedule-form [role=alert]")
    expect(alert).to_contain_text(
        f"Truck {team.truck.plate} is already booked {at(9):%Y-%m-%d} 09:00-13:00"
    )
    assert_accessible(page)
    second.refresh_from_db()
    assert second.status == Booking.Status.CONFIRMED
    assert not TruckAllocation.objects.filter(booking=second).exists()


def test_the_schedule_week_shows_the_job_and_opens_its_booking(alice, browser_page):
    team = ready(alice)
    booking = BookingFactory(company=team.company)
    sign_in(browser_page, email=team.owner.email, password=TEST_PASSWORD)
    page = browser_page.page
    browser_page.goto(f"/dashboard/bookings/{booking.id}/")
    schedule_through_the_form(page, truck=team.truck, driver=team.driver, start=at(9), end=at(13))

    browser_page.goto(f"/dashboard/schedule/?week={at(9):%Y-%m-%d}")
    assert_accessible(page)
    page.get_by_role("link", name=f"Booking #{booking.id}").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Booking #{booking.id}")
