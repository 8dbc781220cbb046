"""JWT refresh (rotating, blacklisting the old token) and logout (blacklisting the refresh)."""

from __future__ import annotations

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from tests.accounts.conftest import assert_envelope
from tests.accounts.factories import CustomerFactory

pytestmark = pytest.mark.django_db

REFRESH_URL = "/api/v1/auth/token/refresh/"
LOGOUT_URL = "/api/v1/auth/logout/"


@pytest.fixture
def refresh_token() -> str:
    return str(RefreshToken.for_user(CustomerFactory()))


def test_refresh_returns_a_new_access_and_a_new_refresh_token(api_client, refresh_token):
    response = api_client.post(REFRESH_URL, {"refresh": refresh_token}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert body["refresh"] != refresh_token
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_a_rotated_refresh_token_cannot_be_used_again(api_client, refresh_token):
    assert api_client.post(REFRESH_URL, {"refresh": refresh_token}).status_code == 200

    response = api_client.post(REFRESH_URL, {"refresh": refresh_token}, format="json")

    assert_envelope(response, status=401, code="not_authenticated")


def test_logout_blacklists_the_refresh_token_which_then_fails_401(api_client, refresh_token):
    response = api_client.post(LOGOUT_URL, {"refresh": refresh_token}, format="json")

    assert response.status_code == 204
    assert BlacklistedToken.objects.count() == 1
    after = api_client.post(REFRESH_URL, {"refresh": refresh_token}, format="json")
    error = assert_envelope(after, status=401, code="not_authenticated")
    assert error["message"] == "Token is blacklisted."


@pytest.mark.parametrize("garbage", ["not-a-token", "a.b.c", "x" * 400])
def test_logout_with_a_garbage_token_is_400_and_blacklists_nothing(api_client, garbage):
    error = assert_envelope(
        api_client.post(LOGOUT_URL, {"refresh": garbage}, format="json"), status=400, code="invalid"
    )

    assert error["details"] == {
        "refresh": ["This refresh token is invalid, expired or already revoked."]
    }
    assert not BlacklistedToken.objects.exists()


def test_logout_with_an_access_token_instead_of_a_refresh_token_is_400(api_client, refresh_token):
    access = str(RefreshToken(refresh_token).access_token)

    response = api_client.post(LOGOUT_URL, {"refresh": access}, format="json")

    assert_envelope(response, status=400, code="invalid")
    assert not BlacklistedToken.objects.exists()


def test_logging_out_twice_is_400_the_second_time(api_client, refresh_token):
    assert api_client.post(LOGOUT_URL, {"refresh": refresh_token}).status_code == 204

    response = api_client.post(LOGOUT_URL, {"refresh": refresh_token}, format="json")

    assert_envelope(response, status=400, code="invalid")
    assert BlacklistedToken.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({}, {"refresh": ["This field is required."]}),
        ({"refresh": "x", "access": "y"}, {"access": ["Unknown field."]}),
    ],
)
def test_logout_bad_input_is_400(api_client, body, details):
    error = assert_envelope(
        api_client.post(LOGOUT_URL, body, format="json"), status=400, code="invalid"
    )
    assert error["details"] == details
    assert not BlacklistedToken.objects.exists()


def test_refresh_without_a_token_is_400(api_client):
    error = assert_envelope(
        api_client.post(REFRESH_URL, {}, format="json"), status=400, code="invalid"
    )
    assert error["details"] == {"refresh": ["This field is required."]}
