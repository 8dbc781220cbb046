"""The one lock order for writes that touch a company's rows: the company row first.

Every service that changes something a company-wide rule depends on (its verification status,
its pricing versions, its last owner, its documents) starts with `company_lock`, and only then
locks the rows it changes (memberships, documents, trucks), several rows in primary-key order.
Writers of one company are thereby serialised on one row, see each other's committed changes,
and can never deadlock on each other: nobody holds a child row while waiting for the company.
"""

from __future__ import annotations

from apps.companies.models import Company


def company_lock(*, company_id: int) -> Company:
    """SELECT ... FOR UPDATE the company row (inside the caller's transaction) and return it."""
    return Company.objects.select_for_update().get(pk=company_id)
