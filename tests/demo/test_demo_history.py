"""seed_demo's history: seven past weeks of the staffed company's work, made once, so Insights
shows real figures over its default period (each figure recounted here from the seeded rows)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from apps.bookings.demo_history import HISTORY_NOTE, UNANSWERED_REVIEWS, history_jobs
from apps.bookings.insights import company_insights, insights_period_default
from apps.bookings.models import (
    Booking,
    BookingEvent,
    Invoice,
    Review,
    TruckAllocation,
)
from apps.bookings.schedule_selectors import company_zone
from apps.companies.demo import STAFFED_COMPANY_SLUG
from apps.companies.models import Company, Truck
from tests.bookings.quoting import catalogue

__all__ = ["catalogue"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def history() -> list[tuple]:
    return sorted(
        Booking.objects.filter(move_request__notes__startswith=HISTORY_NOTE).values_list(
            "pk", "status", "scheduled_start", "started_at", "total"
        )
    )


def test_the_history_is_made_once():
    call_command("seed_demo")
    first = history()
    counts = (Invoice.objects.count(), Review.objects.count(), BookingEvent.objects.count())

    call_command("seed_demo")

    assert history() == first
    assert (Invoice.objects.count(), Review.objects.count(), BookingEvent.objects.count()) == (
        counts
    )
    company = Company.objects.get(slug=STAFFED_COMPANY_SLUG)
    today = timezone.now().astimezone(company_zone(company)).date()
    assert len(first) == len(history_jobs(today=today))
    statuses = [status for _, status, *_ in first]
    assert statuses.count("cancelled") == 3
    assert statuses.count("completed") == len(first) - 3
    # Every history job lies before the current week: nothing clashes with today's jobs
    monday = today - timedelta(days=today.weekday())
    week_start = datetime.combine(monday, time.min, tzinfo=company_zone(company))
    assert all(start is None or start < week_start for _, _, start, _, _ in first)
    # One invoice per completed job, with the same numbers from 1 up, varied totals
    invoices = Invoice.objects.filter(booking__move_request__notes__startswith=HISTORY_NOTE)
    assert invoices.count() == len(first) - 3
    assert sorted(invoices.values_list("number", flat=True)) == list(range(1, len(first) - 2))
    assert len(set(invoices.values_list("total", flat=True))) > 5
    # Reviews: all but the latest two replied; the company's counters follow the reviews
    reviews = Review.objects.filter(company=company)
    assert reviews.filter(replied_at__isnull=True).count() == UNANSWERED_REVIEWS
    assert reviews.count() > UNANSWERED_REVIEWS
    assert (company.review_count, company.rating_sum) == (
        reviews.count(),
        sum(reviews.values_list("rating", flat=True)),
    )
    # Events are stamped at the past steps, in order
    booking = Booking.objects.get(pk=first[0][0])
    kinds_at = list(BookingEvent.objects.filter(booking=booking).values_list("kind", "at"))
    assert [kind for kind, _ in kinds_at][:2] == ["confirmed", "scheduled"]
    assert all(at < week_start for _, at in kinds_at)


def test_insights_over_the_default_period_count_the_history():
    # Given the demo data (the history plus today's jobs)
    call_command("seed_demo")
    company = Company.objects.get(slug=STAFFED_COMPANY_SLUG)
    zone = company_zone(company)
    today = timezone.now().astimezone(zone).date()
    period = insights_period_default(today=today)
    since = datetime.combine(period.start, time.min, tzinfo=zone)
    until = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)

    # When Insights counts the default period
    total = company_insights(company=company, period=period).total

    # Then each figure is the one recounted from the rows
    invoices = Invoice.objects.filter(company=company, issued_at__gte=since, issued_at__lt=until)
    assert total.revenue == sum(invoices.values_list("total", flat=True)) > 0
    made = Booking.objects.filter(company=company, created_at__gte=since, created_at__lt=until)
    cancelled = made.filter(status="cancelled").count()
    assert (total.bookings, total.cancelled) == (made.count(), cancelled)
    assert cancelled == 3
    assert total.cancellation_rate == (Decimal(cancelled) / made.count()).quantize(
        Decimal("0.0001"), ROUND_HALF_UP
    )
    started = [
        (booking.scheduled_start, booking.started_at)
        for booking in Booking.objects.filter(
            company=company,
            started_at__isnull=False,
            scheduled_start__gte=since,
            scheduled_start__lt=until,
        )
    ]
    on_time = sum(1 for start, at in started if at <= start + timedelta(minutes=15))
    assert (total.started, total.on_time) == (len(started), on_time)
    assert 0 < on_time < len(started)
    hours = Decimal(0)
    for allocation in TruckAllocation.objects.filter(company=company, released_at__isnull=True):
        lower, upper = max(allocation.period.lower, since), min(allocation.period.upper, until)
        if upper > lower:
            hours += Decimal((upper - lower).total_seconds()) / 3600
    trucks = Truck.objects.filter(company=company, status=Truck.Status.ACTIVE).count()
    assert total.booked_hours == hours > 0
    assert total.available_hours == trucks * Decimal(settings.BOOKING_WORKDAY_HOURS) * 56
    ratings = list(
        Review.objects.filter(
            company=company, created_at__gte=since, created_at__lt=until
        ).values_list("rating", flat=True)
    )
    assert (total.reviews, total.rating_sum) == (len(ratings), sum(ratings))
    assert total.average_rating == (Decimal(sum(ratings)) / len(ratings)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
