"""Insights figures (apps.bookings.insights) against a hand-counted week."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apps.bookings.insights import Period, company_insights, insights_period_default
from tests.bookings.insights_support import WEEK_END, WEEK_START, seed_week

pytestmark = pytest.mark.django_db


def test_the_seeded_week_gives_the_hand_counted_figures(alice, bob):
    seed_week(alice, bob)

    figures = company_insights(company=alice.company, period=Period(start=WEEK_START, end=WEEK_END))

    [week] = figures.buckets
    assert (week.start, week.end) == (WEEK_START, WEEK_END)
    assert figures.currency == "EUR"
    assert week.revenue == Decimal("750.50")
    assert week.by_status == {"completed": 2, "cancelled": 1, "scheduled": 1, "confirmed": 1}
    assert week.bookings == 5
    assert week.cancellation_rate == Decimal("0.2000")
    assert (week.booked_hours, week.available_hours) == (20, 70)
    assert week.utilisation == Decimal("0.2857")
    assert (week.started, week.on_time, week.on_time_rate) == (2, 1, Decimal("0.5000"))
    assert (week.reviews, week.average_rating) == (2, Decimal("4.50"))


def test_two_weeks_give_a_bucket_each_and_their_sum(alice, bob):
    seed_week(alice, bob)

    figures = company_insights(
        company=alice.company, period=Period(start=WEEK_START, end=date(2026, 11, 15))
    )

    _, second = figures.buckets
    assert second.start == date(2026, 11, 9)
    assert second.by_status == {"confirmed": 1}  # b6, made Monday 00:30 in Paris
    assert (second.revenue, second.utilisation, second.on_time_rate) == (0, 0, None)
    assert second.average_rating is None
    total = figures.total
    assert total.revenue == Decimal("750.50")
    assert total.bookings == 6
    assert total.cancellation_rate == Decimal("0.1667")
    assert total.utilisation == Decimal("0.1429")
    assert total.on_time_rate == Decimal("0.5000")
    assert total.average_rating == Decimal("4.50")


def test_months_are_calendar_months_clipped_to_the_period(alice, bob):
    seed_week(alice, bob)

    figures = company_insights(
        company=alice.company,
        period=Period(start=date(2026, 10, 20), end=date(2026, 11, 10), grouping="month"),
    )

    october, november = figures.buckets
    assert (october.start, october.end) == (date(2026, 10, 20), date(2026, 10, 31))
    assert (november.start, november.end) == (date(2026, 11, 1), date(2026, 11, 10))
    assert october.bookings == 0
    assert november.bookings == 7  # b1-b6 and b7 (made on Sunday 1 November)
    assert november.revenue == Decimal("750.50")
    assert november.available_hours == 100  # 10 days x 10 h x 1 truck


def test_the_default_period_is_the_current_week_and_the_seven_before():
    period = insights_period_default(today=date(2026, 11, 26))  # a Thursday

    assert (period.start, period.end, period.grouping) == (
        date(2026, 10, 5),
        date(2026, 11, 29),
        "week",
    )


def test_a_company_without_trucks_or_business_has_no_rates(bob):
    bob.truck.delete()

    figures = company_insights(company=bob.company, period=Period(start=WEEK_START, end=WEEK_END))

    [week] = figures.buckets
    assert (week.revenue, week.bookings, week.available_hours) == (0, 0, 0)
    assert week.utilisation is None
    assert week.cancellation_rate is None
