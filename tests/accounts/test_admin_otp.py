"""Admins: TOTP enforced on /admin/ when ADMIN_REQUIRES_OTP; `enrol_admin_totp`; device admins."""

from __future__ import annotations

import importlib

import pytest
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.urls import clear_url_caches
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

import movehub.urls
from apps.accounts.models import LoginCodeDevice
from tests.accounts.factories import (
    TEST_PASSWORD,
    AdminFactory,
    CustomerFactory,
    TotpDeviceFactory,
    UserFactory,
    totp_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def otp_admin_site(settings):
    """movehub/urls.py re-imported with ADMIN_REQUIRES_OTP=True, as prod settings do.

    urls.py swaps the class of the global admin site at import time, so the test re-imports it
    under the setting and puts everything back afterwards.
    """
    original_class = admin.site.__class__
    settings.ADMIN_REQUIRES_OTP = True
    importlib.reload(movehub.urls)
    clear_url_caches()
    try:
        assert isinstance(admin.site._wrapped, OTPAdminSite)
        yield admin.site
    finally:
        admin.site.__class__ = original_class
        settings.ADMIN_REQUIRES_OTP = False
        importlib.reload(movehub.urls)
        clear_url_caches()


def test_without_the_setting_the_admin_site_is_the_plain_one():
    assert not isinstance(admin.site._wrapped, OTPAdminSite)


def test_with_admin_requires_otp_a_password_only_login_is_refused(client, otp_admin_site):
    admin_user = AdminFactory()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_user.email, "password": TEST_PASSWORD},
    )

    assert response.status_code == 200
    assert "Please enter your OTP token." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_with_admin_requires_otp_a_password_session_alone_does_not_open_the_admin(
    client, otp_admin_site
):
    client.force_login(AdminFactory())

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_with_admin_requires_otp_password_and_totp_code_open_the_admin(client, otp_admin_site):
    admin_user = AdminFactory()
    device = TotpDeviceFactory(user=admin_user)

    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": admin_user.email,
            "password": TEST_PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": totp_token(device),
            "next": "/admin/",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/admin/").status_code == 200


def test_customer_login_code_devices_are_never_offered_as_a_second_factor():
    user = UserFactory()
    LoginCodeDevice.objects.create(destination=user.email, channel="email", user=user)

    from django_otp import devices_for_user, user_has_device

    assert list(devices_for_user(user)) == []
    assert user_has_device(user) is False


# --- enrol_admin_totp -------------------------------------------------------------------------


def test_enrol_admin_totp_creates_a_confirmed_device_and_prints_uri_and_qr(capsys):
    admin_user = AdminFactory(email="root@movehub.example")
    old = TotpDeviceFactory(user=admin_user)

    call_command("enrol_admin_totp", "--email", "Root@MoveHub.example")

    device = TOTPDevice.objects.get(user=admin_user)
    assert device.pk != old.pk
    assert device.confirmed is True
    out = capsys.readouterr().out
    assert device.config_url in out
    assert "█" in out or "▀" in out  # the QR code drawn in the terminal


def test_enrol_admin_totp_refuses_non_staff_users():
    UserFactory(email="owner@movers.example")

    with pytest.raises(CommandError, match="is not a platform admin"):
        call_command("enrol_admin_totp", "--email", "owner@movers.example")

    assert not TOTPDevice.objects.exists()


def test_enrol_admin_totp_refuses_unknown_emails():
    with pytest.raises(CommandError, match=r"No user with e-mail nobody@example\.com"):
        call_command("enrol_admin_totp", "--email", "nobody@example.com")


# --- admin pages ------------------------------------------------------------------------------


def test_the_login_code_device_admin_is_read_only_and_shows_no_code(client):
    client.force_login(AdminFactory())
    customer = CustomerFactory(phone="+33612345678")
    device = LoginCodeDevice.objects.create(
        destination="+33612345678", channel="sms", user=customer
    )
    device.generate_token()

    changelist = client.get("/admin/accounts/logincodedevice/")
    change = client.get(f"/admin/accounts/logincodedevice/{device.pk}/change/")

    assert changelist.status_code == 200
    assert "+33612345678" in changelist.content.decode()
    assert change.status_code == 200
    html = change.content.decode()
    assert device.token_hash not in html
    assert 'name="destination"' not in html  # no editable inputs
    assert client.get("/admin/accounts/logincodedevice/add/").status_code == 403
    assert client.post(f"/admin/accounts/logincodedevice/{device.pk}/delete/").status_code == 403


def test_a_users_admin_page_lists_their_devices(client):
    client.force_login(AdminFactory())
    staff = UserFactory(email="owner@movers.example")
    TotpDeviceFactory(user=staff, name="Phone app")

    html = client.get(f"/admin/accounts/user/{staff.pk}/change/").content.decode()

    assert "Authenticator apps (TOTP)" in html
    assert "Phone app" in html
    assert TOTPDevice.objects.get().key not in html


def test_the_totp_admin_hides_secret_keys(client):
    client.force_login(AdminFactory())
    device = TotpDeviceFactory(user=UserFactory())

    html = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()

    assert device.key not in html
