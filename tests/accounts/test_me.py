"""GET|PATCH /me/: who am I, my roles and memberships; only the name is editable."""

from __future__ import annotations

import pytest

from apps.companies.models import Membership
from tests.accounts.conftest import assert_envelope
from tests.accounts.factories import AdminFactory, CustomerFactory
from tests.companies.factories import MembershipFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/me/"


def test_a_customer_sees_the_customer_role_and_no_memberships():
    customer = CustomerFactory(phone="+33612345678", name="Jane")

    response = auth_client_for(customer).get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": customer.id,
        "email": None,
        "phone": "+33612345678",
        "name": "Jane",
        "roles": ["customer"],
        "memberships": [],
    }


def test_staff_see_their_sorted_roles_and_memberships_of_their_own_companies(alice, bob):
    MembershipFactory(company=bob.company, user=alice.owner, role=Membership.Role.DRIVER)

    body = alice.owner_client.get(ME_URL).json()

    assert body["roles"] == ["driver", "owner"]
    assert body["memberships"] == sorted(
        [
            {"company": alice.company.id, "role": "owner"},
            {"company": bob.company.id, "role": "driver"},
        ],
        key=lambda membership: membership["company"],
    )


def test_other_companies_memberships_never_show(alice, bob):
    body = bob.dispatcher_client.get(ME_URL).json()

    assert body["roles"] == ["dispatcher"]
    assert body["memberships"] == [{"company": bob.company.id, "role": "dispatcher"}]


def test_an_inactive_membership_does_not_count(alice):
    Membership.objects.filter(user=alice.dispatcher).update(is_active=False)

    body = alice.dispatcher_client.get(ME_URL).json()

    assert (body["roles"], body["memberships"]) == (["customer"], [])


def test_a_platform_admin_has_the_admin_role():
    admin = AdminFactory()
    assert auth_client_for(admin).get(ME_URL).json()["roles"] == ["admin"]


def test_an_admin_who_is_also_a_driver_has_both_roles(alice):
    alice.driver_user.is_staff = True
    alice.driver_user.save()

    assert alice.driver_client.get(ME_URL).json()["roles"] == ["admin", "driver"]


def test_me_needs_a_token(api_client):
    assert_envelope(api_client.get(ME_URL), status=401, code="not_authenticated")


def test_patch_changes_the_name():
    customer = CustomerFactory(name="Old")

    response = auth_client_for(customer).patch(ME_URL, {"name": "Jane Doe"}, format="json")

    assert response.status_code == 200
    assert response.json()["name"] == "Jane Doe"
    customer.refresh_from_db()
    assert customer.name == "Jane Doe"


@pytest.mark.parametrize(
    ("body", "details"),
    [
        (
            {"email": "new@example.com"},
            {"email": ["Login identifiers cannot be changed here (needs re-verification)."]},
        ),
        (
            {"name": "X", "phone": "+33699999999"},
            {"phone": ["Login identifiers cannot be changed here (needs re-verification)."]},
        ),
        ({"name": "x" * 151}, {"name": ["Ensure this field has no more than 150 characters."]}),
        ({"is_staff": True}, {"is_staff": ["Unknown field."]}),
    ],
)
def test_patch_refuses_identifiers_unknown_fields_and_long_names(body, details):
    customer = CustomerFactory(name="Old", phone="+33612345678")

    response = auth_client_for(customer).patch(ME_URL, body, format="json")

    error = assert_envelope(response, status=400, code="invalid")
    assert error["details"] == details
    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.email, customer.is_staff) == (
        "Old",
        "+33612345678",
        None,
        False,
    )
