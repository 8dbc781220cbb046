"""Helpers of the tests that go through a real ASGI server (tests/live_server.py)."""

from __future__ import annotations

from typing import Any


def bearer(user: Any) -> dict[str, str]:
    """An Authorization header with a fresh access token for `user` (same signing key)."""
    from rest_framework_simplejwt.tokens import RefreshToken

    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


def assert_envelope(response: Any, *, status: int, code: str) -> dict:
    """An httpx (or raw) response is an error in the envelope; returns its `error` object."""
    assert response.status_code == status, response.content
    assert response.headers["content-type"].startswith("application/json"), response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]
