"""Login throttles: rates like "3/10min" parsed properly, atomic sliding windows in the cache.

DRF's SimpleRateThrottle reads only the first letter of the period ("3/10min" becomes 3 per
MINUTE) and keeps its history as a read-modify-write list, so parallel requests can all read the
same history and all pass. `PeriodRateThrottle` fixes both:

- `parse_rate` understands "<n>/<k><unit>" ("3/10min", "20/hour", "5/30s", "100/day");
- each allowed request takes one of `n` slot keys with an atomic `cache.add` (Redis SET NX) that
  expires `duration` seconds later, so at most `n` requests pass in any window of that length,
  however many arrive at once. Retry-After is the time until the oldest slot frees up.

The client address is REMOTE_ADDR only (REST_FRAMEWORK["NUM_PROXIES"] = 0): a client-supplied
X-Forwarded-For would let anyone pick a fresh "address" per request. Behind a reverse proxy,
movehub/asgi.py sets REMOTE_ADDR from X-Forwarded-For for trusted proxies only
(MOVEHUB_TRUSTED_PROXIES).

These throttles fail closed: while Redis is down they answer 503 `service_unavailable` rather
than let unlimited code requests, code guesses or password guesses through
(apps/core/throttling.py).
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from apps.accounts.identifiers import destination_from
from apps.core.throttling import CACHE_DOWN_ERRORS, throttle_outage_allows

_UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}
_RATE = re.compile(r"^\s*(?P<num>\d+)\s*/\s*(?P<count>\d*)\s*(?P<unit>[a-z]+)\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "3/10min" -> (3, 600); "20/hour" -> (20, 3600). ImproperlyConfigured for anything else."""
    match = _RATE.match(rate.lower())
    if match is None or match["unit"] not in _UNIT_SECONDS:
        raise ImproperlyConfigured(f"Throttle rate {rate!r} is not like '3/10min' or '20/hour'.")
    count = int(match["count"]) if match["count"] else 1
    duration = count * _UNIT_SECONDS[match["unit"]]
    if duration <= 0:
        raise ImproperlyConfigured(f"Throttle rate {rate!r} has an empty period.")
    return int(match["num"]), duration


def slot_take(cache: Any, *, key: str, limit: int, duration: int, now: float) -> int | None:
    """Take one of `limit` slots under `key` for `duration` seconds: None when one was free,
    else the seconds until the oldest frees up. Raises the cache's errors (Redis down)."""
    slots = [f"{key}:{index}" for index in range(limit)]
    taken = cache.get_many(slots)
    for slot in slots:
        # add() is atomic (SET NX): of several requests racing for a free slot, one wins.
        if slot not in taken and cache.add(slot, now, timeout=duration):
            return None
    taken = cache.get_many(slots)
    oldest = min(taken.values(), default=now)
    return max(1, math.ceil(oldest + duration - now))


class PeriodRateThrottle(SimpleRateThrottle):
    """Base of our throttles: subclasses set `scope` and `get_cache_key`."""

    fails_closed = True
    # Set by SimpleRateThrottle.__init__ from parse_rate(); read only when `rate` is set.
    num_requests: int
    duration: int

    def get_rate(self) -> str | None:
        # Read at instantiation (not import) time so settings overrides apply.
        if not self.scope:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a scope.")
        try:
            # drf-stubs type the rates as numbers; DRF's are "N/period" strings (or None).
            return cast("str | None", api_settings.DEFAULT_THROTTLE_RATES[self.scope])
        except KeyError as exc:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from exc

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        if rate is None:
            return None, None
        return parse_rate(rate)

    def get_ident(self, request: Request) -> str:
        return request.META.get("REMOTE_ADDR", "")

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return self._allow_request(request, view)
        except CACHE_DOWN_ERRORS as exc:
            return throttle_outage_allows(request=request, view=view, throttle=self, exc=exc)

    def _allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        wait = slot_take(
            self.cache, key=self.key, limit=self.num_requests, duration=self.duration, now=self.now
        )
        if wait is None:
            return True
        self._wait = wait
        return False

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class IpThrottle(PeriodRateThrottle):
    """Counts requests per client address."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class OtpIpThrottle(IpThrottle):
    scope = "otp_ip"


class OtpVerifyIpThrottle(IpThrottle):
    scope = "otp_verify_ip"


class LoginIpThrottle(IpThrottle):
    scope = "login"


class OtpDestinationThrottle(PeriodRateThrottle):
    """Counts code requests per normalised destination (hashed: no phone numbers in cache keys).

    A body without a valid destination is not counted here: the view refuses it with a 400.
    """

    scope = "otp_destination"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        data = request.data
        if not hasattr(data, "get"):
            return None
        phone, email = data.get("phone"), data.get("email")
        if not isinstance(phone, str | None) or not isinstance(email, str | None):
            return None
        try:
            destination = destination_from(phone=phone, email=email)
        except ValueError:
            return None
        digest = hashlib.sha256(destination.value.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}
