"""Staff enrol an authenticator app: POST /me/totp/ (URI + QR), then confirm it with a code."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import assert_envelope
from tests.accounts.factories import CustomerFactory, TotpDeviceFactory, totp_token
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

ENROL_URL = "/api/v1/me/totp/"
CONFIRM_URL = "/api/v1/me/totp/confirm/"


def test_enrolment_creates_an_unconfirmed_device_and_returns_its_uri_and_qr(alice):
    response = alice.owner_client.post(ENROL_URL)

    assert response.status_code == 201
    body = response.json()
    device = TOTPDevice.objects.get(user=alice.owner)
    assert device.confirmed is False
    assert body["otpauth_uri"] == device.config_url
    uri = urlparse(body["otpauth_uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert uri.path == f"/MoveHub%3A{alice.owner.email}".replace("@", "%40")
    assert parse_qs(uri.query)["issuer"] == ["MoveHub"]
    assert body["qr_svg"].startswith("<svg") and body["qr_svg"].endswith("</svg>")


def test_a_second_enrolment_replaces_the_unconfirmed_device(alice):
    first = alice.owner_client.post(ENROL_URL).json()["otpauth_uri"]

    second = alice.owner_client.post(ENROL_URL).json()["otpauth_uri"]

    assert first != second
    assert TOTPDevice.objects.filter(user=alice.owner).count() == 1


def test_confirming_with_a_code_from_the_app_confirms_the_device(alice):
    alice.owner_client.post(ENROL_URL)
    device = TOTPDevice.objects.get(user=alice.owner)

    response = alice.owner_client.post(CONFIRM_URL, {"otp": totp_token(device)}, format="json")

    assert response.status_code == 200
    assert response.json() == {"confirmed": True}
    device.refresh_from_db()
    assert device.confirmed is True


def test_a_wrong_confirmation_code_is_400_and_leaves_the_device_unconfirmed(alice):
    alice.owner_client.post(ENROL_URL)
    device = TOTPDevice.objects.get(user=alice.owner)
    wrong = f"{(int(totp_token(device)) + 500_000) % 1_000_000:06d}"

    response = alice.owner_client.post(CONFIRM_URL, {"otp": wrong}, format="json")

    error = assert_envelope(response, status=400, code="invalid")
    assert error["details"] == {"otp": ["The authenticator code is wrong or was already used."]}
    device.refresh_from_db()
    assert (device.confirmed, device.throttling_failure_count) == (False, 1)


def test_right_code_after_a_wrong_one_confirms_once_the_backoff_passed(alice):
    alice.owner_client.post(ENROL_URL)
    device = TOTPDevice.objects.get(user=alice.owner)
    alice.owner_client.post(CONFIRM_URL, {"otp": "000000"}, format="json")
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )

    response = alice.owner_client.post(CONFIRM_URL, {"otp": totp_token(device)}, format="json")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({}, {"otp": ["This field is required."]}),
        ({"otp": "12ab56"}, {"otp": ["Enter the 6 digits."]}),
        ({"otp": "123456", "device": 1}, {"device": ["Unknown field."]}),
    ],
)
def test_malformed_confirmations_are_400(alice, body, details):
    alice.owner_client.post(ENROL_URL)

    error = assert_envelope(
        alice.owner_client.post(CONFIRM_URL, body, format="json"), status=400, code="invalid"
    )

    assert error["details"] == details
    assert TOTPDevice.objects.get(user=alice.owner).confirmed is False


def test_confirming_without_an_enrolment_is_400(alice):
    response = alice.owner_client.post(CONFIRM_URL, {"otp": "123456"}, format="json")

    error = assert_envelope(response, status=400, code="invalid")
    assert error["details"] == {"non_field_errors": ["Start with POST /api/v1/me/totp/."]}
    assert not TOTPDevice.objects.exists()


def test_once_confirmed_a_new_enrolment_is_refused_409(alice):
    device = TotpDeviceFactory(user=alice.owner)

    response = alice.owner_client.post(ENROL_URL)

    assert_envelope(response, status=409, code="totp_already_enrolled")
    assert list(TOTPDevice.objects.filter(user=alice.owner)) == [device]


def test_customers_cannot_enrol_an_authenticator():
    customer = CustomerFactory()

    response = auth_client_for(customer).post(ENROL_URL)

    assert_envelope(response, status=403, code="permission_denied")
    assert not TOTPDevice.objects.exists()


def test_a_member_without_a_password_cannot_enrol(alice):
    alice.driver_user.set_unusable_password()
    alice.driver_user.save()

    assert_envelope(alice.driver_client.post(ENROL_URL), status=403, code="permission_denied")
    assert not TOTPDevice.objects.exists()


def test_enrolment_needs_a_token(api_client):
    assert_envelope(api_client.post(ENROL_URL), status=401, code="not_authenticated")
    assert_envelope(
        api_client.post(CONFIRM_URL, {"otp": "123456"}, format="json"),
        status=401,
        code="not_authenticated",
    )


def test_one_members_enrolment_never_touches_another_companys_staff(alice, bob):
    bob.owner_client.post(ENROL_URL)
    device = TOTPDevice.objects.get(user=bob.owner)

    response = alice.owner_client.post(CONFIRM_URL, {"otp": totp_token(device)}, format="json")

    assert_envelope(response, status=400, code="invalid")
    device.refresh_from_db()
    assert device.confirmed is False
