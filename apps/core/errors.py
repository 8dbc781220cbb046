"""The ApplicationError family and the one DRF exception handler that renders the error envelope.

Every error under /api/ looks like
    {"error": {"code": "slot_taken", "message": "...", "details": {}}}
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ApplicationError(Exception):
    """A domain error a client can act on. Subclasses fix `code` and `status_code`."""

    code: ClassVar[str] = "error"
    status_code: ClassVar[int] = status.HTTP_400_BAD_REQUEST
    default_message: ClassVar[str] = "The request could not be completed."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class Invalid(ApplicationError):
    code = "invalid"
    default_message = "The request is invalid."


class NotFound(ApplicationError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = "Not found."


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_message = "You do not have permission to do this."


class Conflict(ApplicationError):
    """Base of the 409 domain conflicts."""

    code = "conflict"
    status_code = status.HTTP_409_CONFLICT
    default_message = "The request conflicts with the current state."


class SlotTaken(Conflict):
    code = "slot_taken"
    default_message = "The resource is already booked at that time."


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = "That action is not allowed in the current state."


class QuoteExpired(Conflict):
    code = "quote_expired"
    default_message = "The quote has expired or was withdrawn."


class CapacityExhausted(Conflict):
    code = "capacity_exhausted"
    default_message = "Not enough capacity left."


class CompanyNotVerified(Conflict):
    code = "company_not_verified"
    default_message = "The company is not verified."


class ResourceNotAssignable(Conflict):
    code = "resource_not_assignable"
    default_message = "The truck or driver cannot be assigned."


class AlreadyExists(Conflict):
    """409: a unique thing (registration number, plate, licence, membership) is already taken.

    `details` names the field, as `invalid` does, so a client can show it next to the input.
    """

    code = "already_exists"
    default_message = "That already exists."


class PricingNotConfigured(Conflict):
    """409: the company has no usable pricing rules, so it cannot quote yet."""

    code = "pricing_not_configured"
    default_message = "This company has not set up its pricing yet."


class RequestInProgress(Conflict):
    """409: an Idempotency-Key replay while the first request with that key still runs."""

    code = "request_in_progress"
    default_message = "A request with this Idempotency-Key is still in progress."


class IdempotencyKeyReused(ApplicationError):
    """422: the same Idempotency-Key sent again with a different body."""

    code = "idempotency_key_reused"
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_message = "This Idempotency-Key was already used with a different request."


class PayloadTooLarge(ApplicationError):
    code = "payload_too_large"
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = "The request body is too large."


class DeliveryFailed(ApplicationError):
    """503: the SMS or mail gateway refused the message."""

    code = "delivery_failed"
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_message = "The message could not be sent right now. Try again in a moment."


class ServiceUnavailable(ApplicationError):
    """A dependency (PostgreSQL, Redis) is down: try again shortly (apps/core/outage.py)."""

    code = "service_unavailable"
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_message = "A service this request needs is unavailable. Try again shortly."
    retry_after_seconds: ClassVar[int] = 5


def encodable(value: Any) -> Any:
    """`value` with every string made UTF-8-encodable (lone surrogates backslash-escaped), so that
    rendering an error that quotes client input can never fail."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {encodable(key): encodable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encodable(item) for item in value]
    return value


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {"code": code, "message": encodable(message), "details": encodable(details or {})}
    }


# DRF exception class -> (envelope code, message override or None)
_DRF_CODES: dict[type[drf.APIException], str] = {
    drf.ValidationError: "invalid",
    drf.ParseError: "invalid",
    drf.NotAuthenticated: "not_authenticated",
    drf.AuthenticationFailed: "not_authenticated",
    drf.PermissionDenied: "permission_denied",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "throttled",
}


def _drf_code(exc: drf.APIException) -> str:
    for cls in type(exc).__mro__:
        if cls in _DRF_CODES:
            return _DRF_CODES[cls]
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else "error"


def _validation_details(detail: Any) -> Any:
    """Flatten DRF's ErrorDetail structures into plain strings, keeping field structure.

    A list's errors come from DRF keyed by index ({1: {...}}: ListSerializer since DRF 3.18,
    ListField always); they are rendered as a list with `{}` for the items without errors,
    `{"inventory": [{}, {"quantity": [..]}]}`, the shape apps.core.error_details gives too.
    """
    if isinstance(detail, dict):
        if detail and all(isinstance(key, int) and key >= 0 for key in detail):
            items: list[Any] = [{} for _ in range(max(detail) + 1)]
            for index, value in detail.items():
                items[index] = _validation_details(value)
            return items
        return {str(key): _validation_details(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_validation_details(item) for item in detail]
    return str(detail)


def _message(detail: Any) -> str:
    """A human sentence from an APIException's detail.

    simplejwt raises InvalidToken with a dict detail ({"detail", "code", "messages"}); take its
    sentence rather than the dict's repr.
    """
    if isinstance(detail, dict):
        detail = detail.get("detail") or next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return str(detail) or "The request could not be completed."


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF EXCEPTION_HANDLER: every handled error leaves in the envelope of docs/api.md."""
    if isinstance(exc, ServiceUnavailable):
        return Response(
            error_body(exc.code, exc.message, exc.details),
            status=exc.status_code,
            headers={"Retry-After": str(exc.retry_after_seconds)},
        )
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("payload_too_large", "The request body is too large."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response(
            error_body("payload_too_large", "The request has too many fields or files."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        exc = drf.ValidationError(
            detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: ApiExceptionMiddleware renders the 500
    assert isinstance(exc, drf.APIException)
    code = _drf_code(exc)
    if isinstance(exc, drf.ValidationError):
        details = _validation_details(exc.detail)
        if isinstance(details, list):
            details = {"non_field_errors": details}
        message = "The request is invalid."
    else:
        details = {}
        message = _message(exc.detail)
        if isinstance(exc, drf.Throttled) and (wait := exc.wait) is not None:  # type: ignore[attr-defined]  # set in __init__, not in drf-stubs
            details = {"retry_after": int(wait + 0.999)}
    response.data = error_body(code, message, details)
    return response
