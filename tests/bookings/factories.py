"""Factories of the bookings tests: move requests, stored quotes and bookings in any state.

They write rows directly (no services) so each test starts from the state it needs; the
services' own tests go through the API or the services.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from apps.bookings.models import Booking, MoveRequest, Quote
from apps.core.geo import point_from_lat_lng
from apps.pricing.models import PricingConfig
from tests.accounts.factories import CustomerFactory
from tests.companies.factories import CompanyFactory
from tests.pricing.factories import PricingConfigFactory


class MoveRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MoveRequest

    customer = factory.SubFactory(CustomerFactory)
    origin = factory.LazyFunction(lambda: point_from_lat_lng(45.7640, 4.8357))
    destination = factory.LazyFunction(lambda: point_from_lat_lng(45.7500, 4.8500))
    origin_address = "1 Place Bellecour, Lyon"
    destination_address = "10 Cours Gambetta, Lyon"
    move_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    inventory = factory.LazyFunction(lambda: [{"item": "box_medium", "quantity": 20}])


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    move_request = factory.SubFactory(MoveRequestFactory)
    company = factory.SubFactory(CompanyFactory)
    pricing_config = factory.LazyAttribute(
        lambda o: (
            PricingConfig.objects.filter(company=o.company).order_by("-version").first()
            or PricingConfigFactory(company=o.company)
        )
    )
    lines = factory.LazyFunction(
        lambda: [
            {
                "code": "labour",
                "label": "Crew of 2, 3.00 h",
                "quantity": "3.00",
                "unit_price": "80.00",
                "amount": "240.00",
            }
        ]
    )
    subtotal = Decimal("240.00")
    tax = Decimal("48.00")
    total = Decimal("288.00")
    tax_rate_percent = Decimal("20.000")
    currency = "EUR"
    estimated_hours = Decimal("3.00")
    crew_size = 2
    volume_m3 = Decimal("12.000")
    distance_km = Decimal("2.50")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=48))


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking of `company` (pass the alice/bob company) for a new customer."""

    class Meta:
        model = Booking

    company = factory.SubFactory(CompanyFactory)
    move_request = factory.SubFactory(MoveRequestFactory)
    customer = factory.LazyAttribute(lambda o: o.move_request.customer)
    quote = factory.LazyAttribute(
        lambda o: QuoteFactory(
            move_request=o.move_request, company=o.company, status=Quote.Status.ACCEPTED
        )
    )
    currency = factory.LazyAttribute(lambda o: o.quote.currency)
    total = factory.LazyAttribute(lambda o: o.quote.total)
    handover_code = factory.LazyFunction(lambda: f"{random.randrange(10**6):06d}")
