"""What every staff dashboard page shares: who is signed in, for which company, in which role.

A page view is wrapped in `staff_page(roles=...)`:

- not signed in -> the sign-in page (`?next=` back);
- signed in with a confirmed authenticator but a session that never passed it -> sign in again;
- no active membership -> 403 page; a role outside `roles` -> 403 page;
- otherwise `request.staff` is a `Staff` (user, membership, company, role) for the company the
  person works in: the one chosen with the company switcher (kept in the session), else their
  first company.

Views look objects up through `staff_object_or_404`, so another company's object is a 404 like
in the API. Domain errors a service raises become form errors with `form_error_from`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.companies.models import Company, Membership
from apps.companies.selectors import MANAGER_ROLES, OWNER_ONLY, STAFF_ROLES
from apps.core.errors import ApplicationError

__all__ = [
    "MANAGER_ROLES",
    "OWNER_ONLY",
    "STAFF_ROLES",
    "Staff",
    "form_error_from",
    "staff_context",
    "staff_object_or_404",
    "staff_page",
]

_M = TypeVar("_M", bound=Model)
View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member in the company they are working in."""

    membership: Membership

    @property
    def user(self) -> Any:
        return self.membership.user

    @property
    def company(self) -> Company:
        return self.membership.company

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_owner(self) -> bool:
        return self.role == Membership.Role.OWNER

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def is_driver(self) -> bool:
        return self.role == Membership.Role.DRIVER


def _memberships(user: Any) -> list[Membership]:
    return list(
        Membership.objects.select_related("company", "user")
        .filter(user=user, is_active=True)
        .order_by("company__name", "company_id")
    )


def _needs_second_factor(request: HttpRequest) -> bool:
    """A user with a confirmed authenticator whose session did not pass it (django-otp)."""
    from django_otp import user_has_device

    user = request.user
    return user_has_device(user, confirmed=True) and not user.is_verified()  # type: ignore[union-attr]


def staff_page(*, roles: Iterable[str] = STAFF_ROLES) -> Callable[[View], View]:
    """Decorate a dashboard view: sign-in, company and role checks; sets `request.staff`."""
    allowed = frozenset(roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated or _needs_second_factor(request):
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            memberships = _memberships(request.user)
            if not memberships:
                return render(request, "dashboard/no_company.html", status=403)
            chosen = request.session.get(settings.DASHBOARD_COMPANY_SESSION_KEY)
            membership = next((m for m in memberships if m.company_id == chosen), memberships[0])
            request.staff = Staff(membership=membership)  # type: ignore[attr-defined]
            request.staff_memberships = memberships  # type: ignore[attr-defined]
            # Times on the pages are the company's local times.
            with timezone.override(membership.company.timezone):
                if membership.role not in allowed:
                    return render(request, "dashboard/forbidden.html", status=403)
                return view(request, *args, **kwargs)

        return wrapper

    return decorate


def staff_object_or_404(queryset: QuerySet[_M], *, company: Company, **lookup: Any) -> _M:
    """One object of `queryset` that belongs to `company` (its `company` field), else 404."""
    obj = queryset.filter(company=company, **lookup).first()
    if obj is None:
        raise Http404("Not found.")
    return obj


def form_error_from(
    form: BaseForm, error: ApplicationError, *, renames: dict[str, str] | None = None
) -> None:
    """Show a service's domain error on the form: per-field details where they name a field
    (`renames` maps a detail's name to the form field that shows it), else its message."""
    placed = False
    for name, messages in (error.details or {}).items():
        field = (renames or {}).get(name, name)
        if field in form.fields and isinstance(messages, list | tuple):
            for message in messages:
                form.add_error(field, str(message))
                placed = True
    if not placed:
        form.add_error(None, error.message)


# --- navigation ------------------------------------------------------------------------------
# (label, url name, roles). An entry whose page is not installed is left out (NoReverseMatch).
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Today", "dashboard:today", frozenset(MANAGER_ROLES)),
    ("My jobs", "dashboard:driver-jobs", frozenset({Membership.Role.DRIVER})),
    ("Bookings", "dashboard:bookings", frozenset(MANAGER_ROLES)),
    ("Schedule", "dashboard:schedule", frozenset(MANAGER_ROLES)),
    ("Live map", "dashboard:live-map", frozenset(MANAGER_ROLES)),
    ("Fleet", "dashboard:fleet", frozenset(MANAGER_ROLES)),
    ("Documents", "dashboard:documents", frozenset(MANAGER_ROLES)),
    ("Pricing", "dashboard:pricing", frozenset(OWNER_ONLY)),
    ("Shared loads", "dashboard:trips", frozenset(MANAGER_ROLES)),
    ("Invoices", "dashboard:invoices", frozenset(MANAGER_ROLES)),
    ("Reviews", "dashboard:reviews", frozenset(MANAGER_ROLES)),
    ("Insights", "dashboard:insights", frozenset(MANAGER_ROLES)),
)


def _nav_for(staff: Staff, current_path: str) -> list[dict[str, Any]]:
    items = []
    for label, name, roles in NAV:
        if staff.role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/dashboard/" and current_path.startswith(url))
        items.append({"label": label, "url": url, "current": current})
    return items


def staff_context(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: `staff`, `staff_memberships` and the role's `dashboard_nav`."""
    staff = getattr(request, "staff", None)
    if staff is None:
        return {}
    return {
        "staff": staff,
        "staff_memberships": getattr(request, "staff_memberships", []),
        "dashboard_nav": _nav_for(staff, request.path),
    }
