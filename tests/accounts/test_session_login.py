"""Dashboard session login/logout: a server-rendered form, axes lockout, authenticator codes."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY

from tests.accounts.factories import TEST_PASSWORD, TotpDeviceFactory, totp_token

pytestmark = pytest.mark.django_db

LOGIN_URL = "/dashboard/login/"
LOGOUT_URL = "/dashboard/logout/"
CODE_URL = "/dashboard/login/code/"
BAD_LOGIN = "Please enter a correct email and password."


@pytest.fixture
def staff(alice):
    return alice.owner


def post_login(client, email, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password, **extra})


def test_the_login_page_is_a_form_extending_the_base_layout(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["accounts/login.html", "base.html"]
    html = response.content.decode()
    for name in ['name="username"', 'name="password"', "csrfmiddlewaretoken"]:
        assert name in html
    assert 'name="otp"' not in html  # the code is a second step, for enrolled users only


def test_right_credentials_open_a_session_and_redirect_to_the_dashboard(client, staff):
    response = post_login(client, staff.email)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_next_is_followed_when_it_is_local(client, staff):
    response = post_login(client, staff.email, next="/dashboard/bookings/")
    assert response["Location"] == "/dashboard/bookings/"

    client.logout()
    response = post_login(client, staff.email, next="https://evil.example/")
    assert response["Location"] == "/dashboard/"


def test_unknown_email_and_wrong_password_show_the_same_error(client, staff):
    wrong = post_login(client, staff.email, "wrong")
    unknown = post_login(client, "nobody@example.com", "wrong")

    for response in (wrong, unknown):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            f"{BAD_LOGIN} Note that both fields may be case-sensitive."
        ]
    assert SESSION_KEY not in client.session


def test_with_an_authenticator_the_password_leads_to_the_code_step_not_a_session(client, staff):
    TotpDeviceFactory(user=staff)

    response = post_login(client, staff.email, next="/dashboard/fleet/")

    assert response.status_code == 302
    assert response["Location"] == CODE_URL
    assert SESSION_KEY not in client.session
    page = client.get(CODE_URL)
    assert page.status_code == 200
    assert 'name="otp"' in page.content.decode()


def test_with_the_right_code_the_session_is_otp_verified_and_next_is_followed(client, staff):
    device = TotpDeviceFactory(user=staff)
    post_login(client, staff.email, next="/dashboard/fleet/")

    response = client.post(CODE_URL, {"otp": totp_token(device)})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/fleet/"
    assert client.session[SESSION_KEY] == str(staff.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_or_missing_code_is_refused_inline(client, staff):
    device = TotpDeviceFactory(user=staff)
    wrong = f"{(int(totp_token(device)) + 500_000) % 1_000_000:06d}"
    post_login(client, staff.email)

    refused = client.post(CODE_URL, {"otp": wrong})
    empty = client.post(CODE_URL, {"otp": ""})

    assert refused.status_code == empty.status_code == 200
    assert refused.context["form"].errors == {
        "otp": ["The authenticator code is wrong or was already used."]
    }
    assert empty.context["form"].errors == {"otp": ["This field is required."]}
    assert SESSION_KEY not in client.session


def test_the_code_step_without_a_password_step_sends_back_to_sign_in(client, staff):
    TotpDeviceFactory(user=staff)

    response = client.post(CODE_URL, {"otp": "123456"})

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert SESSION_KEY not in client.session


def test_wrong_codes_count_towards_the_lockout(client, staff):
    # Given four wrong passwords already, then the right password of an enrolled user
    device = TotpDeviceFactory(user=staff)
    wrong = f"{(int(totp_token(device)) + 500_000) % 1_000_000:06d}"
    for _ in range(4):
        post_login(client, staff.email, "wrong")
    post_login(client, staff.email)

    # When a wrong code is the fifth failure, even the right code is refused afterwards
    locked = client.post(CODE_URL, {"otp": wrong})
    still_locked = client.post(CODE_URL, {"otp": totp_token(device)})

    for response in (locked, still_locked):
        assert response.status_code == 429
        assert "Too many failed sign-ins" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_five_failures_lock_the_login_page_out_even_for_the_right_password(client, staff):
    for _ in range(4):
        assert post_login(client, staff.email, "wrong").status_code == 200

    locked = post_login(client, staff.email, "wrong")
    still_locked = post_login(client, staff.email)

    for response in (locked, still_locked):
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
        assert "Too many failed sign-ins" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_logout_ends_the_session(client, staff):
    post_login(client, staff.email)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/login/"
    assert SESSION_KEY not in client.session


def test_logout_by_get_is_not_allowed(client, staff):
    post_login(client, staff.email)

    assert client.get(LOGOUT_URL).status_code == 405
    assert client.session[SESSION_KEY] == str(staff.pk)
