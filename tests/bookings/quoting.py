"""Helpers of the move-request, accept and booking-read tests: priced companies, request bodies,
a snapshot of every bookings row (refusals must change none)."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent, MoveRequest, Quote
from apps.core.models import IdempotencyRecord
from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE
from apps.pricing.examples import SMALL_LOCAL_MOVER
from apps.pricing.models import InventoryItem, PricingConfig
from tests.accounts.factories import CustomerFactory
from tests.conftest import auth_client_for
from tests.pricing.factories import PricingConfigFactory, stored_rules

URL = "/api/v1/move-requests/"
LYON = {"lat": 45.7640, "lng": 4.8357}
LYON_EAST = {"lat": 45.7500, "lng": 4.8500}  # 2.5 km by road from LYON
LYON_NORTH_18_KM = {"lat": 45.8883, "lng": 4.8357}  # in alice's and bob's 25 km areas
PARIS = {"lat": 48.8566, "lng": 2.3522}


def rules_with_rate(rate_2: str, rate_3: str | None = None) -> dict[str, Any]:
    """The small local mover's rules with another hourly rate for a crew of 2 (and 3)."""
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    rate_3 = rate_3 or str(int(rate_2) * 3 // 2)  # a crew of 3 costs more per hour than 2
    document["labour"]["hourly_rates"] = {"2": rate_2, "3": rate_3}
    return document


def price(company, *, rate_2: str = "90", version: int = 1) -> PricingConfig:
    """Give `company` a pricing version (the small local mover's, at `rate_2` per crew hour)."""
    return PricingConfigFactory(
        company=company, version=version, rules=stored_rules(rules_with_rate(rate_2))
    )


@pytest.fixture
def catalogue(db) -> None:
    """The InventoryItem catalogue as pricing's migration seeds it (see tests/pricing)."""
    for code, item in DEFAULT_CATALOGUE.items():
        InventoryItem.objects.get_or_create(
            code=code, defaults={"label": item.label, "volume_m3": item.volume_m3}
        )


@pytest.fixture
def customer(db):
    return CustomerFactory()


@pytest.fixture
def customer_client(customer):
    return auth_client_for(customer)


@pytest.fixture
def priced(alice, bob, catalogue):
    """alice at 90/h and bob at 70/h for a crew of 2: both verified, both serving Lyon."""
    alice.config = price(alice.company, rate_2="90")
    bob.config = price(bob.company, rate_2="70")
    return alice, bob


def move_date() -> date:
    """A Monday-Friday date 1 to 3 days ahead (no weekend surcharge, no early discount)."""
    day = timezone.localdate() + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def body(**changes: Any) -> dict[str, Any]:
    day = move_date()
    data = {
        "origin": LYON,
        "destination": LYON_EAST,
        "origin_address": "1 Place Bellecour, 69002 Lyon",
        "destination_address": "10 Cours Gambetta, 69003 Lyon",
        "move_date": day.isoformat(),
        "window_start": f"{day.isoformat()}T09:00:00+02:00",
        "window_end": f"{day.isoformat()}T11:00:00+02:00",
        "inventory": [
            {"item": "box_medium", "quantity": 20},
            {"item": "sofa_2seat", "quantity": 1},
        ],
        "stairs_origin": 2,
        "notes": "Buzzer 12.",
    }
    data.update(changes)
    return data


def bookings_rows() -> dict[str, Any]:
    """Every row this area writes: a refusal must change none of them."""
    return {
        "requests": list(MoveRequest.objects.order_by("id").values()),
        "quotes": list(Quote.objects.order_by("id").values()),
        "bookings": list(Booking.objects.order_by("id").values()),
        "events": list(BookingEvent.objects.order_by("id").values()),
        "idempotency": list(IdempotencyRecord.objects.order_by("id").values()),
    }


def create_request(client, **changes: Any) -> dict[str, Any]:
    """POST a move request that must succeed; its 201 body."""
    response = client.post(URL, body(**changes), format="json")
    assert response.status_code == 201, response.json()
    return response.json()
