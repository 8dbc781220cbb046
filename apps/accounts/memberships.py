"""Company memberships as accounts sees them, supplied by the layer above that owns them.

Accounts sits below companies and must not import it, yet a user's roles and the `/me/` answer
name their company memberships. Companies registers its selector here when Django starts
(`CompaniesConfig.ready`); without it every user simply has no memberships.
"""

from __future__ import annotations

from typing import Protocol

from apps.accounts.models import User

MembershipRow = dict[str, int | str]  # {"company": id, "role": role}


class MembershipsOfUser(Protocol):
    def __call__(self, *, user: User) -> list[MembershipRow]: ...


_memberships_of_user: MembershipsOfUser | None = None


def memberships_provider_register(provider: MembershipsOfUser) -> None:
    """Install the function that lists a user's active memberships (called once, at startup)."""
    global _memberships_of_user
    _memberships_of_user = provider


def user_memberships(*, user: User) -> list[MembershipRow]:
    """[{"company": id, "role": role}] of the user's active memberships, by company id."""
    if _memberships_of_user is None:
        return []
    return _memberships_of_user(user=user)
