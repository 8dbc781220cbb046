"""X-Forwarded-For is trusted from MOVEHUB_TRUSTED_PROXIES only (none by default), through the
real server: a client on loopback cannot pick its address to escape throttles or lockouts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt

from apps.core.models import OutboxMessage
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.live_server import REPO_ROOT
from tests.server.conftest import assert_envelope

pytestmark = pytest.mark.django_db(transaction=True)

OTP_URL = "/api/v1/auth/otp/request/"
TOKEN_URL = "/api/v1/auth/token/"


def otp(client, email: str, forwarded_for: str | None = None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(OTP_URL, json={"email": email}, headers=headers)


def test_a_spoofed_forwarded_for_does_not_escape_the_otp_address_throttle(asgi_server_factory):
    server = asgi_server_factory(THROTTLE_OTP_IP="2/hour")
    with server.client() as client:
        allowed = [otp(client, f"user{index}@example.com").status_code for index in range(2)]
        spoofed = otp(client, "user9@example.com", forwarded_for="203.0.113.9")

    assert allowed == [202, 202]
    assert_envelope(spoofed, status=429, code="throttled")
    assert not OutboxMessage.objects.filter(to="user9@example.com").exists()


def test_a_spoofed_forwarded_for_does_not_escape_an_account_lockout(asgi_server):
    staff = UserFactory()
    with asgi_server.client() as client:
        failures = [
            client.post(TOKEN_URL, json={"email": staff.email, "password": "wrong"}).status_code
            for _ in range(5)
        ]
        spoofed = client.post(
            TOKEN_URL,
            json={"email": staff.email, "password": TEST_PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )

    assert failures == [401, 401, 401, 401, 429]
    assert_envelope(spoofed, status=429, code="throttled")
    assert "access" not in spoofed.json()
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_address(asgi_server_factory):
    server = asgi_server_factory(THROTTLE_OTP_IP="2/hour", MOVEHUB_TRUSTED_PROXIES="127.0.0.1")
    staff = UserFactory()
    with server.client() as client:
        first_client = [
            otp(client, f"user{index}@example.com", "203.0.113.1").status_code for index in range(3)
        ]
        second_client = otp(client, "user5@example.com", "203.0.113.2")
        failed_login = client.post(
            TOKEN_URL,
            json={"email": staff.email, "password": "wrong"},
            headers={"X-Forwarded-For": "198.51.100.4, 203.0.113.3"},
        )

    assert first_client == [202, 202, 429]
    assert second_client.status_code == 202
    assert failed_login.status_code == 401
    # The right-most untrusted address is the client's: the left part is client-supplied.
    assert AccessAttempt.objects.get(username=staff.email).ip_address == "203.0.113.3"


def test_the_retired_num_proxies_setting_is_refused_at_startup():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "movehub.settings.test", "NUM_PROXIES": "1"}

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert "NUM_PROXIES is no longer read: name the proxies in MOVEHUB_TRUSTED_PROXIES" in (
        result.stderr
    )
