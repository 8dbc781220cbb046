"""Fleet page of the dashboards: trucks and drivers with their documents; add, edit, retire.

Owners and dispatchers, as in the API. Values are parsed by the API's input serializers and
written by the same companies services; retiring a truck is setting its status (a truck with
documents or bookings is never deleted), retiring a driver is deactivating their membership,
which the API lets owners only do.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.companies import member_services, services
from apps.companies.api.serializers import DriverCreateInput, DriverUpdateInput, TruckInput
from apps.companies.dashboard import (
    MANAGER_ROLES,
    OWNER_ONLY,
    form_error_from,
    staff_object_or_404,
    staff_page,
)
from apps.companies.dashboard_forms import DriverAddForm, DriverEditForm, TruckForm, form_parse
from apps.companies.models import Driver, Truck
from apps.core.errors import ApplicationError
from apps.verification.dashboard_selectors import fleet_drivers, fleet_trucks


@staff_page(roles=MANAGER_ROLES)
def fleet(request: HttpRequest) -> HttpResponse:
    """Trucks and drivers, each with whether it may take jobs and its documents."""
    company = request.staff.company  # type: ignore[attr-defined]
    return render(
        request,
        "verification/dashboard/fleet.html",
        {"trucks": fleet_trucks(company=company), "drivers": fleet_drivers(company=company)},
    )


@staff_page(roles=MANAGER_ROLES)
def truck_create(request: HttpRequest) -> HttpResponse:
    company = request.staff.company  # type: ignore[attr-defined]
    form = TruckForm(request.POST or None, initial={"status": Truck.Status.ACTIVE})
    if request.method == "POST" and (data := form_parse(form, TruckInput)) is not None:
        try:
            truck = services.truck_create(company=company, **data)
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, f"Truck {truck.plate} added.")
            return redirect("dashboard:fleet")
    return render(request, "verification/dashboard/truck_form.html", {"form": form, "truck": None})


@staff_page(roles=MANAGER_ROLES)
def truck_edit(request: HttpRequest, truck_id: int) -> HttpResponse:
    company = request.staff.company  # type: ignore[attr-defined]
    truck = staff_object_or_404(Truck.objects.all(), company=company, id=truck_id)
    form = TruckForm(request.POST or None, initial=TruckForm.initial_of(truck))
    if request.method == "POST" and (data := form_parse(form, TruckInput)) is not None:
        try:
            services.truck_update(truck=truck, data=data)
        except ApplicationError as error:
            truck.refresh_from_db()
            form_error_from(form, error)
        else:
            messages.success(request, f"Truck {truck.plate} saved.")
            return redirect("dashboard:fleet")
    return render(request, "verification/dashboard/truck_form.html", {"form": form, "truck": truck})


@require_POST
@staff_page(roles=MANAGER_ROLES)
def truck_retire(request: HttpRequest, truck_id: int) -> HttpResponse:
    """Set the truck's status to retired: it takes no new jobs; its history stays."""
    company = request.staff.company  # type: ignore[attr-defined]
    truck = staff_object_or_404(Truck.objects.all(), company=company, id=truck_id)
    services.truck_update(truck=truck, data={"status": Truck.Status.RETIRED})
    messages.success(request, f"Truck {truck.plate} retired.")
    return redirect("dashboard:fleet")


@staff_page(roles=MANAGER_ROLES)
def driver_add(request: HttpRequest) -> HttpResponse:
    """Give a person a driver profile; someone new is invited by e-mail (members service)."""
    company = request.staff.company  # type: ignore[attr-defined]
    form = DriverAddForm(request.POST or None)
    if request.method == "POST" and (data := form_parse(form, DriverCreateInput)) is not None:
        try:
            driver = member_services.driver_add(company=company, **data)
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, f"Driver {driver.membership.user} added.")
            return redirect("dashboard:fleet")
    return render(
        request, "verification/dashboard/driver_form.html", {"form": form, "driver": None}
    )


def _driver_of(request: HttpRequest, driver_id: int) -> Driver:
    company = request.staff.company  # type: ignore[attr-defined]
    return staff_object_or_404(
        Driver.objects.select_related("membership__user"), company=company, id=driver_id
    )


@staff_page(roles=MANAGER_ROLES)
def driver_edit(request: HttpRequest, driver_id: int) -> HttpResponse:
    driver = _driver_of(request, driver_id)
    form = DriverEditForm(
        request.POST or None,
        initial={"licence_number": driver.licence_number, "phone": driver.phone},
    )
    if request.method == "POST" and (data := form_parse(form, DriverUpdateInput)) is not None:
        try:
            member_services.driver_update(driver=driver, data=data)
        except ApplicationError as error:
            driver.refresh_from_db()
            form_error_from(form, error)
        else:
            messages.success(request, f"Driver {driver.membership.user} saved.")
            return redirect("dashboard:fleet")
    return render(
        request, "verification/dashboard/driver_form.html", {"form": form, "driver": driver}
    )


@require_POST
@staff_page(roles=OWNER_ONLY)
def driver_retire(request: HttpRequest, driver_id: int) -> HttpResponse:
    """Deactivate the driver's membership (owners, as DELETE members/<id>/): no more sign-in
    to this company, no new jobs; the profile, documents and history stay."""
    driver = _driver_of(request, driver_id)
    try:
        member_services.membership_deactivate(membership=driver.membership)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Driver {driver.membership.user} retired.")
    return redirect("dashboard:fleet")
