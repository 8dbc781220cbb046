"""Every dashboard page's gate (apps.companies.dashboard.staff_page) and the company switcher."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.companies.models import Membership
from tests.accounts.factories import TotpDeviceFactory, UserFactory
from tests.companies.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = "/dashboard/today/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_signed_out_is_sent_to_sign_in_with_next():
    response = Client().get(TODAY)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/login/?next=/dashboard/today/"


def test_a_user_without_company_gets_the_no_company_page():
    response = client_for(UserFactory()).get(TODAY)

    assert response.status_code == 403
    assert b"No company yet" in response.content


def test_a_driver_is_refused_the_managers_today(alice):
    response = client_for(alice.driver_user).get(TODAY)

    assert response.status_code == 403
    assert b"does not open this page" in response.content


def test_a_session_that_skipped_the_authenticator_is_sent_to_sign_in(alice):
    # Given a dispatcher with a confirmed authenticator, logged in without passing it
    TotpDeviceFactory(user=alice.dispatcher)

    response = client_for(alice.dispatcher).get(TODAY)

    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/login/")


def test_the_page_shows_the_chosen_company_and_the_switcher_changes_it(alice, bob):
    # Given alice's owner who is also bob's dispatcher
    MembershipFactory(company=bob.company, user=alice.owner, role=Membership.Role.DISPATCHER)
    client = client_for(alice.owner)
    first = client.get(TODAY)
    assert first.context["staff"].company == alice.company

    # When they switch to bob
    response = client.post(
        "/dashboard/switch/", {"company": bob.company.id, "next": "/dashboard/today/"}
    )

    # Then the pages are bob's, in the dispatcher role
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/today/"
    page = client.get(TODAY)
    assert page.context["staff"].company == bob.company
    assert page.context["staff"].role == Membership.Role.DISPATCHER


@pytest.mark.parametrize("company", ["other", "", "abc"])
def test_switching_to_a_company_you_are_not_in_is_404_and_changes_nothing(alice, company):
    other = CompanyFactory()
    client = client_for(alice.owner)
    value = str(other.id) if company == "other" else company

    response = client.post("/dashboard/switch/", {"company": value})

    assert response.status_code == 404
    assert client.get(TODAY).context["staff"].company == alice.company


def test_switch_refuses_get_and_offsite_next(alice):
    client = client_for(alice.owner)

    assert client.get("/dashboard/switch/").status_code == 405
    response = client.post(
        "/dashboard/switch/", {"company": alice.company.id, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/dashboard/"


def test_home_sends_managers_to_today(alice):
    response = client_for(alice.dispatcher).get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == TODAY


def test_every_dashboard_response_carries_the_csp(alice):
    response = client_for(alice.owner).get(TODAY)

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy + ";"
    assert "frame-ancestors 'none'" in policy
