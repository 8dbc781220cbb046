"""A company's utilisation on a day (booked / available truck-hours) and the demand surcharge."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.bookings.models import TruckAllocation
from apps.bookings.schedule_selectors import period_of
from apps.pricing import selectors as pricing_selectors
from apps.pricing.examples import CITY_PREMIUM_MOVER
from apps.pricing.selectors import company_utilisation_on
from tests.bookings.factories import BookingFactory
from tests.companies.factories import CompanyFactory, TruckFactory
from tests.pricing.conftest import catalogue  # noqa: F401  (the fixture, for the estimate)
from tests.pricing.factories import PricingConfigFactory, stored_rules
from tests.pricing.test_engine_golden import lines_of
from tests.pricing.test_estimate_service import estimate_flat

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAY = date(2026, 5, 16)


def _paris(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def _allocate(company, truck, start: datetime, end: datetime, *, released: bool = False):
    return TruckAllocation.objects.create(
        company=company,
        booking=BookingFactory(company=company),
        truck=truck,
        period=period_of(start, end),
        released_at=timezone.now() if released else None,
    )


def test_nothing_booked_is_zero(alice):
    assert company_utilisation_on(company=alice.company, day=DAY) == Decimal("0.0000")


def test_booked_hours_over_active_trucks_times_the_working_day(alice):
    second = TruckFactory(company=alice.company)
    TruckFactory(company=alice.company, status="retired")  # not available
    _allocate(alice.company, alice.truck, _paris(DAY, 8), _paris(DAY, 13))  # 5 h
    _allocate(alice.company, second, _paris(DAY, 9), _paris(DAY, 11))  # 2 h

    # 7 h / (2 active trucks x 10 h)
    assert company_utilisation_on(company=alice.company, day=DAY) == Decimal("0.3500")


def test_only_the_part_of_a_job_on_that_local_day_counts(alice):
    next_day = date(2026, 5, 17)
    _allocate(alice.company, alice.truck, _paris(DAY, 21), _paris(next_day, 3))

    assert company_utilisation_on(company=alice.company, day=DAY) == Decimal("0.3000")
    assert company_utilisation_on(company=alice.company, day=next_day) == Decimal("0.3000")


def test_released_allocations_and_other_companies_do_not_count(alice, bob):
    _allocate(alice.company, alice.truck, _paris(DAY, 8), _paris(DAY, 18), released=True)
    _allocate(bob.company, bob.truck, _paris(DAY, 8), _paris(DAY, 18))

    assert company_utilisation_on(company=alice.company, day=DAY) == Decimal("0.0000")
    assert company_utilisation_on(company=bob.company, day=DAY) == Decimal("1.0000")


def test_more_than_a_working_day_is_capped_at_one(alice):
    _allocate(alice.company, alice.truck, _paris(DAY, 1), _paris(DAY, 23))

    assert company_utilisation_on(company=alice.company, day=DAY) == Decimal("1")


def test_a_company_without_active_trucks_is_zero(alice):
    _allocate(alice.company, alice.truck, _paris(DAY, 8), _paris(DAY, 12))
    alice.truck.status = "maintenance"
    alice.truck.save(update_fields=["status"])

    assert company_utilisation_on(company=alice.company, day=DAY) == Decimal("0")


def test_the_working_day_is_a_setting(alice, settings):
    settings.BOOKING_WORKDAY_HOURS = 8
    _allocate(alice.company, alice.truck, _paris(DAY, 8), _paris(DAY, 10))

    assert company_utilisation_on(company=alice.company, day=DAY) == Decimal("0.2500")


def test_pricing_reads_it_through_its_provider_slot(alice):
    _allocate(alice.company, alice.truck, _paris(DAY, 8), _paris(DAY, 12))

    assert pricing_selectors.company_utilisation_on(company=alice.company, day=DAY) == Decimal(
        "0.4000"
    )


@pytest.mark.usefixtures("catalogue")
def test_a_busy_day_adds_the_demand_surcharge_to_an_estimate():
    company = CompanyFactory(currency="GBP", timezone="Europe/London")
    PricingConfigFactory(company=company, version=1, rules=stored_rules(CITY_PREMIUM_MOVER))
    trucks = [TruckFactory(company=company), TruckFactory(company=company)]
    quiet = estimate_flat(company)  # the golden flat moves on DAY
    london = zoneinfo.ZoneInfo("Europe/London")
    _allocate(
        company,
        trucks[0],
        datetime(2026, 5, 16, 8, tzinfo=london),
        datetime(2026, 5, 16, 18, tzinfo=london),
    )
    _allocate(
        company,
        trucks[1],
        datetime(2026, 5, 16, 8, tzinfo=london),
        datetime(2026, 5, 16, 13, tzinfo=london),
    )

    busy = estimate_flat(company)  # 15 h of 20 h: 75 %

    assert "demand" not in [line[0] for line in lines_of(quiet.result)]
    # As the golden flat at 75 %: (0.75 - 0.7) / (1 - 0.7) of the way to +30 % -> +5.00 %
    assert ("demand", "736.25", "0.0500", "36.81") in lines_of(busy.result)
    assert busy.result.total - quiet.result.total == Decimal("44.17")  # 36.81 + 20 % tax
