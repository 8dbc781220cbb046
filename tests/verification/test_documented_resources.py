"""Trucks and drivers that documents point at cannot be hard-deleted: 409, nothing removed."""

from __future__ import annotations

import pytest

from apps.companies.models import Driver, Truck
from apps.verification.models import Document
from tests.verification.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_truck_with_a_registration_is_refused_with_409(alice):
    DocumentFactory(company=alice.company, kind=Document.Kind.TRUCK_REGISTRATION, truck=alice.truck)

    response = alice.dispatcher_client.delete(
        f"/api/v1/companies/{alice.company.id}/trucks/{alice.truck.id}/"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert Truck.objects.filter(pk=alice.truck.pk).exists()
    assert Document.objects.filter(truck=alice.truck).count() == 1


def test_deleting_a_driver_with_a_licence_is_refused_with_409(alice):
    DocumentFactory(company=alice.company, kind=Document.Kind.DRIVER_LICENCE, driver=alice.driver)

    response = alice.owner_client.delete(
        f"/api/v1/companies/{alice.company.id}/drivers/{alice.driver.id}/"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert Driver.objects.filter(pk=alice.driver.pk).exists()
