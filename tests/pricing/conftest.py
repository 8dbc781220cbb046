"""Fixtures and helpers of the pricing tests: priced companies, a snapshot of pricing rows."""

from __future__ import annotations

import copy
import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.companies.models import Company
from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE
from apps.pricing.examples import SMALL_LOCAL_MOVER
from apps.pricing.models import InventoryItem, PricingConfig
from tests.accounts.factories import CustomerFactory
from tests.conftest import auth_client_for
from tests.pricing.factories import PricingConfigFactory, stored_rules

LYON = {"lat": 45.7640, "lng": 4.8357}
LYON_EAST = {"lat": 45.7500, "lng": 4.8500}  # 2.5 km by road from LYON (geodesic x 1.3)
LYON_NORTH_18_KM = {"lat": 45.8883, "lng": 4.8357}  # 18.0 km by road from LYON
PARIS = {"lat": 48.8566, "lng": 2.3522}  # 508.9 km by road from LYON


@pytest.fixture
def catalogue(db) -> None:
    """The InventoryItem catalogue as migration 0003 seeds it.

    Seeded here rather than trusted from the migration: transactional tests (the concurrency
    test, other apps') end with a TRUNCATE of every table, which empties it for the rest of
    the run and for a --reuse-db database. Migration 0003 itself is tested in test_catalogue.
    """
    for code, item in DEFAULT_CATALOGUE.items():
        InventoryItem.objects.get_or_create(
            code=code, defaults={"label": item.label, "volume_m3": item.volume_m3}
        )


@pytest.fixture
def customer_client(db):
    """A signed-in customer (no company)."""
    return auth_client_for(CustomerFactory())


@pytest.fixture
def priced_alice(alice, catalogue):
    """alice (EUR, verified) with the small local mover's rules as version 1."""
    alice.config = PricingConfigFactory(
        company=alice.company, version=1, rules=stored_rules(SMALL_LOCAL_MOVER)
    )
    return alice


PARIS_ZONE = zoneinfo.ZoneInfo("Europe/Paris")


def paris_today() -> date:
    """Today in alice's time zone (Europe/Paris): the date quotes count from."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo("Europe/Paris")).date()


def next_weekday_within_a_month() -> date:
    """A Monday-Friday date 1 to 3 days from today: no weekend surcharge, no early booking
    discount (30 days), never in the past."""
    day = paris_today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def pricing_rows() -> dict[str, Any]:
    """Every row the pricing app owns: a refusal (or an estimate) must change none of them."""
    return {
        "configs": list(PricingConfig.objects.order_by("id").values()),
        "items": list(InventoryItem.objects.order_by("id").values()),
    }


# --- estimates -------------------------------------------------------------------------------

URL = "/api/v1/quotes/estimate/"

# The golden studio (tests/pricing/test_engine_golden.py): 8.90 m3 from the catalogue, 3rd
# floor without lift at the origin, 25 m carry at the destination, 09:00.
STUDIO_INVENTORY = [
    {"item": "bed_double", "quantity": 1},
    {"item": "sofa_2seat", "quantity": 1},
    {"item": "wardrobe", "quantity": 1},
    {"item": "dining_table", "quantity": 1},
    {"item": "chair", "quantity": 2},
    {"item": "fridge", "quantity": 1},
    {"item": "washing_machine", "quantity": 1},
    {"item": "tv", "quantity": 1},
    {"item": "box_medium", "quantity": 20},
]


def paris_time(day: date, hour: int, minute: int = 0) -> str:
    """ISO-8601 with the Paris offset of that day (+01:00 or +02:00)."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS_ZONE).isoformat()


def studio(company: Company, /, **changes) -> dict:
    day = next_weekday_within_a_month()
    body = {
        "company": company.id,
        "origin": LYON,
        "destination": LYON_EAST,
        "move_date": day.isoformat(),
        "window_start": paris_time(day, 9),
        "window_end": paris_time(day, 11),
        "inventory": copy.deepcopy(STUDIO_INVENTORY),
        "stairs_origin": 3,
        "carry_origin_m": 10,
        "carry_destination_m": 25,
    }
    body.update(changes)
    return body


def estimate(body: dict):
    return APIClient().post(URL, body, format="json")


def refused(body: dict, *, status: int, code: str) -> dict:
    """POST `body`, assert the refusal and that no pricing row changed; the error."""
    before = pricing_rows()
    response = estimate(body)
    assert response.status_code == status, response.json()
    error = response.json()["error"]
    assert error["code"] == code
    assert pricing_rows() == before
    return error
