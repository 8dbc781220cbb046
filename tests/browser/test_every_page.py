"""Browser: every dashboard page the menu offers, and the detail pages they link to, opens
cleanly for its role: no console error, no CSP report, no serious accessibility violation.

The page list is read from the menu itself, so a page added to the menu is swept too.
"""

from __future__ import annotations

import pytest

from apps.pricing.examples import SMALL_LOCAL_MOVER
from tests.accounts.factories import TEST_PASSWORD
from tests.bookings.insights_support import at, invoice, job
from tests.bookings.lifecycle_support import booking_in
from tests.bookings.review_factories import completed_booking, stored_review
from tests.browser.conftest import Watched, assert_accessible, sign_in
from tests.cargo.factories import TripFactory
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = pytest.mark.django_db(transaction=True)


def _menu(watched: Watched) -> list[str]:
    links = watched.page.locator("nav[aria-label=Main] a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def _visit(watched: Watched, path: str) -> None:
    response = watched.goto(path)
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    assert watched.page.locator("h1").count() == 1, path
    assert_accessible(watched.page)


def _first_link(watched: Watched, prefix: str) -> str:
    """The href of the first link on the page under `prefix` (a detail page)."""
    for href in watched.page.eval_on_selector_all(
        "main a[href]", "els => els.map(e => e.getAttribute('href'))"
    ):
        if href.startswith(prefix) and href.rstrip("/") != prefix.rstrip("/"):
            return href
    raise AssertionError(f"no link under {prefix} on {watched.page.url}")


def test_every_managers_page_and_its_details_are_clean(alice, browser_page):
    # Given some of everything: pricing rules, a scheduled job, an invoice, a review, a trip
    PricingConfigFactory(company=alice.company, version=1, rules=stored_rules(SMALL_LOCAL_MOVER))
    booking_in("scheduled", company=alice)
    invoice(job(alice, "completed", made=at(2, 9)), issued_at=at(3, 14), total="420.00")
    stored_review(booking=completed_booking(company=alice.company), rating=4)
    TripFactory(company=alice.company, truck=alice.truck)

    sign_in(browser_page, email=alice.owner.email, password=TEST_PASSWORD)
    menu = _menu(browser_page)
    assert {"/dashboard/today/", "/dashboard/bookings/", "/dashboard/pricing/"} <= set(menu)

    for path in menu:
        _visit(browser_page, path)
        if path == "/dashboard/bookings/":
            _visit(browser_page, _first_link(browser_page, "/dashboard/bookings/"))
        elif path == "/dashboard/invoices/":
            _visit(browser_page, _first_link(browser_page, "/dashboard/invoices/"))
        elif path == "/dashboard/trips/":
            _visit(browser_page, _first_link(browser_page, "/dashboard/trips/"))


def test_the_drivers_menu_is_their_jobs_only(alice, browser_page):
    booking_in("scheduled", company=alice)

    sign_in(browser_page, email=alice.driver_user.email, password=TEST_PASSWORD)

    assert _menu(browser_page) == ["/dashboard/jobs/"]
    _visit(browser_page, "/dashboard/jobs/")
