"""Reads about users: roles and memberships, who may use login codes, enrolled authenticators."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.identifiers import Destination
from apps.accounts.memberships import MembershipRow, user_memberships
from apps.accounts.models import User

ADMIN_ROLE = "admin"
CUSTOMER_ROLE = "customer"


def user_roles(*, user: User, memberships: list[MembershipRow] | None = None) -> list[str]:
    """Sorted roles: "admin" for platform admins, the membership roles, else ["customer"]."""
    if memberships is None:
        memberships = user_memberships(user=user)
    roles = {str(membership["role"]) for membership in memberships}
    if user.is_staff:
        roles.add(ADMIN_ROLE)
    return sorted(roles) or [CUSTOMER_ROLE]


def user_is_company_staff(*, user: User) -> bool:
    """A platform admin or an active member of some company."""
    return user.is_staff or bool(user_memberships(user=user))


def user_get_by_destination(*, destination: Destination) -> User | None:
    """The account whose phone or e-mail is this destination, if any."""
    if destination.channel == "sms":
        return User.objects.filter(phone=destination.value).first()
    return User.objects.filter(email__iexact=destination.value).first()


def totp_device_get_confirmed(*, user: User) -> TOTPDevice | None:
    """The user's enrolled (confirmed) authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def user_may_use_login_codes(*, user: User) -> bool:
    """Login codes are a single factor: refused to admins, to accounts that enrolled an
    authenticator (a code must not bypass it) and to disabled accounts."""
    if not user.is_active or user.is_staff:
        return False
    return not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
