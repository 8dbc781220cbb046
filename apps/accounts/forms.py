"""The staff login form of the dashboards: e-mail, password, and the authenticator code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from apps.accounts.auth import LOCKED_OUT_MESSAGE, login_failure_record
from apps.accounts.errors import TotpRequired, TotpWrong
from apps.accounts.services import totp_login_verify


class StaffLoginForm(AuthenticationForm):
    """Django's AuthenticationForm (which calls authenticate(request, ...) so axes sees every
    attempt) plus `otp`, required once the account has a confirmed authenticator.

    A wrong code counts as a failed login for axes. On success `user.otp_device` is set, so
    django-otp marks the session as verified when Django logs the user in.
    """

    otp = forms.CharField(
        label="Authenticator code",
        required=False,
        max_length=16,
        help_text="Only if you enrolled an authenticator app.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "E-mail"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        try:
            user.otp_device = totp_login_verify(user=user, otp=cleaned.get("otp") or None)
        except TotpRequired as exc:
            raise ValidationError({"otp": exc.message}) from exc
        except TotpWrong as exc:
            login_failure_record(request=self.request, username=cleaned.get("username") or "")
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(LOCKED_OUT_MESSAGE) from exc
            raise ValidationError({"otp": exc.message}) from exc
        return cleaned
