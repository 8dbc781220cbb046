"""Forms of the dashboards' account pages: sign-in (with the authenticator code), passwords."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from apps.accounts.auth import LOCKED_OUT_MESSAGE, login_failure_record
from apps.accounts.errors import TotpRequired, TotpWrong
from apps.accounts.models import User
from apps.accounts.selectors import user_is_company_staff
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


class StaffPasswordResetForm(PasswordResetForm):
    """ "Forgot your password?": the e-mail goes to an active account with that address that has
    a password, or that is company staff without one yet (a customer who registered a company
    after signing in with a one-time code). Unknown addresses get the same answer, and no mail.
    """

    def get_users(self, email: str) -> Iterator[Any]:
        candidates = User.objects.filter(email__iexact=User.objects.normalize_email(email))
        for user in candidates.filter(is_active=True):
            if user.has_usable_password() or user_is_company_staff(user=user):
                yield user


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
