"""Browser: an invited member chooses a password and signs in; the authenticator code step."""

from __future__ import annotations

import pytest

from apps.companies.member_services import invitation_token_make
from apps.companies.models import Membership
from tests.accounts.factories import TEST_PASSWORD, TotpDeviceFactory, UserFactory, totp_token
from tests.browser.conftest import assert_accessible, sign_in
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "plum-orchard-47-lantern"


def test_an_invited_member_accepts_the_invitation_and_reaches_the_dashboard(alice, browser_page):
    # Given a dispatcher invited to alice who has no password yet, and their e-mailed link
    user = UserFactory(email="invited@example.com")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership = MembershipFactory(
        company=alice.company, user=user, role=Membership.Role.DISPATCHER
    )
    token = invitation_token_make(membership=membership)
    page = browser_page.page

    # When they open it and choose a password
    browser_page.goto(f"/dashboard/invitations/accept/?token={token}")
    assert_accessible(page)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Save my password").click()
    page.wait_for_load_state()

    # Then the sign-in page welcomes them, and their new password opens the dashboard
    assert "/dashboard/login/" in page.url
    assert page.get_by_text("Welcome to Alice: your password is saved.").is_visible()
    assert_accessible(page)
    sign_in(browser_page, email="invited@example.com", password=PASSWORD)
    assert page.url == browser_page.base_url + "/dashboard/today/"
    assert page.get_by_role("heading", name="Today", exact=True).is_visible()


def test_a_used_invitation_link_says_so_on_the_page(alice, browser_page):
    browser_page.goto("/dashboard/invitations/accept/?token=forged")
    page = browser_page.page
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Save my password").click()
    page.wait_for_load_state()

    assert page.get_by_text("This invitation link is not valid or was already used.").is_visible()
    assert_accessible(page)


def test_an_owner_with_an_authenticator_passes_the_code_step(alice, browser_page):
    # Given alice's owner enrolled an authenticator
    device = TotpDeviceFactory(user=alice.owner)
    page = browser_page.page

    # When they give their password, the code page follows (accessible), then the dashboard
    browser_page.goto("/dashboard/login/")
    page.get_by_label("E-mail").fill(alice.owner.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url == browser_page.base_url + "/dashboard/login/code/"
    assert_accessible(page)
    page.get_by_label("Authenticator code").fill(totp_token(device))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    assert page.url == browser_page.base_url + "/dashboard/today/"
