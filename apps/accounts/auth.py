"""Staff password logins with django-axes: authenticate, second factor, lockout answers.

Every password check goes through `django.contrib.auth.authenticate(request=..., username=...,
password=...)` with the plain HttpRequest, so axes (first authentication backend plus signal
handlers) sees each attempt: it refuses locked-out clients before the password is even checked,
records failures (unknown e-mail and wrong password alike) and flags the request when it locks.
A wrong authenticator code is reported to axes as a failed login too, so it counts towards the
same lockout. Locked out -> 429 `throttled` with Retry-After (the cool-off: every attempt made
while locked out restarts it), even with the right password.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse

from apps.accounts.errors import BadCredentials, LoginLockedOut, TotpWrong
from apps.accounts.models import User
from apps.accounts.services import totp_login_verify
from apps.core.errors import error_body
from apps.core.middleware import is_api_path

LOCKED_OUT_MESSAGE = "Too many failed logins: this login is locked for a while."


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the login e-mail, normalised, so "Alice@X" and "alice@x" count as
    one username (the login itself is case-insensitive)."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username")
    return raw.strip().lower() if isinstance(raw, str) and raw.strip() else None


def lockout_retry_after(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: what AxesMiddleware answers for a locked-out login.

    API: the 429 envelope (our views already raise it; kept as it is). Pages: a 429 page.
    AxesMiddleware's async path (the one an ASGI server takes) passes the credentials where the
    response belongs (`get_lockout_response(request, credentials)`), so anything that is not a
    response in `original_response` is ignored rather than trusted.
    """
    if not isinstance(original_response, HttpResponseBase):
        original_response = None
    retry_after = lockout_retry_after(request)
    if is_api_path(request.path):
        if original_response is not None and original_response.status_code == 429:
            return original_response
        response: HttpResponse = JsonResponse(
            error_body("throttled", LOCKED_OUT_MESSAGE, {"retry_after": retry_after}), status=429
        )
    else:
        response = TemplateResponse(
            request,
            "accounts/locked_out.html",
            {"retry_after_minutes": max(1, retry_after // 60)},
            status=429,
        )
        response.render()
    response["Retry-After"] = str(retry_after)
    return response


def login_failure_record(*, request: HttpRequest | None, username: str) -> None:
    """Tell axes (and any other listener) about a failed login that authenticate() did not see."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def raise_if_locked_out(request: HttpRequest) -> None:
    if getattr(request, "axes_locked_out", False):
        raise LoginLockedOut(LOCKED_OUT_MESSAGE, retry_after=lockout_retry_after(request))


def staff_token_login(*, request: HttpRequest, email: str, password: str, otp: str | None) -> User:
    """The user for a right e-mail + password (+ authenticator code when enrolled).

    BadCredentials for an unknown e-mail or a wrong password (the same error), LoginLockedOut
    while axes locks this login, TotpRequired / TotpWrong for the second factor.
    """
    user = authenticate(request=request, username=email, password=password)
    if user is None:
        raise_if_locked_out(request)
        raise BadCredentials()
    try:
        totp_login_verify(user=user, otp=otp)
    except TotpWrong:
        login_failure_record(request=request, username=email)
        raise_if_locked_out(request)
        raise
    # The signal a session login sends too: last_login, and axes clears this login's failures.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return user
