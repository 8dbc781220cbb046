"""Helpers of the reviews tests: completed bookings, stored reviews, a snapshot of what a refusal
must leave unchanged."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent, Review
from apps.companies.models import Company
from tests.bookings.factories import BookingFactory


def completed_booking(*, company: Company, **kwargs: Any) -> Booking:
    """A completed booking of `company` for a new customer (rows written directly)."""
    return BookingFactory(
        company=company,
        status=Booking.Status.COMPLETED,
        completed_at=timezone.now(),
        **kwargs,
    )


def stored_review(*, booking: Booking, rating: int, comment: str = "") -> Review:
    """A review row with the company's counters moved as the service moves them."""
    company = booking.company
    company.review_count += 1
    company.rating_sum += rating
    company.save(update_fields=["review_count", "rating_sum"])
    return Review.objects.create(
        booking=booking,
        company=company,
        customer=booking.customer,
        rating=rating,
        comment=comment,
    )


def review_state() -> dict[str, Any]:
    """The reviews, every company's counters and the booking events: a refusal changes none."""
    return {
        "reviews": list(Review.objects.order_by("id").values()),
        "counters": list(Company.objects.order_by("id").values("id", "review_count", "rating_sum")),
        "events": list(BookingEvent.objects.order_by("id").values("id", "kind")),
    }
