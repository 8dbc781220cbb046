"""The managers' live map page: role rules, the company's trucks only, tile setting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from apps.companies.models import Truck
from apps.tracking.models import TruckLastPosition
from tests.companies.factories import TruckFactory

pytestmark = pytest.mark.django_db

MAP = "/dashboard/map/"
SEEN = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def last_position(truck, lat: float, lng: float) -> TruckLastPosition:
    return TruckLastPosition.objects.create(
        truck=truck,
        company=truck.company,
        point=Point(lng, lat, srid=4326),
        recorded_at=SEEN,
        last_seen_at=SEEN,
    )


def test_the_map_lists_the_companys_trucks_with_their_latest_position(alice, bob):
    # Given alice's reporting truck, a silent one, a retired silent one, and bob's truck
    last_position(alice.truck, 45.76, 4.83)
    silent = TruckFactory(company=alice.company, plate="ZZ-999-ZZ")
    TruckFactory(company=alice.company, plate="AA-000-AA", status=Truck.Status.RETIRED)
    last_position(bob.truck, 48.85, 2.35)

    response = client_for(alice.dispatcher).get(MAP)

    assert response.status_code == 200
    by_plate = sorted([alice.truck, silent], key=lambda truck: truck.plate)
    rows = [(row.truck.pk, row.last is not None) for row in response.context["trucks"]]
    assert rows == [(truck.pk, truck == alice.truck) for truck in by_plate]
    body = response.content.decode()
    assert f'data-truck="{alice.truck.pk}"' in body
    assert 'data-lat="45.760000" data-lng="4.830000"' in body
    assert f'data-truck="{bob.truck.pk}"' not in body
    assert f'data-socket-path="/ws/companies/{alice.company.pk}/fleet/"' in body


def test_the_tile_url_setting_reaches_the_page(alice, settings):
    settings.TRACKING_SHARE_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"

    response = client_for(alice.owner).get(MAP)

    assert b'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in response.content


def test_without_tiles_the_page_has_no_tile_url(alice, settings):
    settings.TRACKING_SHARE_TILE_URL = ""

    response = client_for(alice.owner).get(MAP)

    assert b'data-tile-url=""' in response.content


def test_a_driver_gets_the_403_page(alice):
    response = client_for(alice.driver_user).get(MAP)

    assert response.status_code == 403
    assert b"does not open this page" in response.content


def test_signed_out_is_sent_to_sign_in(alice):
    response = Client().get(MAP)

    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/login/?next={MAP}"
