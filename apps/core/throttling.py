"""API throttling: the default per-client throttle, and what throttles do while Redis is down.

Throttle counters live in the cache (Redis). When Redis cannot be reached, a throttle cannot
count, and each view decides (`throttle_outage_allows`):
- fail open (logged, the request goes on unthrottled): safe methods (reads: GET, HEAD, OPTIONS)
  and views that set `throttle_fails_open = True` (token refresh, logout);
- fail closed (503 `service_unavailable`): every other write, and always for throttles with
  `fails_closed = True` (the login and one-time-code throttles), whatever the view says: without
  a counter they would let anyone guess passwords and codes, or send unlimited SMS.
"""

from __future__ import annotations

from typing import Any

import structlog
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from apps.core.outage import REDIS_DOWN_ERRORS

logger = structlog.get_logger(__name__)

# What the cache raises when Redis is down or too slow.
CACHE_DOWN_ERRORS = REDIS_DOWN_ERRORS


def throttle_outage_allows(*, request: Any, view: Any, throttle: Any, exc: Exception) -> bool:
    """True to let the request through unthrottled; raises ServiceUnavailable to refuse it."""
    fails_open: bool
    if getattr(throttle, "fails_closed", False):
        fails_open = False
    else:
        declared = getattr(view, "throttle_fails_open", None)
        fails_open = request.method in SAFE_METHODS if declared is None else bool(declared)
    logger.warning(
        "throttle.cache_down",
        throttle=type(throttle).__name__,
        path=request.path,
        method=request.method,
        fails_open=fails_open,
        error=type(exc).__name__,
    )
    if not fails_open:
        # Imported here: DRF imports this module while apps.core.errors imports DRF's views.
        from apps.core.errors import ServiceUnavailable

        raise ServiceUnavailable() from exc
    return True


class ClientRateThrottle(SimpleRateThrottle):
    """One throttle instead of DRF's AnonRateThrottle + UserRateThrottle pair.

    With the pair, an anonymous request was counted twice (UserRateThrottle falls back to the
    client address), costing two Redis round trips per request for one useful limit.
    """

    def __init__(self) -> None:
        # The scope (and so the rate) is only known per request; see allow_request.
        self.scope = None

    def allow_request(self, request: Any, view: Any) -> bool:
        self.scope = "user" if request.user and request.user.is_authenticated else "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except CACHE_DOWN_ERRORS as exc:
            return throttle_outage_allows(request=request, view=view, throttle=self, exc=exc)

    def get_cache_key(self, request: Any, view: Any) -> str:
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
