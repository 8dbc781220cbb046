"""Registering a company, reading it (verified: public; unverified: staff only), editing it."""

from __future__ import annotations

import pytest

from apps.companies.models import Company, Membership
from tests.companies.conftest import db_state
from tests.companies.factories import CompanyFactory, MembershipFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "name": "Rhône Déménagements",
    "legal_name": "Rhône Déménagements SARL",
    "registration_number": "552 100 554",
    "email": "Contact@Rhone-Demenagements.example",
    "phone": "+33 4 72 00 00 00",
    "base_location": {"lat": 45.764, "lng": 4.8357},
    "currency": "eur",
    "timezone": "Europe/Paris",
}


def test_signed_in_user_registers_a_pending_company_and_becomes_its_owner(
    newcomer, newcomer_client
):
    response = newcomer_client.post("/api/v1/companies/", REGISTRATION, format="json")

    assert response.status_code == 201
    body = response.json()
    company = Company.objects.get()
    assert body == {
        "id": company.id,
        "name": "Rhône Déménagements",
        "slug": "rhone-demenagements",
        "legal_name": "Rhône Déménagements SARL",
        "registration_number": "552100554",
        "email": "contact@rhone-demenagements.example",
        "phone": "+33472000000",
        "base_location": {"lat": 45.764, "lng": 4.8357},
        "currency": "EUR",
        "timezone": "Europe/Paris",
        "verification_status": "pending",
        "rating": None,
        "review_count": 0,
        "created_at": body["created_at"],
    }
    membership = Membership.objects.get(company=company)
    assert (membership.user, membership.role, membership.is_active) == (newcomer, "owner", True)


def test_a_second_company_with_the_same_name_gets_the_next_free_slug(newcomer_client):
    CompanyFactory(name="Rhône Déménagements", slug="rhone-demenagements")
    CompanyFactory(name="Rhône Déménagements", slug="rhone-demenagements-2")

    response = newcomer_client.post("/api/v1/companies/", REGISTRATION, format="json")

    assert response.status_code == 201
    assert response.json()["slug"] == "rhone-demenagements-3"


def test_duplicate_registration_number_is_a_409_already_exists_and_nothing_is_created(
    newcomer_client,
):
    CompanyFactory(registration_number="552100554")
    before = db_state()

    response = newcomer_client.post("/api/v1/companies/", REGISTRATION, format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "already_exists"
    assert list(error["details"]) == ["registration_number"]
    assert db_state() == before


def test_anonymous_visitor_cannot_register_a_company(api_client, db):
    response = api_client.post("/api/v1/companies/", REGISTRATION, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert Company.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("currency", "EURO"),
        ("currency", "XYZ"),
        ("timezone", "Europe/Lyon"),
        ("timezone", "CET-1"),
        ("phone", "0472000000"),
        ("phone", "+33 12"),
        ("base_location", {"lat": 91, "lng": 4.8}),
        ("base_location", {"lat": 45.7, "lng": -180.5}),
        ("base_location", {"lat": "north", "lng": 4.8}),
        ("email", "not-an-email"),
        ("registration_number", "!!"),
    ],
)
def test_invalid_registration_field_is_a_400_naming_it_and_nothing_is_created(
    newcomer_client, field, value
):
    response = newcomer_client.post(
        "/api/v1/companies/", {**REGISTRATION, field: value}, format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["details"]) == [field]
    assert Company.objects.count() == 0
    assert Membership.objects.count() == 0


def test_registration_cannot_choose_its_own_verification_status(newcomer_client):
    response = newcomer_client.post(
        "/api/v1/companies/", {**REGISTRATION, "verification_status": "verified"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"verification_status": ["Unknown field."]}
    assert Company.objects.count() == 0


def test_verified_company_is_public(api_client, alice):
    response = api_client.get(f"/api/v1/companies/{alice.company.id}/")

    assert response.status_code == 200
    assert response.json()["name"] == "Alice"
    assert response.json()["verification_status"] == "verified"


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_unverified_company_is_404_to_the_public_and_to_other_companies(
    api_client, alice, bob, status
):
    Company.objects.filter(id=alice.company.id).update(verification_status=status)

    anonymous = api_client.get(f"/api/v1/companies/{alice.company.id}/")
    other_staff = bob.owner_client.get(f"/api/v1/companies/{alice.company.id}/")

    assert anonymous.status_code == 404
    assert anonymous.json()["error"]["code"] == "not_found"
    assert other_staff.status_code == 404


@pytest.mark.parametrize("role", ["owner_client", "dispatcher_client", "driver_client"])
def test_unverified_company_is_visible_to_its_own_staff(alice, role):
    Company.objects.filter(id=alice.company.id).update(verification_status="pending")

    response = getattr(alice, role).get(f"/api/v1/companies/{alice.company.id}/")

    assert response.status_code == 200
    assert response.json()["verification_status"] == "pending"


def test_deactivated_member_no_longer_sees_the_unverified_company(alice):
    Company.objects.filter(id=alice.company.id).update(verification_status="pending")
    Membership.objects.filter(user=alice.dispatcher).update(is_active=False)

    response = alice.dispatcher_client.get(f"/api/v1/companies/{alice.company.id}/")

    assert response.status_code == 404


def test_owner_edits_the_company_profile_and_the_slug_stays(alice):
    response = alice.owner_client.patch(
        f"/api/v1/companies/{alice.company.id}/",
        {"name": "Alice & Sons", "phone": "+41 44 668 18 00", "currency": "CHF"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["slug"], body["phone"], body["currency"]) == (
        "Alice & Sons",
        "alice",
        "+41446681800",
        "CHF",
    )
    alice.company.refresh_from_db()
    assert (alice.company.name, alice.company.currency) == ("Alice & Sons", "CHF")


def test_owner_cannot_change_verification_status_or_registration_number(alice):
    before = db_state()

    response = alice.owner_client.patch(
        f"/api/v1/companies/{alice.company.id}/",
        {"verification_status": "verified", "registration_number": "X"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert set(response.json()["error"]["details"]) == {
        "verification_status",
        "registration_number",
    }
    assert db_state() == before


@pytest.mark.parametrize("role", ["dispatcher_client", "driver_client"])
def test_only_an_owner_edits_the_company(alice, role):
    before = db_state()

    response = getattr(alice, role).patch(
        f"/api/v1/companies/{alice.company.id}/", {"name": "Hijacked"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert db_state() == before


def test_invalid_timezone_in_an_edit_is_a_400_and_nothing_changes(alice):
    before = db_state()

    response = alice.owner_client.patch(
        f"/api/v1/companies/{alice.company.id}/", {"timezone": "Mars/Olympus"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["timezone"]
    assert db_state() == before


def test_a_user_may_own_one_company_and_drive_for_another(alice, bob):
    MembershipFactory(company=bob.company, user=alice.owner, role=Membership.Role.DRIVER)
    client = auth_client_for(alice.owner)

    own = client.patch(f"/api/v1/companies/{alice.company.id}/", {"name": "A"}, format="json")
    other = client.patch(f"/api/v1/companies/{bob.company.id}/", {"name": "B"}, format="json")

    assert own.status_code == 200
    assert other.status_code == 403
