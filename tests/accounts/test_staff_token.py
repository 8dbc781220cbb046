"""Staff API login: e-mail + password (+ authenticator code) -> JWTs; axes locks out failures."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken

from tests.accounts.conftest import assert_envelope
from tests.accounts.factories import TEST_PASSWORD, TotpDeviceFactory, UserFactory, totp_token

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
BAD_CREDENTIALS = "The e-mail address or the password is wrong."


@pytest.fixture
def staff(alice):
    return alice.dispatcher


def login(client, email, password=TEST_PASSWORD, **extra):
    return client.post(TOKEN_URL, {"email": email, "password": password, **extra}, format="json")


def test_right_email_and_password_give_tokens_for_that_user(api_client, staff):
    response = login(api_client, staff.email)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert AccessToken(body["access"])["user_id"] == str(staff.id)
    staff.refresh_from_db()
    assert staff.last_login is not None


def test_the_email_is_case_insensitive(api_client, staff):
    assert login(api_client, staff.email.upper()).status_code == 200


def tokens_of(user) -> int:
    return OutstandingToken.objects.filter(user=user).count()


def test_unknown_email_and_wrong_password_get_the_very_same_answer(api_client, staff):
    before = tokens_of(staff)
    wrong_password = login(api_client, staff.email, "not-the-password")
    unknown_email = login(api_client, "nobody@example.com", "not-the-password")

    for response in (wrong_password, unknown_email):
        error = assert_envelope(response, status=401, code="not_authenticated")
        assert error == {"code": "not_authenticated", "message": BAD_CREDENTIALS, "details": {}}
    assert wrong_password.content == unknown_email.content
    assert tokens_of(staff) == before


def test_a_disabled_account_gets_the_same_answer_as_a_wrong_password(api_client, staff):
    staff.is_active = False
    staff.save()

    error = assert_envelope(login(api_client, staff.email), status=401, code="not_authenticated")

    assert error["message"] == BAD_CREDENTIALS


def test_a_customer_without_password_cannot_use_the_password_login(api_client):
    customer = UserFactory(email="jane@example.com")
    customer.set_unusable_password()
    customer.save()

    assert_envelope(login(api_client, "jane@example.com", ""), status=400, code="invalid")
    assert_envelope(
        login(api_client, "jane@example.com", "x"), status=401, code="not_authenticated"
    )


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"email": "not-an-email", "password": "x"}, {"email": ["Enter a valid email address."]}),
        ({"email": "a@b.example"}, {"password": ["This field is required."]}),
        (
            {"email": "a@b.example", "password": "x", "username": "a"},
            {"username": ["Unknown field."]},
        ),
    ],
)
def test_malformed_logins_are_400(api_client, body, details):
    error = assert_envelope(
        api_client.post(TOKEN_URL, body, format="json"), status=400, code="invalid"
    )
    assert error["details"] == details
    assert not AccessAttempt.objects.exists()


# --- second factor ----------------------------------------------------------------------------


def test_with_an_authenticator_a_missing_code_is_400_on_otp(api_client, staff):
    before = tokens_of(staff)
    TotpDeviceFactory(user=staff)

    error = assert_envelope(login(api_client, staff.email), status=400, code="invalid")

    assert error["details"] == {"otp": ["The code from your authenticator app is required."]}
    assert tokens_of(staff) == before
    assert not AccessAttempt.objects.exists()  # the password was right: not a failure


def test_with_an_authenticator_a_wrong_code_is_400_on_otp_and_counts_as_a_failure(
    api_client, staff
):
    before = tokens_of(staff)
    device = TotpDeviceFactory(user=staff)
    wrong = f"{(int(totp_token(device)) + 500_000) % 1_000_000:06d}"

    error = assert_envelope(login(api_client, staff.email, otp=wrong), status=400, code="invalid")

    assert error["details"] == {"otp": ["The authenticator code is wrong or was already used."]}
    assert tokens_of(staff) == before
    assert AccessAttempt.objects.get().failures_since_start == 1
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_with_an_authenticator_the_right_code_gives_tokens(api_client, staff):
    device = TotpDeviceFactory(user=staff)

    response = login(api_client, staff.email, otp=totp_token(device))

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_an_authenticator_code_cannot_be_replayed(api_client, staff):
    device = TotpDeviceFactory(user=staff)
    code = totp_token(device)
    assert login(api_client, staff.email, otp=code).status_code == 200

    response = login(api_client, staff.email, otp=code)

    assert_envelope(response, status=400, code="invalid")


def test_an_unconfirmed_authenticator_is_not_asked_for(api_client, staff):
    TotpDeviceFactory(user=staff, confirmed=False)

    assert login(api_client, staff.email).status_code == 200


def test_a_wrong_password_with_a_right_code_is_still_401(api_client, staff):
    device = TotpDeviceFactory(user=staff)

    response = login(api_client, staff.email, "wrong-password", otp=totp_token(device))

    assert_envelope(response, status=401, code="not_authenticated")
    assert TOTPDevice.objects.get().last_t == -1  # the code was not even looked at


# --- lockout (django-axes) --------------------------------------------------------------------


def test_the_fifth_failure_locks_out_with_429_and_retry_after(api_client, staff):
    for _ in range(4):
        assert_envelope(
            login(api_client, staff.email, "wrong"), status=401, code="not_authenticated"
        )

    response = login(api_client, staff.email, "wrong")

    error = assert_envelope(response, status=429, code="throttled")
    assert response["Retry-After"] == "900"
    assert error["details"] == {"retry_after": 900}


def test_while_locked_out_even_the_right_password_is_refused(api_client, staff):
    before = tokens_of(staff)
    for _ in range(5):
        login(api_client, staff.email, "wrong")

    response = login(api_client, staff.email)

    assert_envelope(response, status=429, code="throttled")
    assert response["Retry-After"] == "900"
    assert tokens_of(staff) == before


def test_lockout_does_not_reveal_whether_the_account_exists(api_client, staff):
    known = [login(api_client, staff.email, "wrong") for _ in range(5)]
    api_client_2 = api_client.__class__(REMOTE_ADDR="10.1.1.1")
    unknown = [login(api_client_2, "nobody@example.com", "wrong") for _ in range(5)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401] * 4 + [429]
    assert known[-1].content == unknown[-1].content


def test_lockout_is_per_account_and_address_pair(api_client, staff, alice):
    for _ in range(5):
        login(api_client, staff.email, "wrong")
    assert login(api_client, staff.email).status_code == 429

    other_account_same_address = login(api_client, alice.owner.email)
    same_account_other_address = login(api_client.__class__(REMOTE_ADDR="10.2.2.2"), staff.email)

    assert other_account_same_address.status_code == 200
    assert same_account_other_address.status_code == 200


def test_failures_count_per_email_whatever_its_case(api_client, staff):
    for variant in [
        staff.email,
        staff.email.upper(),
        staff.email.title(),
        staff.email,
        staff.email,
    ]:
        response = login(api_client, variant, "wrong")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {staff.email}


def test_wrong_authenticator_codes_lead_to_the_lockout_too(api_client, staff):
    before = tokens_of(staff)
    device = TotpDeviceFactory(user=staff)
    wrong = f"{(int(totp_token(device)) + 500_000) % 1_000_000:06d}"
    for _ in range(4):
        assert login(api_client, staff.email, otp=wrong).status_code == 400

    response = login(api_client, staff.email, otp=wrong)

    assert_envelope(response, status=429, code="throttled")
    assert_envelope(
        login(api_client, staff.email, otp=totp_token(device)), status=429, code="throttled"
    )
    assert tokens_of(staff) == before


def test_a_success_clears_earlier_failures(api_client, staff):
    for _ in range(4):
        login(api_client, staff.email, "wrong")
    assert login(api_client, staff.email).status_code == 200

    for _ in range(4):
        assert login(api_client, staff.email, "wrong").status_code == 401
