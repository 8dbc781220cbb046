"""Browser: a driver on a phone sees only their own jobs and completes one with the code."""

from __future__ import annotations

import pytest

from apps.bookings.models import Booking
from tests.accounts.factories import TEST_PASSWORD
from tests.bookings.lifecycle_support import booking_in
from tests.browser.conftest import assert_accessible, sign_in
from tests.companies.factories import DriverFactory, TruckFactory

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "482913"


def test_a_driver_sees_only_their_jobs_and_completes_one_with_the_code(alice, browser_page):
    # Given alice's driver with a job in progress, and a colleague's job
    mine = booking_in(Booking.Status.IN_PROGRESS, company=alice, handover_code=CODE)
    crew = (TruckFactory(company=alice.company), DriverFactory(company=alice.company))
    theirs = booking_in(Booking.Status.IN_PROGRESS, company=alice, crew=crew)
    page = browser_page.page
    page.set_viewport_size({"width": 390, "height": 844})

    # When the driver signs in on a phone
    sign_in(browser_page, email=alice.driver_user.email, password=TEST_PASSWORD)

    # Then they land on their jobs, which list only their own
    assert page.url == browser_page.base_url + "/dashboard/jobs/"
    assert page.get_by_role("heading", name="My jobs").is_visible()
    assert page.get_by_text(f"Job #{mine.pk}", exact=False).first.is_visible()
    assert page.get_by_text(f"Job #{theirs.pk}", exact=False).count() == 0
    assert_accessible(page)
    # the page fits the phone: nothing wider than the viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # When they enter the customer's code and complete the job
    page.get_by_label("Customer's handover code").fill(CODE)
    page.get_by_role("button", name=f"Complete job #{mine.pk}").click()
    page.wait_for_load_state()

    # Then the job is completed, with the code verified
    assert page.get_by_text(f"Job #{mine.pk} completed.").is_visible()
    mine.refresh_from_db()
    assert (mine.status, mine.handover_verified) == (Booking.Status.COMPLETED, True)
    assert_accessible(page)
