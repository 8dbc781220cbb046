"""Browser: an invited member opens the e-mailed link, chooses a password, signs in."""

from __future__ import annotations

import pytest

from apps.companies.member_services import invitation_token_make
from apps.companies.models import Membership
from tests.accounts.factories import UserFactory
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
