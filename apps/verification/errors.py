"""Errors of verification that the shared family does not have."""

from rest_framework import status

from apps.core.errors import ApplicationError


class PayloadTooLarge(ApplicationError):
    code = "payload_too_large"
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = "The request body is too large."
