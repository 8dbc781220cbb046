"""Tenant isolation sweep: every staff endpoint and method, tried across companies, answers 404.

Two ways in: bob's staff (each role) on alice's URLs and objects, and alice's owner with bob's
object ids under alice's own URL. Either way: 404 `not_found`, and no row anywhere changed.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from apps.companies.models import Membership
from tests.companies.conftest import db_state
from tests.companies.factories import geojson_square

pytestmark = pytest.mark.django_db

TRUCK = {"plate": "X-1", "capacity_m3": "10", "payload_kg": 1000}
AREA = {"name": "A", "geometry": geojson_square(lat=45.7, lng=4.8)}
DRIVER = {"email": "x@example.com", "licence_number": "L-1", "phone": "+33612345678"}
_TOMORROW = timezone.now() + timedelta(days=1)
WINDOW = urlencode(
    {"start": _TOMORROW.isoformat(), "end": (_TOMORROW + timedelta(hours=4)).isoformat()}
)


# (method, path under /api/v1/companies/, body): every staff endpoint of the app. `{company}` is
# the company in the URL; `{truck}`, `{area}`, `{member}`, `{driver}` are object ids.
ENDPOINTS: list[tuple[str, str, dict | None]] = [
    ("patch", "{company}/", {"name": "X"}),
    ("get", "{company}/trucks/", None),
    ("post", "{company}/trucks/", TRUCK),
    ("get", "{company}/trucks/{truck}/", None),
    ("patch", "{company}/trucks/{truck}/", {"label": "X"}),
    ("delete", "{company}/trucks/{truck}/", None),
    ("get", "{company}/service-areas/", None),
    ("post", "{company}/service-areas/", AREA),
    ("get", "{company}/service-areas/{area}/", None),
    ("patch", "{company}/service-areas/{area}/", {"name": "X"}),
    ("delete", "{company}/service-areas/{area}/", None),
    ("get", "{company}/members/", None),
    ("post", "{company}/members/", {"email": "x@example.com", "role": "owner"}),
    ("get", "{company}/members/{member}/", None),
    ("patch", "{company}/members/{member}/", {"role": "owner"}),
    ("delete", "{company}/members/{member}/", None),
    ("get", "{company}/drivers/", None),
    ("post", "{company}/drivers/", DRIVER),
    ("get", "{company}/drivers/me/", None),
    ("get", "{company}/drivers/{driver}/", None),
    ("patch", "{company}/drivers/{driver}/", {"phone": "+33612345679"}),
    ("delete", "{company}/drivers/{driver}/", None),
    # Served by the bookings app (free trucks and drivers for a window).
    ("get", "{company}/availability/?" + WINDOW, None),
]
ENDPOINT_IDS = [f"{method} {path.split('?')[0]}" for method, path, _ in ENDPOINTS]
# Endpoints whose URL names an object of the company (the rest are lists, create and `me`).
OBJECT_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint[1].count("{") == 2]


def url_for(path: str, *, company: SimpleNamespace, objects: SimpleNamespace) -> str:
    """The URL of `path` under `company`, naming the objects of `objects` (maybe another tenant)."""
    member = Membership.objects.get(company=objects.company, user=objects.dispatcher)
    return "/api/v1/companies/" + path.format(
        company=company.company.id,
        truck=objects.truck.id,
        area=objects.area.id,
        member=member.id,
        driver=objects.driver.id,
    )


def _call(client, method: str, url: str, body: dict | None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize("role", ["owner_client", "dispatcher_client", "driver_client"])
@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_staff_of_another_company_get_404_and_nothing_changes(alice, bob, role, method, path, body):
    target = url_for(path, company=alice, objects=alice)
    before = db_state()

    response = _call(getattr(bob, role), method, target, body)

    assert response.status_code == 404, target
    assert response.json()["error"]["code"] == "not_found"
    assert db_state() == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    OBJECT_ENDPOINTS,
    ids=[f"{method} {path}" for method, path, _ in OBJECT_ENDPOINTS],
)
def test_another_companys_object_id_under_your_own_url_is_404(alice, bob, method, path, body):
    foreign_url = url_for(path, company=alice, objects=bob)
    before = db_state()

    response = _call(alice.owner_client, method, foreign_url, body)

    assert response.status_code == 404, foreign_url
    assert response.json()["error"]["code"] == "not_found"
    assert db_state() == before


def test_anonymous_requests_to_staff_endpoints_are_401(api_client, alice):
    response = api_client.get(f"/api/v1/companies/{alice.company.id}/trucks/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
