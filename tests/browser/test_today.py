"""Browser: a dispatcher signs in through the form and lands on Today; the page is clean."""

from __future__ import annotations

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_dispatcher_signs_in_and_sees_today_with_its_csp(alice, browser_page):
    # Given alice's dispatcher, and alice not yet verified (so Today lists what is missing)
    alice.company.verification_status = alice.company.VerificationStatus.PENDING
    alice.company.save(update_fields=["verification_status"])
    # When they sign in through the form
    sign_in(browser_page, email=alice.dispatcher.email, password=TEST_PASSWORD)

    # Then they land on Today, served with a CSP that allows no inline script
    page = browser_page.page
    assert page.url == browser_page.base_url + "/dashboard/today/"
    assert page.get_by_role("heading", name="Today", exact=True).is_visible()
    assert page.get_by_text("Alice is not verified").is_visible()
    response = browser_page.goto("/dashboard/today/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert_accessible(page)


def test_wrong_password_shows_the_error_inline_and_stays_signed_out(alice, browser_page):
    sign_in(browser_page, email=alice.dispatcher.email, password="not-the-password")

    page = browser_page.page
    assert page.url.endswith("/dashboard/login/")
    assert page.get_by_role("alert").first.is_visible()
    browser_page.goto("/dashboard/today/")
    assert "/dashboard/login/" in page.url
    assert_accessible(page)
