"""Channels middleware: authenticate a WebSocket by JWT from `?token=` or the bearer subprotocol."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
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


@database_sync_to_async
def _user_for_token(raw_token: str):
    authentication = JWTAuthentication()
    try:
        validated = authentication.get_validated_token(raw_token.encode())
        return authentication.get_user(validated)
    except (InvalidToken, TokenError, Exception):  # any bad token means anonymous
        return AnonymousUser()


class JwtAuthMiddleware(BaseMiddleware):
    """Sets scope["user"] (AnonymousUser when no or bad token); consumers decide who may connect.

    When the token came as a subprotocol, scope["accepted_subprotocol"] tells consumers to accept
    with "bearer" so browsers complete the handshake.
    """

    async def __call__(self, scope, receive, send):
        raw_token = token_from_scope(scope)
        scope = dict(scope)
        scope["user"] = await _user_for_token(raw_token) if raw_token else AnonymousUser()
        if raw_token and (scope.get("subprotocols") or [None])[0] == BEARER_SUBPROTOCOL:
            scope["accepted_subprotocol"] = BEARER_SUBPROTOCOL
        return await super().__call__(scope, receive, send)
