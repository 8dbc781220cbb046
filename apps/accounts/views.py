"""Account pages of the staff dashboards (server-rendered): sign-in/out and passwords by e-mail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.urls import reverse_lazy

from apps.accounts.forms import StaffLoginForm, StaffPasswordResetForm, StaffSetPasswordForm


class StaffLoginView(auth_views.LoginView):
    """GET the form, POST e-mail + password (+ authenticator code) -> LOGIN_REDIRECT_URL."""

    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm


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
