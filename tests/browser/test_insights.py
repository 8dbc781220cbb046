"""Browser: Insights shows the figures of a seeded week, charts included, and stays clean."""

from __future__ import annotations

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.bookings.insights_support import seed_week
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_insights_shows_the_figures_of_a_seeded_week(alice, bob, browser_page):
    # Given alice's hand-counted week of 2 November 2026
    seed_week(alice, bob)
    sign_in(browser_page, email=alice.dispatcher.email, password=TEST_PASSWORD)

    # When the dispatcher opens Insights and chooses that week
    browser_page.goto("/dashboard/insights/")
    page = browser_page.page
    page.get_by_label("From", exact=True).fill("2026-11-02")
    page.get_by_label("To", exact=True).fill("2026-11-08")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()

    # Then every measure shows the week's figures, with a chart each
    def summary(measure: str) -> str:
        return page.get_by_test_id(f"{measure}-summary").inner_text()

    assert summary("revenue") == "750.50 EUR in the period"
    assert summary("status") == "5 bookings made"
    assert summary("utilisation") == "28.6 % of the trucks' working hours booked"
    assert summary("on-time") == "50.0 % of 2 started jobs on time"
    assert summary("rating") == "4.50 / 5 from 2 reviews"
    assert summary("cancellation") == "20.0 % of the bookings made were cancelled"
    assert page.locator("svg.bar-chart").count() == 6
    assert page.get_by_role(
        "img", name="Revenue per week (EUR): 750.50 EUR in the period"
    ).is_visible()
    assert_accessible(page)

    # And the CSV link exports that period
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == "insights-2026-11-02-2026-11-08.csv"
