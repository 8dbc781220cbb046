"""The invitation page of the dashboards: an invited member chooses their password.

It is the page the invitation e-mail links to (COMPANY_INVITATION_URL, `?token=`); it calls the
same `invitation_accept` service as POST /api/v1/invitations/accept/. A bad, used or expired
token is shown on the form and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from apps.companies import member_services
from apps.companies.dashboard import form_error_from
from apps.core.errors import ApplicationError


class InvitationAcceptForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=1000)
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="The same password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return cleaned


@never_cache
@sensitive_post_parameters("password", "password_again")
def invitation_accept(request: HttpRequest) -> HttpResponse:
    """GET `?token=`: the form. POST: set the password, then on to the sign-in page."""
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST)
        if form.is_valid():
            try:
                membership = member_services.invitation_accept(
                    token=form.cleaned_data["token"], password=form.cleaned_data["password"]
                )
            except ApplicationError as error:
                form_error_from(form, error)
            else:
                messages.success(
                    request,
                    f"Welcome to {membership.company.name}: your password is saved. Sign in.",
                )
                login = reverse("accounts:login")
                return redirect(f"{login}?{urlencode({'next': reverse('dashboard:home')})}")
    else:
        form = InvitationAcceptForm(initial={"token": request.GET.get("token", "")})
    token_errors = [str(error) for error in form.errors.get("token", [])]
    return render(
        request,
        "companies/dashboard/invitation_accept.html",
        {"form": form, "token_errors": token_errors, "has_token": bool(form["token"].value())},
    )
