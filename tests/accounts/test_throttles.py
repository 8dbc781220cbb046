"""Code requests are throttled per destination and per address, with rates like "3/10min"."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from apps.accounts.throttles import OtpDestinationThrottle, parse_rate
from apps.core.models import OutboxMessage
from tests.accounts.conftest import assert_envelope

pytestmark = pytest.mark.django_db

REQUEST_URL = "/api/v1/auth/otp/request/"


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("3/10min", (3, 600)),
        ("20/hour", (20, 3600)),
        ("30/min", (30, 60)),
        ("5/30s", (5, 30)),
        ("1/2h", (1, 7200)),
        ("100/day", (100, 86400)),
        ("7/ 15 minutes", (7, 900)),
    ],
)
def test_rates_are_parsed_with_their_period_multiplier(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["3", "3/", "x/min", "3/10fortnights", "3/0min", "/min"])
def test_unreadable_rates_are_a_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)


def test_the_default_destination_rate_is_three_per_ten_minutes():
    throttle = OtpDestinationThrottle()
    assert (throttle.num_requests, throttle.duration) == (3, 600)


def test_fourth_code_request_to_one_phone_within_ten_minutes_is_429_with_retry_after(api_client):
    for _ in range(3):
        response = api_client.post(REQUEST_URL, {"phone": "+33 6 12 34 56 78"}, format="json")
        assert response.status_code == 202

    # The same number written differently is the same destination.
    response = api_client.post(REQUEST_URL, {"phone": "+33612345678"}, format="json")

    error = assert_envelope(response, status=429, code="throttled")
    retry_after = int(response["Retry-After"])
    assert 590 <= retry_after <= 600
    assert 590 <= error["details"]["retry_after"] <= 600
    assert OutboxMessage.objects.filter(to="+33612345678").count() == 3


def test_destination_throttle_counts_each_destination_separately(api_client):
    for _ in range(3):
        assert api_client.post(REQUEST_URL, {"email": "a@example.com"}).status_code == 202

    assert api_client.post(REQUEST_URL, {"email": "b@example.com"}).status_code == 202
    assert api_client.post(REQUEST_URL, {"email": "A@Example.com"}).status_code == 429


def test_destination_slots_expire_after_the_whole_window():
    """Each allowed request holds a cache slot that Redis expires 600 s later (sliding window)."""
    throttle = OtpDestinationThrottle()
    key = throttle.cache_format % {"scope": "otp_destination", "ident": "abc"}
    assert cache.add(f"{key}:0", 1.0, timeout=throttle.duration)
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    try:
        ttl = client.ttl(cache.make_key(f"{key}:0"))
    finally:
        client.close()
    assert 595 <= ttl <= 600


def test_per_address_throttle_refuses_requests_beyond_its_rate(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "otp_ip": "2/hour",
        },
    }
    assert api_client.post(REQUEST_URL, {"email": "one@example.com"}).status_code == 202
    assert api_client.post(REQUEST_URL, {"email": "two@example.com"}).status_code == 202

    response = api_client.post(REQUEST_URL, {"email": "three@example.com"})

    assert_envelope(response, status=429, code="throttled")
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert not OutboxMessage.objects.filter(to="three@example.com").exists()


def test_a_spoofed_x_forwarded_for_does_not_escape_the_address_throttle(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "otp_ip": "2/hour",
        },
    }
    for index in range(2):
        response = api_client.post(
            REQUEST_URL,
            {"email": f"user{index}@example.com"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{index}",
        )
        assert response.status_code == 202

    response = api_client.post(
        REQUEST_URL, {"email": "user9@example.com"}, HTTP_X_FORWARDED_FOR="10.0.0.9"
    )

    assert_envelope(response, status=429, code="throttled")
