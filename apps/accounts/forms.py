"""Forms of the dashboards' account pages: sign-in (with the authenticator code), passwords."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import Any

import structlog
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.cache import caches
from django.core.exceptions import ValidationError

from apps.accounts.auth import LOCKED_OUT_MESSAGE, login_failure_record
from apps.accounts.errors import TotpRequired, TotpWrong
from apps.accounts.models import User
from apps.accounts.selectors import user_is_company_staff
from apps.accounts.services import totp_login_verify
from apps.accounts.throttles import parse_rate, slot_take
from apps.core.throttling import CACHE_DOWN_ERRORS

logger = structlog.get_logger(__name__)


class StaffLoginForm(AuthenticationForm):
    """Step one of the sign-in: Django's AuthenticationForm (which calls
    authenticate(request, ...) so axes sees every attempt), labelled for e-mail addresses.

    A user with a confirmed authenticator is then asked for its code on a second page
    (StaffLoginCodeForm); everyone else is signed in by this step alone.
    """

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "E-mail"


class StaffLoginCodeForm(forms.Form):
    """Step two, for users with an authenticator: the code. A wrong code counts as a failed
    login for axes; on success `user.otp_device` is set, so django-otp marks the session as
    verified when Django logs the user in."""

    otp = forms.CharField(
        label="Authenticator code",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, request: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_otp(self) -> str:
        otp = self.cleaned_data["otp"].strip()
        try:
            self.user.otp_device = totp_login_verify(user=self.user, otp=otp or None)
        except TotpRequired as exc:
            raise ValidationError(exc.message) from exc
        except TotpWrong as exc:
            login_failure_record(request=self.request, username=self.user.email or "")
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(LOCKED_OUT_MESSAGE) from exc
            raise ValidationError(exc.message) from exc
        return otp


class StaffPasswordResetForm(PasswordResetForm):
    """ "Forgot your password?": the e-mail goes to an active account with that address that has
    a password, or that is company staff without one yet (a customer who registered a company
    after signing in with a one-time code). Unknown addresses get the same answer, and no mail.
    """

    def get_users(self, email: str) -> Iterator[Any]:
        address = User.objects.normalize_email(email)
        if not password_reset_mail_allowed(address):
            return  # the same answer page, and no mail
        for user in User.objects.filter(email__iexact=address, is_active=True):
            if user.has_usable_password() or user_is_company_staff(user=user):
                yield user


def password_reset_mail_allowed(address: str) -> bool:
    """At most THROTTLE_PASSWORD_RESET reset mails per address (default 3/hour), whatever the
    number of requests: a stranger cannot flood someone's inbox. Fails closed: while Redis is
    down no reset mail is sent (the page answers the same)."""
    limit, duration = parse_rate(settings.THROTTLE_PASSWORD_RESET)
    digest = hashlib.sha256(address.lower().encode()).hexdigest()[:32]
    try:
        wait = slot_take(
            caches["default"],
            key=f"throttle:password_reset:{digest}",
            limit=limit,
            duration=duration,
            now=time.time(),
        )
    except CACHE_DOWN_ERRORS:
        logger.warning("password_reset_mail_refused_cache_down")
        return False
    return wait is None


class StaffSetPasswordForm(SetPasswordForm):
    """Choose a password from an e-mailed (or texted) link; an account without an e-mail address
    (phone only) gives one here, since staff sign in with e-mail and password."""

    email = forms.EmailField(label="E-mail", required=False, max_length=254)

    def __init__(self, user: Any, *args: Any, **kwargs: Any):
        super().__init__(user, *args, **kwargs)
        if user is None or user.email:  # None: an invalid link, whose page shows no form
            del self.fields["email"]
        else:
            self.fields["email"].required = True
            self.order_fields(["email", "new_password1", "new_password2"])

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise ValidationError("Another account uses this e-mail address.")
        return email

    def save(self, commit: bool = True) -> Any:
        if "email" in self.fields:
            self.user.email = self.cleaned_data["email"]
        user = super().save(commit=False)
        if commit:
            user.save(update_fields=["password", *(["email"] if "email" in self.fields else [])])
        return user
