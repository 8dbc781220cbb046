"""Writes of companies, trucks and service areas (members and drivers: member_services.py).

Every function is one transaction. Uniqueness is checked first for a friendly answer and made
true by the database constraints; a constraint lost to a concurrent request is translated into
the same 409 `already_exists`, never a 500.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.gis.geos import MultiPolygon, Point
from django.db import DataError, IntegrityError, InternalError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import slugify

from apps.accounts.models import User
from apps.accounts.tasks import password_set_link_send_task
from apps.companies.hooks import company_changed
from apps.companies.locking import company_lock
from apps.companies.models import Company, Membership, ServiceArea, Truck
from apps.core.errors import AlreadyExists, Invalid, InvalidTransition
from apps.core.integrity import constraint_name, save_unless_taken
from apps.core.tasks import enqueue_on_commit

ResultT = TypeVar("ResultT")

COMPANY_EDITABLE_FIELDS = frozenset(
    {"name", "legal_name", "email", "phone", "base_location", "currency", "timezone"}
)
TRUCK_EDITABLE_FIELDS = frozenset(
    {"plate", "label", "capacity_m3", "payload_kg", "home_location", "status"}
)
SERVICE_AREA_EDITABLE_FIELDS = frozenset({"name", "area"})
SLUG_ATTEMPTS = 5


def require_editable_fields(data: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(data) - allowed
    if unknown:  # a programming error: views only pass what their serializers allow
        raise ValueError(f"Fields that cannot be changed here: {sorted(unknown)}")


def registration_number_normalise(value: str) -> str:
    """Spaces are formatting in registration numbers: '552 100 554' is '552100554'."""
    return re.sub(r"\s+", "", value).upper()


def plate_normalise(value: str) -> str:
    """Plates are stored upper case with single spaces: 'ab-123 cd' -> 'AB-123 CD'."""
    return " ".join(value.split()).upper()


# --- companies -------------------------------------------------------------------------------


def _slug_candidates(name: str) -> list[str]:
    base = slugify(name)[:120].strip("-") or "company"
    taken = set(
        Company.objects.filter(slug__regex=rf"^{re.escape(base)}(-[0-9]+)?$").values_list(
            "slug", flat=True
        )
    )
    number = 1
    candidates: list[str] = []
    while len(candidates) < SLUG_ATTEMPTS - 1:
        slug = base if number == 1 else f"{base}-{number}"
        if slug not in taken:
            candidates.append(slug)
        number += 1
    # Last resort when concurrent registrations keep taking the numbered slugs.
    candidates.append(f"{base}-{secrets.token_hex(4)}")
    return candidates


@transaction.atomic
def company_register(
    *,
    owner: User,
    name: str,
    legal_name: str,
    registration_number: str,
    email: str,
    phone: str,
    base_location: Point,
    currency: str,
    timezone: str,
) -> Company:
    """Register a company (verification pending) and make `owner` its first owner."""
    registration_number = registration_number_normalise(registration_number)
    taken = AlreadyExists(
        "A company with this registration number is already registered.",
        details={"registration_number": ["A company with this registration number exists."]},
    )
    if Company.objects.filter(registration_number=registration_number).exists():
        raise taken
    company = Company(
        name=name,
        legal_name=legal_name,
        registration_number=registration_number,
        email=email.strip().lower(),
        phone=phone,
        base_location=base_location,
        currency=currency,
        timezone=timezone,
    )
    for slug in _slug_candidates(name):
        company.slug = slug
        try:
            with transaction.atomic():
                company.save(force_insert=True)
            break
        except IntegrityError as exc:
            if constraint_name(exc) == "companies_company_registration_unique":
                raise taken from exc  # a concurrent registration of the same number won
            if constraint_name(exc) != "companies_company_slug_key":
                raise
            company.pk = None  # a concurrent registration took this slug: try the next one
    else:  # pragma: no cover - five slugs lost in a row to concurrent registrations
        raise AlreadyExists("Could not allocate a unique slug; please retry.")
    Membership.objects.create(company=company, user=owner, role=Membership.Role.OWNER)
    if not owner.has_usable_password():
        # Staff sign in to the dashboards with a password; an owner who signed in with a
        # one-time code gets a one-time link to choose one (apps.accounts.passwords).
        enqueue_on_commit(password_set_link_send_task, owner.pk)
    return company


@transaction.atomic
def company_update(*, company: Company, data: dict[str, Any]) -> Company:
    """Change the company's profile. The slug stays stable; verification_status follows (the
    insurance must be in the company's currency) but is never set here directly."""
    require_editable_fields(data, COMPANY_EDITABLE_FIELDS)
    if "email" in data:
        data = {**data, "email": data["email"].strip().lower()}
    if not data:
        return company
    company_lock(company_id=company.pk)
    for field, value in data.items():
        setattr(company, field, value)
    company.save(update_fields=[*data, "updated_at"])
    company_changed(company=company, reason="Company profile changed.")
    return company


