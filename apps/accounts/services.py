"""Account writes: login codes, JWTs, profile, authenticator (TOTP) enrolment.

A verification that fails must still record the failure (a code's or authenticator's wrong-try
counter), so those services commit their transaction first and raise afterwards.
"""

from __future__ import annotations

import smtplib

import structlog
from django.conf import settings
from django.contrib.auth.models import update_last_login
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from apps.accounts.errors import (
    CodeDeliveryFailed,
    TotpAlreadyEnrolled,
    TotpRequired,
    TotpWrong,
)
from apps.accounts.identifiers import Destination
from apps.accounts.models import LoginCodeDevice, User
from apps.accounts.selectors import (
    totp_device_get_confirmed,
    user_get_by_destination,
    user_is_company_staff,
    user_may_use_login_codes,
)
from apps.core.errors import Invalid, PermissionDenied
from apps.core.messaging import SmsDeliveryFailed, sms_send

logger = structlog.get_logger(__name__)

CODE_WRONG = "This code is wrong or has expired."
CODE_DEAD = "Too many wrong tries: request a new code."
TOTP_DEVICE_NAME = "Authenticator app"


# --- customers: one-time login codes ----------------------------------------------------------


def login_code_request(*, destination: Destination) -> None:
    """Send a fresh code to `destination` (the previous one dies). Silent for accounts that sign
    in with a password and authenticator instead: the caller answers the same either way."""
    user = user_get_by_destination(destination=destination)
    if user is not None and not user_may_use_login_codes(user=user):
        logger.info("accounts.login_code.refused_account", channel=destination.channel)
        return
    with transaction.atomic():
        # get_or_create on a locked queryset: a concurrent first request for the same destination
        # loses the unique-constraint race inside a savepoint and then waits for our row.
        device, _ = LoginCodeDevice.objects.select_for_update().get_or_create(
            destination=destination.value,
            defaults={"channel": destination.channel, "name": destination.channel},
        )
        code = device.generate_token()
    # Delivered after commit: the code that arrives is the one stored.
    _login_code_deliver(destination=destination, code=code)
    logger.info("accounts.login_code.sent", channel=destination.channel)


def _login_code_deliver(*, destination: Destination, code: str) -> None:
    minutes = max(1, settings.OTP_CODE_TTL_SECONDS // 60)
    body = f"Your MoveHub code is {code}. It expires in {minutes} minutes. Never share it."
    try:
        if destination.channel == LoginCodeDevice.Channel.SMS:
            sms_send(to=destination.value, body=body)
        else:
            send_mail("Your MoveHub login code", body, None, [destination.value])
    except (SmsDeliveryFailed, smtplib.SMTPException, OSError) as exc:
        logger.warning(
            "accounts.login_code.delivery_failed",
            channel=destination.channel,
            error=type(exc).__name__,
        )
        raise CodeDeliveryFailed() from exc


def login_code_verify(*, destination: Destination, code: str) -> User:
    """The customer for a right code (created on first login); the code is then spent.

    Invalid (details on "code") for a wrong, expired, spent or dead code; PermissionDenied when
    the account must sign in with its password (see user_may_use_login_codes).
    """
    failure: str | None = None
    refused = False
    user: User | None = None
    with transaction.atomic():
        device = (
            LoginCodeDevice.objects.select_for_update()
            .filter(destination=destination.value)
            .first()
        )
        if device is None:
            failure = CODE_WRONG
        elif not device.verify_is_allowed()[0]:
            failure = CODE_DEAD
        elif not device.verify_token(code):  # records the wrong try
            failure = CODE_WRONG if device.verify_is_allowed()[0] else CODE_DEAD
        else:
            user = user_get_by_destination(destination=destination)
            if user is None:
                user = _customer_create(destination=destination)
            if user_may_use_login_codes(user=user):
                device.user = user
                device.save(update_fields=["user"])
                update_last_login(type(user), user)
            else:
                refused = True
    if failure is not None:
        raise Invalid("The code is not valid.", details={"code": [failure]})
    if refused:
        raise PermissionDenied("This account signs in with its password and authenticator.")
    assert user is not None
    return user


def _customer_create(*, destination: Destination) -> User:
    try:
        with transaction.atomic():
            return User.objects.create_user(**{destination.user_field: destination.value})
    except IntegrityError:
        # Created meanwhile by someone else (admin, another request): use that account.
        user = user_get_by_destination(destination=destination)
        if user is None:
            raise
        return user


# --- JWTs -------------------------------------------------------------------------------------


def tokens_issue(*, user: User) -> dict[str, str]:
    """A new refresh token (recorded as outstanding, so it can be blacklisted) and its access."""
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def refresh_token_revoke(*, token: str) -> None:
    """Blacklist a refresh token (logout). Invalid when it is not a live refresh token."""
    try:
        RefreshToken(token).blacklist()  # type: ignore[arg-type]  # simplejwt annotates Token; takes the str
    except TokenError as exc:
        raise Invalid(
            "The refresh token is not valid.",
            details={"refresh": ["This refresh token is invalid, expired or already revoked."]},
        ) from exc


# --- profile ----------------------------------------------------------------------------------


@transaction.atomic
def user_profile_update(*, user: User, name: str) -> User:
    user.name = name
    user.save(update_fields=["name"])
    return user


# --- staff authenticators (TOTP) --------------------------------------------------------------


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """A new unconfirmed authenticator for a staff user (replacing any unconfirmed one).

    Refused once one is confirmed: replacing it must not be possible with a stolen access token
    alone (an admin removes the old device, or `enrol_admin_totp` for platform admins).
    """
    User.objects.select_for_update().filter(pk=user.pk).first()  # one enrolment at a time
    if not user_is_company_staff(user=user) or not user.has_usable_password():
        raise PermissionDenied(
            "Only staff accounts that sign in with a password use authenticators."
        )
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TotpAlreadyEnrolled()
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_enrolment_confirm(*, user: User, otp: str) -> TOTPDevice:
    """Confirm the pending authenticator with a code from it; from then on logins need codes."""
    verified = False
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-id")
            .first()
        )
        if device is not None and device.verify_token(otp):  # records a wrong try
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            verified = True
    if device is None:
        raise Invalid(
            "Nothing to confirm.",
            details={"non_field_errors": ["Start with POST /api/v1/me/totp/."]},
        )
    if not verified:
        raise TotpWrong()
    return device


def totp_login_verify(*, user: User, otp: str | None) -> TOTPDevice | None:
    """Second factor of a password login: None when the user has no authenticator, the device
    when `otp` is right; TotpRequired / TotpWrong otherwise (a wrong try is recorded first)."""
    device = totp_device_get_confirmed(user=user)
    if device is None:
        return None
    if not otp:
        raise TotpRequired()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        verified = allowed and device.verify_token(otp)
    if not verified:
        raise TotpWrong(None if allowed else "Too many wrong codes: wait a little and try again.")
    return device


@transaction.atomic
def admin_totp_enrol(*, user: User) -> TOTPDevice:
    """Create (or replace) a confirmed authenticator for a platform admin (management command)."""
    if not user.is_staff:
        raise PermissionDenied(f"{user} is not a platform admin (is_staff).")
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
