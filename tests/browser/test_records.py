"""Browser: a dispatcher reads an invoice (and its printable page) and replies to a review."""

from __future__ import annotations

import pytest

from apps.bookings.models import Review
from tests.accounts.factories import TEST_PASSWORD
from tests.bookings.insights_support import at, invoice, job
from tests.bookings.review_factories import completed_booking, stored_review
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_dispatcher_opens_an_invoice_and_its_printable_page(alice, browser_page):
    issued = invoice(job(alice, "completed", made=at(2, 9)), issued_at=at(3, 14), total="500.00")
    sign_in(browser_page, email=alice.dispatcher.email, password=TEST_PASSWORD)
    page = browser_page.page

    browser_page.goto("/dashboard/invoices/")
    assert_accessible(page)
    page.get_by_role("link", name=f"No. {issued.number}").click()
    page.get_by_role("heading", name=f"Invoice No. {issued.number}").wait_for()
    assert_accessible(page)

    # the printable page is the API's renderer, CSP-clean (the console watch fails otherwise)
    page.get_by_role("link", name="Printable page (HTML)").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/api/v1/bookings/{issued.booking_id}/invoice/?format=html")
    assert page.get_by_text("500.00").first.is_visible()


def test_dispatcher_replies_to_a_review(alice, browser_page):
    review = stored_review(booking=completed_booking(company=alice.company), rating=5)
    sign_in(browser_page, email=alice.dispatcher.email, password=TEST_PASSWORD)
    page = browser_page.page
    browser_page.goto("/dashboard/reviews/")
    assert_accessible(page)

    page.get_by_role("button", name="Publish reply").click()  # empty: refused inline
    page.get_by_text("This field is required.").wait_for()
    page.get_by_label("Reply to this review").fill("Thank you, see you next move!")
    page.get_by_role("button", name="Publish reply").click()

    page.get_by_text("Your reply is published.").wait_for()
    assert page.get_by_text("Thank you, see you next move!").is_visible()
    assert Review.objects.get(pk=review.pk).reply == "Thank you, see you next move!"
    assert_accessible(page)
