"""The Invoices and Reviews dashboard pages: lists, detail, the reply form, and their rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from apps.bookings.models import BookingEvent, InvoiceLine, Review
from tests.bookings.insights_support import at, invoice, job
from tests.bookings.review_factories import completed_booking, review_state, stored_review

pytestmark = pytest.mark.django_db

DONE = "completed"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def invoices(alice, bob):
    """Alice's invoices 1 (with two lines) and 3, bob's 2."""
    first = invoice(job(alice, DONE, made=at(2, 9)), issued_at=at(3, 14), total="500.00")
    InvoiceLine.objects.create(
        invoice=first, position=1, source="quote", code="labour", label="Labour, 2 movers",
        quantity=Decimal("3"), unit_price=Decimal("100.00"), amount=Decimal("300.00"),
    )  # fmt: skip
    InvoiceLine.objects.create(
        invoice=first, position=2, source="adjustment", code="extra", label="Extra boxes",
        quantity=Decimal("4"), unit_price=Decimal("50.00"), amount=Decimal("200.00"),
    )  # fmt: skip
    theirs = invoice(job(bob, DONE, made=at(2, 9)), issued_at=at(4, 14), total="80.00")
    latest = invoice(job(alice, DONE, made=at(2, 9)), issued_at=at(5, 14), total="120.00")
    return first, theirs, latest


def test_the_invoice_list_shows_the_companys_invoices_newest_first(alice, invoices):
    first, theirs, latest = invoices

    response = client_for(alice.dispatcher).get("/dashboard/invoices/")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [latest, first]
    assert f'href="/dashboard/invoices/{first.number}/"'.encode() in response.content
    assert f"/dashboard/invoices/{theirs.number}/".encode() not in response.content


def test_the_invoice_detail_has_its_lines_and_the_html_and_pdf_links(alice, invoices):
    first, _, _ = invoices
    client = client_for(alice.owner)

    response = client.get(f"/dashboard/invoices/{first.number}/")

    assert response.status_code == 200
    assert [line.label for line in response.context["invoice"].lines.all()] == [
        "Labour, 2 movers",
        "Extra boxes",
    ]
    html = f"/api/v1/bookings/{first.booking_id}/invoice/?format=html"
    pdf = f"/api/v1/bookings/{first.booking_id}/invoice/?format=pdf"
    assert f'href="{html}"'.encode() in response.content
    assert f'href="{pdf}"'.encode() in response.content
    assert f'href="/dashboard/bookings/{first.booking_id}/"'.encode() in response.content
    # the links open with the dashboard's session
    printable = client.get(html)
    assert printable.status_code == 200
    assert printable["Content-Type"] == "text/html; charset=utf-8"
    assert b"Labour, 2 movers" in printable.content


def test_another_companys_invoice_is_404(alice, invoices):
    _, theirs, _ = invoices

    response = client_for(alice.dispatcher).get(f"/dashboard/invoices/{theirs.number}/")

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/dashboard/invoices/", "/dashboard/reviews/"])
def test_a_driver_is_refused_invoices_and_reviews(alice, path):
    response = client_for(alice.driver_user).get(path)

    assert response.status_code == 403
    assert b"does not open this page" in response.content


def test_the_invoice_pages_are_read_only(alice, invoices):
    first, _, _ = invoices
    client = client_for(alice.dispatcher)

    assert client.post("/dashboard/invoices/").status_code == 405
    assert client.post(f"/dashboard/invoices/{first.number}/").status_code == 405


# --- reviews ---------------------------------------------------------------------------------


@pytest.fixture
def reviews(alice, bob):
    mine = stored_review(booking=completed_booking(company=alice.company), rating=4, comment="Ok")
    theirs = stored_review(booking=completed_booking(company=bob.company), rating=2)
    return mine, theirs


def test_the_reviews_page_lists_the_companys_reviews(alice, reviews):
    mine, _ = reviews

    response = client_for(alice.dispatcher).get("/dashboard/reviews/")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert b'<label for="reply-' in response.content


def test_a_manager_replies_once(alice, reviews):
    mine, _ = reviews

    response = client_for(alice.dispatcher).post(
        f"/dashboard/reviews/{mine.pk}/reply/", {"reply": "  Thank you!  "}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/reviews/#review-{mine.pk}"
    mine.refresh_from_db()
    assert (mine.reply, mine.replied_by) == ("Thank you!", alice.dispatcher)
    assert BookingEvent.objects.filter(booking=mine.booking, kind="review_replied").count() == 1
    page = client_for(alice.dispatcher).get("/dashboard/reviews/?unanswered=1")
    assert list(page.context["page"].object_list) == []


def test_an_empty_reply_is_shown_inline_and_changes_nothing(alice, reviews):
    mine, _ = reviews
    before = review_state()

    response = client_for(alice.owner).post(f"/dashboard/reviews/{mine.pk}/reply/", {"reply": " "})

    assert response.status_code == 200
    assert response.context["failed_form"].errors == {"reply": ["This field is required."]}
    assert f'id="reply-{mine.pk}-errors"><li>This field is required.</li>'.encode() in (
        response.content
    )
    assert review_state() == before


def test_a_second_reply_is_refused_inline_and_changes_nothing(alice, reviews):
    mine, _ = reviews
    Review.objects.filter(pk=mine.pk).update(
        reply="First", replied_at=at(10, 9), replied_by=alice.owner
    )
    before = review_state()

    response = client_for(alice.dispatcher).post(
        f"/dashboard/reviews/{mine.pk}/reply/", {"reply": "Second"}
    )

    assert response.status_code == 200
    assert response.context["failed_form"].errors == {"reply": ["A review gets one reply."]}
    assert review_state() == before


def test_replying_to_another_companys_review_is_404_and_changes_nothing(alice, reviews):
    _, theirs = reviews
    before = review_state()

    response = client_for(alice.owner).post(
        f"/dashboard/reviews/{theirs.pk}/reply/", {"reply": "Hi"}
    )

    assert response.status_code == 404
    assert review_state() == before


def test_the_reply_is_post_only_csrf_protected_and_managers_only(alice, reviews):
    mine, _ = reviews
    url = f"/dashboard/reviews/{mine.pk}/reply/"
    before = review_state()

    assert client_for(alice.owner).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice.owner)
    assert strict.post(url, {"reply": "Hi"}).status_code == 403
    assert client_for(alice.driver_user).post(url, {"reply": "Hi"}).status_code == 403
    assert review_state() == before


def test_the_printable_invoice_carries_the_nonce_of_its_csp_header(alice, invoices):
    first, _, _ = invoices

    response = client_for(alice.dispatcher).get(
        f"/api/v1/bookings/{first.booking_id}/invoice/?format=html"
    )

    policy = response["Content-Security-Policy"]
    style_src = policy.split("style-src", 1)[1].split(";", 1)[0]
    nonce = style_src.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<style nonce="{nonce}">'.encode() in response.content
