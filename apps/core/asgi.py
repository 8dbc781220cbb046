"""ASGI middleware around the Django app: body limits before Django reads a byte, chunked bodies.

Django's ASGIHandler reads the whole request body (spooling it to a temporary file) before any
Django middleware runs, so a size check in Django middleware comes too late: a 30 MB body is
received and spooled before its 413, and a request that declares 200 MB and sends nothing holds
a worker until the client gives up. Django also takes the body's length from `Content-Length`
only: a chunked body (no Content-Length) reached the views as an empty body, and a PATCH "won"
with nothing applied.

`RequestBodyLimitMiddleware` therefore sits between the ASGI server and Django:
- a declared `Content-Length` over the limit is answered 413 at once, the body never read;
- a body without `Content-Length` (chunked) is read here, counting bytes as they arrive (413 as
  soon as the count passes the limit), then handed to Django with its `Content-Length`.

Limits (see `request_body_limit`): multipart bodies up to settings.API_MAX_MULTIPART_BODY_BYTES
(document uploads), every other body up to settings.API_MAX_JSON_BODY_BYTES (the JSON limit; the
same 1 MB Django allows form fields on the dashboards). Under /api/ the 413 is the JSON error
envelope; elsewhere plain text.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from channels.security.websocket import OriginValidator
from django.conf import settings

from apps.core.errors import error_body
from apps.core.middleware import is_api_path

logger = structlog.get_logger(__name__)

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Any ASGI callable: Django, Channels and uvicorn each type their own messages narrower.
AsgiApp = Callable[[Any, Any, Any], Awaitable[Any]]


def request_body_limit(*, content_type: str) -> int:
    """The largest body, in bytes, a request with `content_type` may carry."""
    if content_type.lower().startswith("multipart/"):
        return settings.API_MAX_MULTIPART_BODY_BYTES
    return settings.API_MAX_JSON_BODY_BYTES


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def send_json_or_text(
    send: Send, *, scope: Scope, status: int, code: str, message: str
) -> None:
    """A complete response: the error envelope under /api/, else the message as plain text."""
    if is_api_path(scope.get("path", "")):
        body = json.dumps(error_body(code, message)).encode()
        content_type = b"application/json"
    else:
        body = message.encode()
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestBodyLimitMiddleware:
    """413 on a declared or counted body over the limit; chunked bodies get a Content-Length."""

    def __init__(self, app: AsgiApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = request_body_limit(content_type=_header(scope, b"content-type") or "")
        declared = _header(scope, b"content-length")
        if declared is not None:
            # The server frames the body by this header: it never delivers more than declared.
            if declared.strip().isdigit() and int(declared) > limit:
                await self._refuse(send, scope=scope, limit=limit)
                return
            await self.app(scope, receive, send)
            return
        if _header(scope, b"transfer-encoding") is None:
            await self.app(scope, receive, send)  # no body at all
            return
        await self._read_chunked(scope, receive, send, limit=limit)

    async def _read_chunked(
        self, scope: Scope, receive: Receive, send: Send, *, limit: int
    ) -> None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await self._refuse(send, scope=scope, limit=limit)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        headers = [
            (key, value)
            for key, value in scope["headers"]
            if key.lower() not in (b"transfer-encoding", b"content-length")
        ]
        headers.append((b"content-length", str(size).encode()))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: the disconnect, when it comes

        await self.app({**scope, "headers": headers}, replay, send)

    async def _refuse(self, send: Send, *, scope: Scope, limit: int) -> None:
        logger.info("http.body_too_large", path=scope["path"], limit=limit)
        await send_json_or_text(
            send,
            scope=scope,
            status=413,
            code="payload_too_large",
            message=f"The body is over {limit} bytes.",
        )


# WebSocket close code 1013 "Try Again Later": the server cannot serve this connection now.
WS_CLOSE_SERVICE_UNAVAILABLE = 1013


class WebsocketOutageMiddleware:
    """A WebSocket whose consumer fails because Redis (the channel layer) is down is closed with
    1013 "Try Again Later" and reason `service_unavailable`, instead of an opaque 500 handshake or
    1011. Accepted first when needed: browsers report a close code only after the handshake."""

    def __init__(self, app: AsgiApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        from apps.core.outage import DEPENDENCY_DOWN_ERRORS

        state = {"accepted": False, "closed": False}

        async def tracking_send(message: Message) -> None:
            if message["type"] == "websocket.accept":
                state["accepted"] = True
            elif message["type"] in ("websocket.close", "websocket.http.response.start"):
                state["closed"] = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except DEPENDENCY_DOWN_ERRORS as exc:
            logger.warning("ws.dependency_down", path=scope.get("path"), error=type(exc).__name__)
            if state["closed"]:
                return
            if not state["accepted"]:
                await send({"type": "websocket.accept"})
            await send(
                {
                    "type": "websocket.close",
                    "code": WS_CLOSE_SERVICE_UNAVAILABLE,
                    "reason": "service_unavailable",
                }
            )


class BrowserOriginValidator(OriginValidator):
    """Channels' origin check for browsers, letting through clients that send no Origin.

    The check stops a page on another site from opening a socket in a signed-in user's browser
    (cross-site WebSocket hijacking); browsers always send Origin, so that protection is intact.
    Sockets authenticate by a JWT the client presents (query or subprotocol); the session cookie
    is used only for a socket that sends an Origin, which this check has already accepted
    (apps/accounts/ws_auth.py: the dashboards' pages). A client without Origin (a native driver
    app, a script) is therefore authenticated by its JWT alone and gains nothing a forged Origin
    would not give it; refusing it would only lock out non-browser apps.
    """

    def valid_origin(self, parsed_origin: Any) -> bool:
        if parsed_origin is None:
            return True
        return bool(self.validate_origin(parsed_origin))


def browser_origin_validator(application: AsgiApp) -> BrowserOriginValidator:
    """BrowserOriginValidator over settings.ALLOWED_HOSTS (as Channels' AllowedHosts factory)."""
    from django.conf import settings

    allowed_hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = ["localhost", "127.0.0.1", "[::1]"]
    return BrowserOriginValidator(application, allowed_hosts)
