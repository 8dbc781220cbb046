"""bench/cargo.py's property through the real server: racing clients never overbook a trip."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from apps.cargo.models import Shipment
from tests.accounts.factories import CustomerFactory
from tests.cargo.factories import TripFactory
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_http_clients_for_ten_cubic_metres_get_ten_shipments(asgi_server, alice):
    trip = TripFactory(company=alice.company, capacity_m3=Decimal("10.000"))
    tokens = [str(RefreshToken.for_user(CustomerFactory()).access_token) for _ in range(20)]
    body = {"legs": [trip.id], "volume_m3": "1.000", "weight_kg": "10.000"}

    def post(token):
        def action():
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
            with asgi_server.client(timeout=60) as client:
                response = client.post("/api/v1/cargo/shipments/", json=body, headers=headers)
            code = response.json()["error"]["code"] if response.status_code == 409 else ""
            return response.status_code, code

        return action

    results = race([post(token) for token in tokens])

    assert sorted(results) == [(201, "")] * 10 + [(409, "capacity_exhausted")] * 10
    trip.refresh_from_db()
    assert trip.sold_m3 == Decimal("10.000")
    assert Shipment.objects.count() == 10