# --- trucks ------------------------------------------------------------------------------------


def _plate_taken(plate: str) -> AlreadyExists:
    return AlreadyExists(
        f"This company already has a truck with plate {plate}.",
        details={"plate": [f"This company already has a truck with plate {plate}."]},
    )


def _truck_validate(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if "capacity_m3" in values and not Decimal(values["capacity_m3"]) > 0:
        errors["capacity_m3"] = ["Must be greater than 0."]
    if "payload_kg" in values and not values["payload_kg"] > 0:
        errors["payload_kg"] = ["Must be greater than 0."]
    if errors:
        raise Invalid(details=errors)


def _truck_save(truck: Truck, **save_kwargs: Any) -> Truck:
    """Save; a plate already used in the company (case-insensitive) is a 409."""
    return save_unless_taken(
        truck,
        taken=Truck.objects.filter(company_id=truck.company_id, plate__iexact=truck.plate),
        conflicts={"companies_truck_plate_unique_per_company": _plate_taken(truck.plate)},
        **save_kwargs,
    )


@transaction.atomic
def truck_create(
    *,
    company: Company,
    plate: str,
    capacity_m3: Decimal,
    payload_kg: int,
    label: str = "",
    home_location: Point | None = None,
    status: str = Truck.Status.ACTIVE,
) -> Truck:
    _truck_validate({"capacity_m3": capacity_m3, "payload_kg": payload_kg})
    company_lock(company_id=company.pk)
    truck = Truck(
        company=company,
        plate=plate_normalise(plate),
        label=label,
        capacity_m3=capacity_m3,
        payload_kg=payload_kg,
        home_location=home_location,
        status=status,
    )
    _truck_save(truck, force_insert=True)
    company_changed(company=company, reason=f"Truck {truck.plate} added.")
    return truck


@transaction.atomic
def truck_update(*, truck: Truck, data: dict[str, Any]) -> Truck:
    require_editable_fields(data, TRUCK_EDITABLE_FIELDS)
    _truck_validate(data)
    if "plate" in data:
        data = {**data, "plate": plate_normalise(data["plate"])}
    for field, value in data.items():
        setattr(truck, field, value)
    if not data:
        return truck
    company = company_lock(company_id=truck.company_id)
    _truck_save(truck, update_fields=[*data, "updated_at"])
    company_changed(company=company, reason=f"Truck {truck.plate} changed.")
    return truck


def delete_unless_referenced(instance: Truck | ServiceArea | Any, *, refusal: str) -> None:
    """Delete, or 409 invalid_transition when other rows (bookings, trips) still point at it."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise InvalidTransition(refusal) from exc


@transaction.atomic
def truck_delete(*, truck: Truck) -> None:
    company = company_lock(company_id=truck.company_id)
    plate = truck.plate
    delete_unless_referenced(
        truck, refusal="This truck has documents or bookings; set its status to retired instead."
    )
    company_changed(company=company, reason=f"Truck {plate} deleted.")


# --- service areas ---------------------------------------------------------------------------


def _area_saved(save: Callable[[], ResultT]) -> ResultT:
    """Run `save`; a geometry PostGIS's geography type still refuses is a 400, not a 500.

    geometry.py checks what we know of (closure, validity, width, antipodal edges); this is the
    net under it, in a savepoint so the surrounding transaction stays usable.
    """
    try:
        with transaction.atomic():
            return save()
    except (InternalError, DataError) as exc:
        raise Invalid(
            details={"geometry": ["PostGIS cannot store this geometry on the sphere."]}
        ) from exc


@transaction.atomic
def service_area_create(*, company: Company, name: str, area: MultiPolygon) -> ServiceArea:
    return _area_saved(lambda: ServiceArea.objects.create(company=company, name=name, area=area))


@transaction.atomic
def service_area_update(*, service_area: ServiceArea, data: dict[str, Any]) -> ServiceArea:
    require_editable_fields(data, SERVICE_AREA_EDITABLE_FIELDS)
    for field, value in data.items():
        setattr(service_area, field, value)
    if data:
        _area_saved(lambda: service_area.save(update_fields=[*data, "updated_at"]))
    return service_area


@transaction.atomic
def service_area_delete(*, service_area: ServiceArea) -> None:
    delete_unless_referenced(service_area, refusal="This service area is still in use.")
