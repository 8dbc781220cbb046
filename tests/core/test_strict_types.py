"""JSON bodies are taken at their JSON types: no string from a number, no number from a boolean.

One rule in apps.core.serializers.StrictSerializer, checked here on several endpoints (the
estimate's in tests/pricing/test_estimate_strict_types.py).
"""

from __future__ import annotations

import pytest

from apps.companies.models import Company, Membership, ServiceArea, Truck
from apps.core.serializers import StrictSerializer, json_type_error

pytestmark = pytest.mark.django_db

NEW_COMPANY = {
    "name": "Carrier",
    "legal_name": "Carrier SAS",
    "registration_number": "RCS 123",
    "email": "hello@carrier.example",
    "phone": "+33612345678",
    "base_location": {"lat": 45.76, "lng": 4.84},
    "currency": "EUR",
    "timezone": "Europe/Paris",
}
EXPECTED_TEXT = ["Expected a string."]
EXPECTED_NUMBER = ["Expected a number."]
EXPECTED_BOOLEAN = ["Expected a boolean (true or false)."]
EXPECTED_DECIMAL = ['Expected a decimal as a string ("12.50") or a number.']
EXPECTED_POINT = ['Expected {"lat": <number>, "lng": <number>}.']


def _rows() -> tuple:
    return (
        list(Company.objects.values_list("id", "name", "currency")),
        list(Truck.objects.values_list("id", "capacity_m3", "payload_kg")),
        list(ServiceArea.objects.values_list("id", "name")),
        list(Membership.objects.values_list("id", "is_active", "role")),
    )


@pytest.mark.parametrize(
    ("endpoint", "body", "details"),
    [
        ("companies", {**NEW_COMPANY, "name": 1e308}, {"name": EXPECTED_TEXT}),
        ("companies", {**NEW_COMPANY, "currency": True}, {"currency": EXPECTED_TEXT}),
        (
            "companies",
            {**NEW_COMPANY, "base_location": {"lat": "45.7", "lng": 4.8}},
            {"base_location": EXPECTED_POINT},
        ),
        (
            "service-areas",
            {"name": "Lyon", "center": {"lat": 45.7, "lng": 4.8}, "radius_km": True},
            {"radius_km": EXPECTED_NUMBER},
        ),
        (
            "service-areas",
            {"name": "Lyon", "center": {"lat": 45.7, "lng": 4.8}, "radius_km": "20"},
            {"radius_km": EXPECTED_NUMBER},
        ),
        (
            "trucks",
            {"plate": "AB-123-CD", "capacity_m3": True, "payload_kg": 3000},
            {"capacity_m3": EXPECTED_DECIMAL},
        ),
        (
            "trucks",
            {"plate": "AB-123-CD", "capacity_m3": "20.00", "payload_kg": "3000"},
            {"payload_kg": EXPECTED_NUMBER},
        ),
        (
            "trucks",
            {"plate": 12345, "capacity_m3": 20, "payload_kg": 3000},
            {"plate": EXPECTED_TEXT},
        ),
        ("member", {"is_active": 0}, {"is_active": EXPECTED_BOOLEAN}),
        ("member", {"is_active": "false"}, {"is_active": EXPECTED_BOOLEAN}),
        ("me", {"name": 42}, {"name": EXPECTED_TEXT}),
    ],
)
def test_json_values_of_the_wrong_type_are_refused_and_nothing_changes(
    alice, endpoint, body, details
):
    member = Membership.objects.get(user=alice.dispatcher, company=alice.company)
    url, method = {
        "companies": ("/api/v1/companies/", "post"),
        "service-areas": (f"/api/v1/companies/{alice.company.id}/service-areas/", "post"),
        "trucks": (f"/api/v1/companies/{alice.company.id}/trucks/", "post"),
        "member": (f"/api/v1/companies/{alice.company.id}/members/{member.id}/", "patch"),
        "me": ("/api/v1/me/", "patch"),
    }[endpoint]
    before = _rows()

    response = getattr(alice.owner_client, method)(url, body, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "The request is invalid.",
        "details": details,
    }
    assert _rows() == before


def test_list_fields_check_each_item_and_report_it_by_index():
    from rest_framework import serializers

    field = serializers.ListField(child=serializers.IntegerField())

    assert json_type_error(field, [1, "2", True]) == {1: EXPECTED_NUMBER, 2: EXPECTED_NUMBER}
    assert json_type_error(field, [1, 2.0]) is None


def test_form_inputs_are_text_and_not_held_to_json_types():
    from django.http import QueryDict
    from rest_framework import serializers

    class Filter(StrictSerializer):
        is_active = serializers.BooleanField()
        count = serializers.IntegerField()

    form = Filter(data=QueryDict("is_active=true&count=3"))
    json = Filter(data={"is_active": "true", "count": "3"})

    assert form.is_valid() and form.validated_data == {"is_active": True, "count": 3}
    assert not json.is_valid()
    assert json.errors == {"is_active": EXPECTED_BOOLEAN, "count": EXPECTED_NUMBER}
