"""The default API throttle: one counter per client, `anon` rate by address, `user` rate by id."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle


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
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str:
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
