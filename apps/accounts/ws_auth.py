"""Channels middleware: authenticate a WebSocket by JWT, or by the dashboard's session cookie.

- A JWT from the `["bearer", "<jwt>"]` subprotocols or the `?token=` query parameter (apps,
  scripts, the driver's phone).
- Without a JWT, a browser socket (one that sends `Origin`) is authenticated by the session
  cookie, as Channels' AuthMiddlewareStack would: the staff dashboards' pages (the live map) open
  their sockets this way, with no token in the page. The Origin was already checked against
  ALLOWED_HOSTS by BrowserOriginValidator (apps/core/asgi.py), which runs before this
  middleware, so a page of another site never rides the cookie (cross-site socket hijacking). A
  client without `Origin` is never authenticated by a cookie. A session of a user with a
  confirmed authenticator counts only once it passed the second factor (as `staff_page`).
"""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

BEARER_SUBPROTOCOL = "bearer"


def token_from_scope(scope: dict[str, Any]) -> str | None:
    """The JWT from `["bearer", "<jwt>"]` subprotocols, else from the `token` query parameter."""
    subprotocols = list(scope.get("subprotocols") or [])
    if len(subprotocols) >= 2 and subprotocols[0] == BEARER_SUBPROTOCOL:
        return subprotocols[1]
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    values = query.get("token")
    return values[0] if values else None


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def session_key_from_scope(scope: dict[str, Any]) -> str | None:
    """The session cookie of a browser socket (one with an Origin header), else None."""
    if _header(scope, b"origin") is None:
        return None
    cookie = _header(scope, b"cookie")
    if not cookie:
        return None
    return parse_cookie(cookie).get(settings.SESSION_COOKIE_NAME) or None


@database_sync_to_async
def _user_for_token(raw_token: str):
    authentication = JWTAuthentication()
    try:
        validated = authentication.get_validated_token(raw_token.encode())
        return authentication.get_user(validated)
    except (InvalidToken, TokenError, Exception):  # any bad token means anonymous
        return AnonymousUser()


@database_sync_to_async
def _user_for_session(session_key: str):
    """The session's user, as Django's auth middleware finds it; anonymous when the user has a
    confirmed authenticator that this session did not pass (django-otp's session key)."""
    from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
    from django_otp.models import Device

    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(SimpleNamespace(session=session))  # type: ignore[arg-type]  # reads .session only
    if not user.is_authenticated:
        return AnonymousUser()
    if user_has_device(user, confirmed=True):
        persistent_id = session.get(DEVICE_ID_SESSION_KEY)
        device = Device.from_persistent_id(persistent_id) if persistent_id else None
        if device is None or device.user_id != user.pk:
            return AnonymousUser()
    return user


class JwtAuthMiddleware(BaseMiddleware):
    """Sets scope["user"] (AnonymousUser when no or bad credentials); consumers decide who may
    connect. A JWT, when given, decides alone: a bad token is anonymous even with a cookie.

    When the token came as a subprotocol, scope["accepted_subprotocol"] tells consumers to accept
    with "bearer" so browsers complete the handshake.
    """

    async def __call__(self, scope, receive, send):
        raw_token = token_from_scope(scope)
        scope = dict(scope)
        if raw_token:
            scope["user"] = await _user_for_token(raw_token)
        elif session_key := session_key_from_scope(scope):
            scope["user"] = await _user_for_session(session_key)
        else:
            scope["user"] = AnonymousUser()
        if raw_token and (scope.get("subprotocols") or [None])[0] == BEARER_SUBPROTOCOL:
            scope["accepted_subprotocol"] = BEARER_SUBPROTOCOL
        return await super().__call__(scope, receive, send)
