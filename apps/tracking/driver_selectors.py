"""Who may feed positions: the active driver behind a socket's user."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User
from apps.companies.models import Driver, Membership


def driver_get_active(*, user: User | AnonymousUser) -> Driver | None:
    """The user's Driver row through an active `driver` membership (the lowest id when the user
    drives for several companies), or None: anonymous, inactive, customer, owner, dispatcher."""
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        Driver.objects.filter(
            membership__user=user,
            membership__is_active=True,
            membership__role=Membership.Role.DRIVER,
        )
        .order_by("id")
        .first()
    )
