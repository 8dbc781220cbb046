"""Explicit hooks: what other apps must do, in the same transaction, when a company changes.

A company's verification status depends on its currency, trucks, drivers and memberships,
which companies' services change; but companies may not import verification (dependencies
point down: core <- accounts <- companies <- verification <- ...). So companies offers this
small registry: verification registers its recompute in its AppConfig.ready(), and every
companies service that changes such a row calls `company_changed(...)` explicitly, inside
its transaction, after its write. Not a Django model signal: the call sites are visible in
the services, run exactly once per business operation, and a failing hook rolls the change
back (nobody can sell between the change and the new status).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.db import transaction

from apps.companies.models import Company


class CompanyChangedHook(Protocol):
    def __call__(self, *, company: Company, reason: str) -> None: ...


_hooks: dict[str, CompanyChangedHook] = {}


def company_changed_hook_register(name: str, hook: CompanyChangedHook) -> None:
    """Register `hook` under `name` (registering the same name again replaces it)."""
    _hooks[name] = hook


def company_changed_hooks() -> dict[str, Callable[..., None]]:
    """The registered hooks by name (a copy)."""
    return dict(_hooks)


def company_changed(*, company: Company, reason: str) -> None:
    """Run every registered hook for `company`, in registration order, in this transaction.

    The caller holds the company row lock (apps.companies.locking.company_lock); hooks may
    update `company` in place (e.g. its verification_status).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("company_changed() must run inside the service's transaction.")
    for hook in list(_hooks.values()):
        hook(company=company, reason=reason)
