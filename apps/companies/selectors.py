"""Permission-scoped reads of companies: every staff query goes through here (tenant isolation).

A user who is not an active member of the company gets NotFound (404, never 403 or the data);
a member whose role is not allowed gets PermissionDenied (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db import models as gis_models
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db.models import (
    DecimalField,
    Exists,
    F,
    FloatField,
    Func,
    Model,
    OrderBy,
    OuterRef,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, NullIf, Round

from apps.accounts.models import User
from apps.companies.models import Company, Driver, Membership, ServiceArea, Truck
from apps.core.errors import NotFound, PermissionDenied
from apps.core.geo import WGS84

_M = TypeVar("_M", bound=Model)

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


def user_memberships(*, user: User) -> list[dict[str, int | str]]:
    """[{"company": id, "role": role}] of the user's active memberships, by company id.

    Registered with apps.accounts.memberships at startup: accounts shows them in `/me/` and
    derives roles from them without importing companies.
    """
    rows = (
        Membership.objects.filter(user=user, is_active=True)
        .order_by("company_id")
        .values_list("company_id", "role")
    )
    return [{"company": company_id, "role": role} for company_id, role in rows]


# The sphere and the WGS84 spheroid disagree on distances by at most ~0.5 %.
SPHERE_SLACK = 0.006


class SphereDistance(Func):
    """Metres between two geographies on the sphere: ST_Distance(a, b, use_spheroid => false).

    Django's Distance always uses the spheroid on geography; the sphere is ~7x cheaper per row
    (measured on the benchmark data) and every matching company's distance is computed to sort
    them, while the result differs by at most ~0.5 %.
    """

    function = "ST_Distance"
    output_field = FloatField()

    def __init__(self, expression: str, point: Point):
        geography = gis_models.PointField(geography=True, srid=point.srid or WGS84)
        super().__init__(expression, Value(point, output_field=geography), Value(False))


def company_get_visible(*, user: User | AnonymousUser, company_id: int) -> Company:
    """A verified company for anyone; an unverified or suspended one only for its active staff."""
    company = Company.objects.filter(id=company_id).first()
    if company is None:
        raise NotFound("Company not found.")
    if company.is_verified:
        return company
    if (
        user.is_authenticated
        and Membership.objects.filter(user=user, company=company, is_active=True).exists()
    ):
        return company
    raise NotFound("Company not found.")


RATING_STEP = Decimal("0.01")


def company_rating(*, review_count: int, rating_sum: int) -> float | None:
    """rating_sum / review_count rounded half up to 2 decimals (4.675 -> 4.68); None if unrated."""
    if not review_count:
        return None
    mean = Decimal(rating_sum) / Decimal(review_count)
    return float(mean.quantize(RATING_STEP, rounding=ROUND_HALF_UP))


def company_rating_expression() -> Round:
    """The company's mean rating rounded to 2 decimals, as shown (NULL for an unrated company).

    ROUND on numeric rounds halves away from zero, as company_rating's ROUND_HALF_UP does.
    """
    return Round(
        Cast("rating_sum", DecimalField(max_digits=12, decimal_places=2))
        / NullIf("review_count", Value(0)),
        2,
        output_field=DecimalField(max_digits=5, decimal_places=2),
    )


SEARCH_ORDERINGS = ("distance", "rating")


def company_search(
    *,
    serves: Point | None = None,
    near: Point | None = None,
    radius_km: float | None = None,
    ordering: str = "distance",
) -> QuerySet[Company]:
    """Verified companies, optionally serving a point and/or near one, nearest first.

    `serves`: one of the company's service areas covers the point (ST_Covers on geography, an
    EXISTS subquery so a company with several covering areas appears once; the GiST index on
    servicearea.area answers it). `near` + `radius_km`: ST_DWithin on geography from the base
    location (GiST index on company.base_location). Each row carries `distance_m` (metres on the
    sphere, from `near`, else from `serves`, to the base location; None without either).

    `ordering`: "distance" (nearest first; by name without a point) or "rating" (the shown
    rating, highest first, unrated companies last; then nearest first, or by name); the view
    validates it against SEARCH_ORDERINGS.
    """
    companies = Company.objects.filter(verification_status=Company.VerificationStatus.VERIFIED)
    if serves is not None:
        covering = ServiceArea.objects.filter(company_id=OuterRef("pk"), area__covers=serves)
        companies = companies.filter(Exists(covering))
    first: list[OrderBy] = []
    if ordering == "rating":
        companies = companies.annotate(rating_rounded=company_rating_expression())
        first = [F("rating_rounded").desc(nulls_last=True)]
    origin = near if near is not None else serves
    if origin is None:
        return companies.annotate(distance_m=Value(None, output_field=FloatField())).order_by(
            *first, "name", "id"
        )
    companies = companies.annotate(distance_m=SphereDistance("base_location", origin))
    if near is not None and radius_km is not None:
        # ST_DWithin (spheroid, GiST-indexed) with a little slack narrows the candidates; the
        # exact cut is on the same sphere distance that is shown and sorted on.
        companies = companies.filter(
            base_location__dwithin=(near, D(km=radius_km * (1 + SPHERE_SLACK))),
            distance_m__lte=radius_km * 1000,
        )
    return companies.order_by(*first, "distance_m", "id")


def _get_in_company(queryset: QuerySet[_M], *, company: Company, object_id: int, label: str) -> _M:
    """One object of `company`; another company's (or no) object is NotFound, never 403."""
    found = queryset.filter(company=company, id=object_id).first()
    if found is None:
        raise NotFound(f"{label} not found.")
    return found


def membership_list(*, company: Company) -> QuerySet[Membership]:
    return Membership.objects.filter(company=company).select_related("user").order_by("id")


def membership_get_in_company(*, company: Company, membership_id: int) -> Membership:
    return _get_in_company(
        Membership.objects.select_related("user"),
        company=company,
        object_id=membership_id,
        label="Member",
    )


def truck_list(*, company: Company) -> QuerySet[Truck]:
    return Truck.objects.filter(company=company).order_by("plate", "id")


def truck_get_in_company(*, company: Company, truck_id: int) -> Truck:
    return _get_in_company(Truck.objects.all(), company=company, object_id=truck_id, label="Truck")


def driver_list(*, company: Company) -> QuerySet[Driver]:
    return Driver.objects.filter(company=company).select_related("membership__user").order_by("id")


def driver_get_for_staff(*, membership: Membership, driver_id: int) -> Driver:
    """A driver of the member's company; a driver-role member may only read their own (403)."""
    driver = _get_in_company(
        Driver.objects.select_related("membership__user"),
        company=membership.company,
        object_id=driver_id,
        label="Driver",
    )
    if membership.role == Role.DRIVER and driver.membership_id != membership.id:
        raise PermissionDenied("A driver may only see their own driver profile.")
    return driver


def driver_get_own(*, membership: Membership) -> Driver:
    """The member's own driver profile in that company, or NotFound."""
    driver = Driver.objects.select_related("membership__user").filter(membership=membership).first()
    if driver is None:
        raise NotFound("You have no driver profile in this company.")
    return driver


def service_area_list(*, company: Company) -> QuerySet[ServiceArea]:
    return ServiceArea.objects.filter(company=company).order_by("name", "id")


def service_area_get_in_company(*, company: Company, service_area_id: int) -> ServiceArea:
    return _get_in_company(
        ServiceArea.objects.all(),
        company=company,
        object_id=service_area_id,
        label="Service area",
    )
