"""The invitation page (/dashboard/invitations/accept/): an invited member chooses a password."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.companies.member_services import invitation_token_make
from apps.companies.models import Membership
from tests.accounts.factories import UserFactory
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/invitations/accept/"
PASSWORD = "plum-orchard-47-lantern"


@pytest.fixture
def invited(alice) -> Membership:
    """A dispatcher invited to alice who has not chosen a password yet."""
    user = UserFactory(email="invited@example.com")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return MembershipFactory(company=alice.company, user=user, role=Membership.Role.DISPATCHER)


def password_of(membership: Membership) -> str:
    return User.objects.get(pk=membership.user_id).password


def test_the_link_opens_a_form_carrying_the_token(client, invited):
    token = invitation_token_make(membership=invited)

    response = client.get(PAGE, {"token": token})

    assert response.status_code == 200
    assert response.context["form"]["token"].value() == token
    assert 'name="password"' in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_accepting_sets_the_password_and_leads_to_sign_in(client, invited):
    token = invitation_token_make(membership=invited)

    response = client.post(PAGE, {"token": token, "password": PASSWORD, "password_again": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/login/?next=%2Fdashboard%2F"
    assert User.objects.get(pk=invited.user_id).check_password(PASSWORD)
    page = client.get(response["Location"])
    assert b"Welcome to Alice: your password is saved. Sign in." in page.content


@pytest.mark.parametrize(
    "token", ["forged-token", "", "used"], ids=["forged", "missing", "already-used"]
)
def test_a_bad_token_is_shown_inline_and_changes_nothing(client, invited, token):
    if token == "used":
        token = invitation_token_make(membership=invited)
        client.post(PAGE, {"token": token, "password": PASSWORD, "password_again": PASSWORD})
    before = password_of(invited)

    response = client.post(
        PAGE,
        {"token": token, "password": "another-47-lantern", "password_again": "another-47-lantern"},
    )

    assert response.status_code == 200
    assert response.context["token_errors"] in (
        ["This invitation link is not valid or was already used."],
        ["This field is required."],
    )
    assert b'role="alert"' in response.content
    assert password_of(invited) == before


def test_a_weak_or_mismatched_password_is_shown_inline_and_changes_nothing(client, invited):
    token = invitation_token_make(membership=invited)
    before = password_of(invited)

    weak = client.post(PAGE, {"token": token, "password": "123", "password_again": "123"})
    differ = client.post(
        PAGE, {"token": token, "password": PASSWORD, "password_again": "x" + PASSWORD}
    )

    assert weak.status_code == differ.status_code == 200
    assert (
        "This password is too short. It must contain at least 8 characters."
        in (weak.context["form"].errors["password"])
    )
    assert differ.context["form"].errors == {"password_again": ["The two passwords differ."]}
    assert password_of(invited) == before


def test_links_of_earlier_invitations_lead_to_the_page(client):
    response = client.get("/invitations/accept/", {"token": "abc:def"})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/invitations/accept/?token=abc%3Adef"
