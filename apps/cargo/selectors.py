"""Permission-scoped reads of cargo: hubs, trips for their staff or the public, shipments.

Tenant rule (invariant 4): a trip is its company's; its staff see everything of it. Anyone may
read a trip of a verified company (route search shows them); an unverified or suspended
company's trips do not exist for anyone but its staff (404). A shipment is seen by its customer
and by the staff of every company carrying one of its legs; everyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.accounts.models import User
from apps.cargo.models import Hub, Shipment, ShipmentLeg, Trip
from apps.companies.models import Company, Membership
from apps.companies.selectors import MANAGER_ROLES, STAFF_ROLES, membership_require_role
from apps.core.errors import NotFound


def hubs_active() -> QuerySet[Hub]:
    """The hubs trips may leave from and arrive at, by code."""
    return Hub.objects.filter(is_active=True).order_by("code")


def staff_company_ids(*, user: User | AnonymousUser, roles: frozenset[str] = STAFF_ROLES) -> set:
    """Ids of the companies where the user is an active member with one of `roles`."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, is_active=True, role__in=roles).values_list(
            "company_id", flat=True
        )
    )


def _trips() -> QuerySet[Trip]:
    return Trip.objects.select_related("origin_hub", "destination_hub", "company", "truck")


def trip_get_for_staff(
    *,
    user: User | AnonymousUser,
    trip_id: int,
    roles: frozenset[str] = MANAGER_ROLES,
    for_update: bool = False,
) -> Trip:
    """The trip for its company's staff with one of `roles`: NotFound (404) for everyone who is
    not an active member of that company, PermissionDenied (403) for a member of another role.
    `for_update` locks the trip row (the caller's transaction)."""
    trip = Trip.objects.filter(pk=trip_id).only("company_id").first()
    if trip is None:
        raise NotFound("Trip not found.")
    membership_require_role(user=user, company_id=trip.company_id, roles=roles)
    trips = _trips()
    if for_update:
        trips = trips.select_for_update(of=("self",))
    return trips.get(pk=trip_id)


@dataclass(frozen=True)
class TripView:
    trip: Trip
    is_staff: bool  # the viewer is staff of the trip's company (sees the truck)


def trip_get_visible(*, user: User | AnonymousUser, trip_id: int) -> TripView:
    """A trip for its company's staff, or a verified company's trip for anyone."""
    trip = _trips().filter(pk=trip_id).first()
    if trip is None:
        raise NotFound("Trip not found.")
    if trip.company_id in staff_company_ids(user=user):
        return TripView(trip=trip, is_staff=True)
    if trip.company.verification_status == Company.VerificationStatus.VERIFIED:
        return TripView(trip=trip, is_staff=False)
    raise NotFound("Trip not found.")


def trips_for_staff(*, user: User | AnonymousUser) -> QuerySet[Trip]:
    """The trips of every company the user is active staff of, soonest departure first."""
    return _trips().filter(company_id__in=staff_company_ids(user=user)).order_by("departs_at", "id")


def _shipments() -> QuerySet[Shipment]:
    return Shipment.objects.select_related("customer")


def _visible_to(user: User | AnonymousUser) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    carried = ShipmentLeg.objects.filter(
        shipment_id=OuterRef("pk"), company_id__in=staff_company_ids(user=user)
    )
    return Q(customer=user) | Q(Exists(carried))


def shipment_get_for_user(
    *, user: User | AnonymousUser, reference: str, for_update: bool = False
) -> Shipment:
    """The shipment for its customer or the staff of a company carrying one of its legs; else
    NotFound. References are case-insensitive (stored upper case)."""
    shipments = _shipments().filter(_visible_to(user), reference=reference.strip().upper())
    if for_update:
        shipments = shipments.select_for_update(of=("self",))
    shipment = shipments.first()
    if shipment is None:
        raise NotFound("Shipment not found.")
    return shipment


def shipments_for_customer(*, user: User | AnonymousUser) -> QuerySet[Shipment]:
    """The user's own shipments, newest first."""
    if not user.is_authenticated:
        return Shipment.objects.none()
    return _shipments().filter(customer=user).order_by("-created_at", "-id")


def shipment_legs(*, shipment: Shipment) -> list[ShipmentLeg]:
    """The shipment's legs in order, with their trips and hubs."""
    return list(
        ShipmentLeg.objects.filter(shipment=shipment)
        .select_related("trip__origin_hub", "trip__destination_hub")
        .order_by("order")
    )


def trip_shipment_legs(*, trip: Trip) -> QuerySet[ShipmentLeg]:
    """The legs of every shipment on the trip (cancelled ones too), oldest booking first."""
    return (
        ShipmentLeg.objects.filter(trip=trip)
        .select_related("shipment")
        .order_by("shipment__created_at", "shipment_id")
    )
