"""Account pages of the staff dashboards (server-rendered): sign-in/out and passwords by e-mail."""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from apps.accounts.auth import lockout_response
from apps.accounts.forms import (
    StaffLoginCodeForm,
    StaffLoginForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
)
from apps.accounts.models import User
from apps.accounts.selectors import totp_device_get_confirmed

# The sign-in of a user with an authenticator between its two steps: who passed the password,
# with which backend, when, and where to go next. Never a signed-in session (no SESSION_KEY).
PENDING_SESSION_KEY = "accounts_login_pending"
PENDING_MAX_AGE_SECONDS = 300


class StaffLoginView(auth_views.LoginView):
    """GET the form, POST e-mail + password -> LOGIN_REDIRECT_URL, or, for a user with a
    confirmed authenticator, on to the code page (nobody is signed in before the code)."""

    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if totp_device_get_confirmed(user=user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:login-code")


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or time.time() - pending["at"] > PENDING_MAX_AGE_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


@never_cache
@sensitive_post_parameters("otp")
def login_code(request: HttpRequest) -> HttpResponse:
    """Step two for users with an authenticator: the code, then signed in (OTP-verified)."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING_SESSION_KEY, None)
        messages.info(request, "Sign in again: the sign-in was not finished in time.")
        return redirect("accounts:login")
    user, pending = found
    if AxesProxyHandler.is_locked(request, credentials={"username": user.email}):
        return lockout_response(request)  # even a right code waits out the lockout
    form = StaffLoginCodeForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        del request.session[PENDING_SESSION_KEY]
        auth_login(request, user, backend=pending["backend"])
        return redirect(pending["next"] or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/login_code.html", {"form": form})


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django 5): ends the session -> LOGOUT_REDIRECT_URL."""


class StaffPasswordResetView(auth_views.PasswordResetView):
    """POST an e-mail address: the set-a-password link is mailed if it names an account.

    The answer is the same page whatever the address (no account enumeration).
    """

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class StaffPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class StaffPasswordSetView(auth_views.PasswordResetConfirmView):
    """The link's page: choose a password (a used, expired or forged link says so, changes
    nothing). The user then signs in through the normal form, authenticator included."""

    template_name = "accounts/password_set.html"
    form_class = StaffSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:  # another account took the e-mail address meanwhile
            form.add_error("email", "Another account uses this e-mail address.")
            return self.form_invalid(form)


class StaffPasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"
