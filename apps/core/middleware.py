"""Request id on every log line and response; API body limit, 503s and 500s in the envelope."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from apps.core.errors import PayloadTooLarge, error_body
from apps.core.outage import is_dependency_down, service_unavailable_response

logger = structlog.get_logger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def server_error_response() -> JsonResponse:
    """The API's 500 in the envelope (the error itself is logged by the caller)."""
    return JsonResponse(
        error_body("server_error", "Something went wrong on our side. It has been logged."),
        status=500,
    )


def request_content_length(request: HttpRequest) -> int:
    """The declared body length in bytes (0 when absent or malformed)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def refuse_body_over(request: HttpRequest, *, limit: int, what: str) -> None:
    """413 before a body is read when its declared length is over `limit`; `what` says, in
    parentheses after the limit, what the body may carry."""
    if request_content_length(request) > limit:
        raise PayloadTooLarge(f"The body is over {limit} bytes ({what}).")


class RequestIdMiddleware:
    """Accept a sane incoming X-Request-ID or make one; bind it to every log line of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # our own per-request attribute
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.clear_contextvars()
        response[REQUEST_ID_HEADER] = request_id
        return response


class ApiBodyLimitMiddleware:
    """Refuse API bodies larger than the JSON limit (413) for in-process clients (the test client).

    Under an ASGI server the body is already checked, before Django reads it, by
    apps.core.asgi.RequestBodyLimitMiddleware. Multipart uploads carry their own, larger limits
    (documents), so only non-multipart bodies are capped here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            is_api_path(request.path)
            and not (request.content_type or "").startswith("multipart/")
            and request_content_length(request) > settings.API_MAX_JSON_BODY_BYTES
        ):
            return JsonResponse(
                error_body(
                    "payload_too_large",
                    f"The body is over {settings.API_MAX_JSON_BODY_BYTES} bytes.",
                ),
                status=413,
            )
        return self.get_response(request)


class ApiExceptionMiddleware:
    """An unexpected exception under /api/ is logged and answered as a 500 in the envelope; a
    dependency outage (apps/core/outage.py) as a 503 `service_unavailable`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_api_path(request.path):
            return None
        if is_dependency_down(exception):
            logger.warning("api.dependency_down", path=request.path, error=type(exception).__name__)
            return service_unavailable_response()
        if settings.DEBUG:
            return None
        logger.exception("api.unhandled_error", path=request.path, method=request.method)
        return server_error_response()
