"""Customers sign in with a one-time code sent by SMS or e-mail (request -> verify -> JWTs)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from apps.accounts.models import LoginCodeDevice, User
from apps.core.models import OutboxMessage
from tests.accounts.conftest import assert_envelope, last_code_sent_to
from tests.accounts.factories import AdminFactory, CustomerFactory, TotpDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUEST_URL = "/api/v1/auth/otp/request/"
VERIFY_URL = "/api/v1/auth/otp/verify/"
PHONE = "+33612345678"


def verify(client, code: str, **destination: str):
    return client.post(VERIFY_URL, {**destination, "code": code}, format="json")


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- requesting a code ------------------------------------------------------------------------


def test_code_request_sends_a_six_digit_code_by_sms_and_answers_202(api_client):
    response = api_client.post(REQUEST_URL, {"phone": "+33 6 12 34 56 78"}, format="json")

    assert response.status_code == 202
    message = OutboxMessage.objects.get(to=PHONE)
    assert message.channel == "sms"
    code = last_code_sent_to(PHONE)
    assert message.body == (
        f"Your MoveHub code is {code}. It expires in 5 minutes. Never share it."
    )
    assert not User.objects.exists()  # nobody exists before the first verify


def test_code_request_by_email_sends_a_mail_to_the_lower_cased_address(api_client):
    response = api_client.post(REQUEST_URL, {"email": "Jane@Example.COM"}, format="json")

    assert response.status_code == 202
    message = OutboxMessage.objects.get(to="jane@example.com")
    assert (message.channel, message.subject) == ("email", "Your MoveHub login code")
    assert LoginCodeDevice.objects.get().destination == "jane@example.com"


def test_code_request_answers_the_same_whether_or_not_the_account_exists(api_client):
    CustomerFactory(phone="+33611111111")

    existing = api_client.post(REQUEST_URL, {"phone": "+33611111111"}, format="json")
    unknown = api_client.post(REQUEST_URL, {"phone": "+33622222222"}, format="json")

    assert (existing.status_code, existing.content) == (unknown.status_code, unknown.content)
    assert existing.status_code == 202
    assert OutboxMessage.objects.filter(to__in=["+33611111111", "+33622222222"]).count() == 2


def test_the_code_is_stored_hashed_never_in_clear(api_client):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)

    device = LoginCodeDevice.objects.get(destination=PHONE)
    stored = {field.attname: getattr(device, field.attname) for field in device._meta.fields}
    assert code not in "".join(str(value) for value in stored.values())
    assert len(device.token_hash) == 64
    assert not hasattr(device, "token") or device.token is None


def test_a_new_code_replaces_the_previous_one(api_client):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    first = last_code_sent_to(PHONE)
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    second = last_code_sent_to(PHONE)
    assert first != second  # two random 6-digit codes: equal once in a million runs

    assert_envelope(verify(api_client, first, phone=PHONE), status=400, code="invalid")
    assert verify(api_client, second, phone=PHONE).status_code == 200
    assert LoginCodeDevice.objects.count() == 1


def test_admins_and_accounts_with_an_authenticator_are_sent_no_code(api_client):
    AdminFactory(email="root@movehub.example")
    TotpDeviceFactory(user=UserFactory(email="owner@movers.example"))

    for email in ["root@movehub.example", "owner@movers.example"]:
        response = api_client.post(REQUEST_URL, {"email": email}, format="json")
        assert response.status_code == 202

    assert not OutboxMessage.objects.exists()
    assert not LoginCodeDevice.objects.exists()


# --- verifying it -----------------------------------------------------------------------------


def test_first_verify_creates_the_customer_and_returns_tokens(api_client):
    api_client.post(REQUEST_URL, {"phone": "+33 6 12 34 56 78"}, format="json")

    response = verify(api_client, last_code_sent_to(PHONE), phone="+33 6 12 34 56 78")

    assert response.status_code == 200, response.content
    body = response.json()
    user = User.objects.get()
    assert (user.phone, user.email, user.has_usable_password()) == (PHONE, None, False)
    assert body["user"] == {
        "id": user.id,
        "email": None,
        "phone": PHONE,
        "name": "",
        "roles": ["customer"],
        "memberships": [],
    }
    assert AccessToken(body["access"])["user_id"] == str(user.id)
    assert body["refresh"]
    assert LoginCodeDevice.objects.get().user == user
    user.refresh_from_db()
    assert user.last_login is not None


def test_verify_by_email_creates_an_email_customer_usable_for_me(api_client):
    api_client.post(REQUEST_URL, {"email": "jane@example.com"}, format="json")

    response = verify(api_client, last_code_sent_to("jane@example.com"), email="JANE@example.com")

    assert response.status_code == 200
    user = User.objects.get()
    assert (user.email, user.phone) == ("jane@example.com", None)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert api_client.get("/api/v1/me/").json()["email"] == "jane@example.com"


def test_verify_signs_in_an_existing_customer_without_creating_another(api_client):
    customer = CustomerFactory(phone=PHONE, name="Jane")
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")

    response = verify(api_client, last_code_sent_to(PHONE), phone=PHONE)

    assert response.status_code == 200
    assert response.json()["user"]["id"] == customer.id
    assert response.json()["user"]["name"] == "Jane"
    assert User.objects.count() == 1


def test_a_code_works_only_once(api_client):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)
    assert verify(api_client, code, phone=PHONE).status_code == 200

    error = assert_envelope(verify(api_client, code, phone=PHONE), status=400, code="invalid")

    assert error["details"] == {"code": ["This code is wrong or has expired."]}
    assert User.objects.count() == 1


def test_an_expired_code_is_refused(api_client):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)
    LoginCodeDevice.objects.update(valid_until=timezone.now() - timedelta(seconds=1))

    error = assert_envelope(verify(api_client, code, phone=PHONE), status=400, code="invalid")

    assert error["details"] == {"code": ["This code is wrong or has expired."]}
    assert not User.objects.exists()


def test_a_code_lives_five_minutes():
    device = LoginCodeDevice.objects.create(destination=PHONE, channel="sms")
    before = timezone.now()
    device.generate_token()
    assert (
        before + timedelta(seconds=299)
        < device.valid_until
        <= timezone.now() + timedelta(seconds=300)
    )


def test_a_wrong_code_is_refused_and_counted(api_client):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)

    error = assert_envelope(
        verify(api_client, wrong_code(code), phone=PHONE), status=400, code="invalid"
    )

    assert error["details"] == {"code": ["This code is wrong or has expired."]}
    assert LoginCodeDevice.objects.get().throttling_failure_count == 1
    assert not User.objects.exists()


def test_after_five_wrong_tries_even_the_right_code_is_refused(api_client):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)
    for attempt in range(1, 6):
        response = verify(api_client, wrong_code(code), phone=PHONE)
        assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "code": ["Too many wrong tries: request a new code."]
    }

    error = assert_envelope(verify(api_client, code, phone=PHONE), status=400, code="invalid")

    assert error["details"] == {"code": ["Too many wrong tries: request a new code."]}
    assert LoginCodeDevice.objects.get().throttling_failure_count == 5
    assert not User.objects.exists()


def test_four_wrong_tries_still_leave_the_right_code_usable(api_client):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)
    for _ in range(4):
        assert verify(api_client, wrong_code(code), phone=PHONE).status_code == 400

    assert verify(api_client, code, phone=PHONE).status_code == 200
    assert LoginCodeDevice.objects.get().throttling_failure_count == 0


def test_a_code_for_an_unknown_destination_is_refused(api_client):
    error = assert_envelope(verify(api_client, "123456", phone=PHONE), status=400, code="invalid")

    assert error["details"] == {"code": ["This code is wrong or has expired."]}
    assert not User.objects.exists()


def test_a_code_sent_before_the_account_enrolled_an_authenticator_does_not_sign_it_in(api_client):
    owner = UserFactory(email="owner@movers.example")
    api_client.post(REQUEST_URL, {"email": "owner@movers.example"}, format="json")
    code = last_code_sent_to("owner@movers.example")
    TotpDeviceFactory(user=owner)

    response = verify(api_client, code, email="owner@movers.example")

    assert_envelope(response, status=403, code="permission_denied")
    assert LoginCodeDevice.objects.get().user is None


def test_a_disabled_customer_cannot_sign_in_with_a_code(api_client):
    CustomerFactory(phone=PHONE, is_active=False)
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")

    assert not OutboxMessage.objects.exists()
    assert_envelope(verify(api_client, "123456", phone=PHONE), status=400, code="invalid")


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "details"),
    [
        (
            {"phone": "06 12 34 56 78"},
            {"phone": ["Start the phone number with + and the country code, e.g. +33612345678."]},
        ),
        ({"phone": "+33 6 12"}, {"phone": ["This phone number does not exist."]}),
        ({"email": "jane@"}, {"email": ["Enter a valid email address."]}),
        (
            {"phone": PHONE, "email": "jane@example.com"},
            {"non_field_errors": ["Give either a phone number or an e-mail address."]},
        ),
        ({}, {"non_field_errors": ["Give either a phone number or an e-mail address."]}),
        ({"phone": PHONE, "channel": "sms"}, {"channel": ["Unknown field."]}),
        ({"phone": 33612345678}, {"phone": ["Expected a string."]}),  # JSON types are strict
        ({"phone": None}, {"phone": ["This field may not be null."]}),
    ],
)
def test_malformed_code_requests_are_400_and_send_nothing(api_client, body, details):
    error = assert_envelope(
        api_client.post(REQUEST_URL, body, format="json"), status=400, code="invalid"
    )

    assert error["details"] == details
    assert not OutboxMessage.objects.exists()
    assert not LoginCodeDevice.objects.exists()


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"phone": PHONE, "code": "12345"}, {"code": ["The code has 6 digits."]}),
        ({"phone": PHONE, "code": "1234567"}, {"code": ["The code has 6 digits."]}),
        ({"phone": PHONE, "code": "12345a"}, {"code": ["The code has 6 digits."]}),
        ({"phone": PHONE}, {"code": ["This field is required."]}),
        (
            {"code": "123456"},
            {"non_field_errors": ["Give either a phone number or an e-mail address."]},
        ),
        (
            {"phone": "0612345678", "code": "123456"},
            {"phone": ["Start the phone number with + and the country code, e.g. +33612345678."]},
        ),
        (
            {"phone": PHONE, "email": "a@b.example", "code": "123456"},
            {"non_field_errors": ["Give either a phone number or an e-mail address."]},
        ),
        ({"phone": PHONE, "code": "123456", "remember": True}, {"remember": ["Unknown field."]}),
    ],
)
def test_malformed_verifications_are_400_and_count_no_try(api_client, body, details):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")

    error = assert_envelope(
        api_client.post(VERIFY_URL, body, format="json"), status=400, code="invalid"
    )

    assert error["details"] == details
    assert LoginCodeDevice.objects.get().throttling_failure_count == 0
    assert not User.objects.exists()


def test_a_body_that_is_not_json_object_is_400(api_client):
    response = api_client.post(REQUEST_URL, ["+33612345678"], format="json")

    assert_envelope(response, status=400, code="invalid")
    assert not OutboxMessage.objects.exists()


def test_codes_in_other_scripts_digits_are_refused_as_malformed(api_client):
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")

    response = verify(api_client, "١٢٣٤٥٦", phone=PHONE)  # Arabic-Indic digits

    assert_envelope(response, status=400, code="invalid")
    assert LoginCodeDevice.objects.get().throttling_failure_count == 0


def test_codes_never_reach_the_logs(api_client, caplog):
    caplog.set_level("DEBUG")
    api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)
    verify(api_client, code, phone=PHONE)

    assert caplog.records  # something was logged (the sent event)
    assert code not in caplog.text
    assert all(code not in str(record.__dict__) for record in caplog.records)


def test_an_sms_gateway_failure_is_503_delivery_failed(api_client, settings):
    settings.SMS_BACKEND = "apps.core.messaging.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = ""  # not configured: the backend refuses to send

    response = api_client.post(REQUEST_URL, {"phone": PHONE}, format="json")

    assert_envelope(response, status=503, code="delivery_failed")
    assert not OutboxMessage.objects.exists()
