"""Tenant scoping: outsiders get 404, members with the wrong role get 403."""

from __future__ import annotations

import pytest

from apps.companies.selectors import MANAGER_ROLES, company_get_for_staff
from apps.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def test_member_of_another_company_gets_not_found(alice, bob):
    with pytest.raises(NotFound):
        company_get_for_staff(user=bob.owner, company_id=alice.company.id)


def test_driver_is_refused_a_manager_action_with_permission_denied(alice):
    with pytest.raises(PermissionDenied):
        company_get_for_staff(
            user=alice.driver_user, company_id=alice.company.id, roles=MANAGER_ROLES
        )


def test_dispatcher_gets_their_company_for_a_manager_action(alice):
    company = company_get_for_staff(
        user=alice.dispatcher, company_id=alice.company.id, roles=MANAGER_ROLES
    )
    assert company == alice.company
