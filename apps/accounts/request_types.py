"""Request types for views that only signed-in users reach (annotations for mypy, never built)."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.request import Request

from apps.accounts.models import User


class AuthenticatedRequest(Request):
    """A DRF request past IsAuthenticated (the API's default permission): `user` is a User.

    Only for annotating view methods (`def post(self, request: AuthenticatedRequest)`); DRF
    still passes its own Request. A view that allows anonymous callers keeps `Request`.
    """

    user: User


class AuthenticatedHttpRequest(HttpRequest):
    """A Django request inside the admin (staff only, hence signed in): `user` is a User."""

    user: User
