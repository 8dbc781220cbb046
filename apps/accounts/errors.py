"""Errors specific to logging in: bad credentials (401), lockouts (429), undelivered codes (503)."""

from __future__ import annotations

from rest_framework import status

from apps.core.errors import ApplicationError, Conflict, DeliveryFailed


class BadCredentials(ApplicationError):
    """Unknown e-mail and wrong password answer the very same error (no account enumeration)."""

    code = "not_authenticated"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = "The e-mail address or the password is wrong."


class RefreshTokenNotValid(ApplicationError):
    code = "not_authenticated"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = "The refresh token is invalid or expired."


class LoginLockedOut(ApplicationError):
    """django-axes locked this username or address out; views turn it into a 429 + Retry-After."""

    code = "throttled"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = "Too many failed logins: try again later."

    def __init__(self, message: str | None = None, *, retry_after: int):
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class CodeDeliveryFailed(DeliveryFailed):
    default_message = "The code could not be sent right now. Try again in a moment."


class TotpAlreadyEnrolled(Conflict):
    code = "totp_already_enrolled"
    default_message = "An authenticator is already enrolled for this account."


class TotpRequired(ApplicationError):
    """The password was right and the account has an authenticator: its code is needed too."""

    code = "invalid"
    default_message = "The code from your authenticator app is required."

    def __init__(self, message: str | None = None):
        super().__init__(message, details={"otp": [message or self.default_message]})


class TotpWrong(ApplicationError):
    """The authenticator code is wrong, already used, or tried too soon after a wrong one."""

    code = "invalid"
    default_message = "The authenticator code is wrong or was already used."

    def __init__(self, message: str | None = None):
        super().__init__(message, details={"otp": [message or self.default_message]})
