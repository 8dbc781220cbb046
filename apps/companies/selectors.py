"""Permission-scoped reads of companies: every staff query goes through here (tenant isolation).

A user who is not an active member of the company gets NotFound (404, never 403 or the data);
a member whose role is not allowed gets PermissionDenied (403).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User
from apps.companies.models import Company, Membership
from apps.core.errors import NotFound, PermissionDenied

Role = Membership.Role
STAFF_ROLES = frozenset({Role.OWNER, Role.DISPATCHER, Role.DRIVER})
MANAGER_ROLES = frozenset({Role.OWNER, Role.DISPATCHER})
OWNER_ONLY = frozenset({Role.OWNER})


def membership_get(*, user: User | AnonymousUser, company_id: int) -> Membership:
    """The user's active membership of that company, or NotFound."""
    if not user.is_authenticated:
        raise NotFound("Company not found.")
    membership = (
        Membership.objects.select_related("company")
        .filter(user=user, company_id=company_id, is_active=True)
        .first()
    )
    if membership is None:
        raise NotFound("Company not found.")
    return membership


def membership_require_role(
    *, user: User | AnonymousUser, company_id: int, roles: Iterable[str] = STAFF_ROLES
) -> Membership:
    """The user's membership when its role is one of `roles`: 404 for outsiders, 403 for others."""
    membership = membership_get(user=user, company_id=company_id)
    if membership.role not in set(roles):
        raise PermissionDenied("Your role in this company does not allow this.")
    return membership


def company_get_for_staff(
    *, user: User | AnonymousUser, company_id: int, roles: Iterable[str] = STAFF_ROLES
) -> Company:
    """The company, for its staff with one of `roles`."""
    return membership_require_role(user=user, company_id=company_id, roles=roles).company


def user_company_roles(*, user: User) -> dict[int, str]:
    """{company_id: role} of the user's active memberships."""
    return dict(
        Membership.objects.filter(user=user, is_active=True).values_list("company_id", "role")
    )
