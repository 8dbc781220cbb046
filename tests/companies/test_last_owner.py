"""The last owner rule counts only owners who can sign in (active user with a password)."""

from __future__ import annotations

import pytest

from apps.companies.member_services import invitation_accept, invitation_token_make
from apps.companies.models import Membership
from tests.accounts.factories import UserFactory
from tests.companies.conftest import db_state
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def members_url(company) -> str:
    return f"/api/v1/companies/{company.id}/members/"


def _invite_owner(alice) -> Membership:
    response = alice.owner_client.post(
        members_url(alice.company),
        {"email": "co-owner@example.com", "role": "owner", "name": "Co Owner"},
        format="json",
    )
    assert response.status_code == 201
    return Membership.objects.get(id=response.json()["id"])


def test_an_owner_cannot_leave_when_the_other_owner_never_set_a_password(alice):
    invited = _invite_owner(alice)
    assert invited.user.has_usable_password() is False
    own = Membership.objects.get(company=alice.company, user=alice.owner)
    before = db_state()

    response = alice.owner_client.delete(f"{members_url(alice.company)}{own.id}/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert "who can sign in" in response.json()["error"]["message"]
    assert db_state() == before


def test_an_owner_may_leave_once_the_invited_owner_has_set_a_password(alice):
    invited = _invite_owner(alice)
    invitation_accept(token=invitation_token_make(membership=invited), password="Xk2!long-pass")
    own = Membership.objects.get(company=alice.company, user=alice.owner)

    response = alice.owner_client.delete(f"{members_url(alice.company)}{own.id}/")

    assert response.status_code == 204
    own.refresh_from_db()
    assert own.is_active is False


def test_an_owner_whose_account_is_disabled_does_not_count(alice):
    MembershipFactory(company=alice.company, role="owner", user=UserFactory(is_active=False))
    own = Membership.objects.get(company=alice.company, user=alice.owner)

    response = alice.owner_client.patch(
        f"{members_url(alice.company)}{own.id}/", {"role": "dispatcher"}, format="json"
    )

    assert response.status_code == 409
    own.refresh_from_db()
    assert (own.role, own.is_active) == ("owner", True)
