"""Staff pages of shared loads: the company's trips, publishing one, a trip and its moves.

Every action is a POST form calling the same service as the API (apps.cargo.trip_services)
after the API's own input serializer checked the values (`api_checked`). A refusal (bad input,
`slot_taken`, `company_not_verified`, `resource_not_assignable`, `invalid_transition`) is shown
inline and changes nothing; a success redirects with a flash (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.bookings.staff_selectors import company_trucks
from apps.cargo.api.serializers import TripPublishInput, trip_publish_arguments
from apps.cargo.dashboard_forms import TripActionForm, TripFilterForm, TripPublishForm
from apps.cargo.dashboard_selectors import trip_for_page, trip_shipments, trips_for_company
from apps.cargo.models import TRIP_LIFECYCLE, Trip, TripStatus
from apps.cargo.selectors import hubs_active
from apps.cargo.trip_services import trip_arrive, trip_cancel, trip_depart, trip_publish
from apps.companies.dashboard import MANAGER_ROLES, form_error_from, staff_page
from apps.companies.dashboard_forms import api_checked
from apps.core.errors import ApplicationError

PAGE_SIZE = 25


def _publish_form(request: HttpRequest, data: object = None) -> TripPublishForm:
    company = request.staff.company  # type: ignore[attr-defined]
    return TripPublishForm(data, trucks=company_trucks(company=company), hubs=hubs_active())


def _list(request: HttpRequest, publish_form: TripPublishForm | None = None) -> HttpResponse:
    company = request.staff.company  # type: ignore[attr-defined]
    filters = TripFilterForm(request.GET or None)
    status = ""
    if filters.is_bound and filters.is_valid():  # an invalid filter is shown and does not narrow
        status = filters.cleaned_data["status"]
    page = Paginator(trips_for_company(company=company, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "kept_query": kept.urlencode(),
        "form": publish_form or _publish_form(request),
        "published": publish_form is not None,
    }
    return render(request, "cargo/dashboard/trips.html", context)


@staff_page(roles=MANAGER_ROLES)
def trips(request: HttpRequest) -> HttpResponse:
    """The company's trips (upcoming first, then past), their use, and the publish form."""
    return _list(request)


@staff_page(roles=MANAGER_ROLES)
@require_POST
def trip_publish_action(request: HttpRequest) -> HttpResponse:
    """Publish a trip (holding its truck); any refusal is shown on the form, nothing stored."""
    form = _publish_form(request, request.POST)
    data = form.is_valid() and api_checked(form, TripPublishInput, form.api_data())
    if data:
        try:
            trip = trip_publish(
                actor=request.user,  # type: ignore[arg-type]
                **trip_publish_arguments(data),
            )
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request,
                f"Trip #{trip.pk} {trip.origin_hub.code} → {trip.destination_hub.code} published.",
            )
            return redirect("dashboard:trips")
    return _list(request, publish_form=form)


def _trip(request: HttpRequest, trip_id: int) -> Trip:
    trip = trip_for_page(company=request.staff.company, trip_id=trip_id)  # type: ignore[attr-defined]
    if trip is None:
        raise Http404("Not found.")
    return trip


def _detail(
    request: HttpRequest, trip: Trip, refused: TripActionForm | None = None
) -> HttpResponse:
    targets = TRIP_LIFECYCLE.targets(trip.status)
    context = {
        "trip": trip,
        "legs": trip_shipments(trip=trip),
        "can_depart": TripStatus.DEPARTED in targets,
        "can_arrive": TripStatus.ARRIVED in targets,
        "can_cancel": TripStatus.CANCELLED in targets,
        "refused": refused.non_field_errors() if refused is not None else [],
    }
    return render(request, "cargo/dashboard/trip_detail.html", context)


@staff_page(roles=MANAGER_ROLES)
def trip_detail(request: HttpRequest, trip_id: int) -> HttpResponse:
    """A trip: its use, the shipments on it, and the moves its status allows."""
    return _detail(request, _trip(request, trip_id))


def _move(
    request: HttpRequest,
    trip_id: int,
    service: Callable[..., Trip],
    done: str,
) -> HttpResponse:
    trip = _trip(request, trip_id)
    form = TripActionForm(request.POST)
    form.is_valid()
    try:
        service(actor=request.user, trip_id=trip.pk)
    except ApplicationError as error:
        form_error_from(form, error)
        return _detail(request, _trip(request, trip_id), refused=form)
    messages.success(request, f"Trip #{trip.pk} {done}.")
    return redirect("dashboard:trip-detail", trip_id=trip.pk)


@staff_page(roles=MANAGER_ROLES)
@require_POST
def trip_depart_action(request: HttpRequest, trip_id: int) -> HttpResponse:
    """Mark the trip departed; its booked shipments become DEPARTED."""
    return _move(request, trip_id, trip_depart, "marked departed")


@staff_page(roles=MANAGER_ROLES)
@require_POST
def trip_arrive_action(request: HttpRequest, trip_id: int) -> HttpResponse:
    """Mark the trip arrived; shipments whose last leg it is become ARRIVED."""
    return _move(request, trip_id, trip_arrive, "marked arrived")


@staff_page(roles=MANAGER_ROLES)
@require_POST
def trip_cancel_action(request: HttpRequest, trip_id: int) -> HttpResponse:
    """Cancel a scheduled trip without shipments and release its truck."""
    return _move(request, trip_id, trip_cancel, "cancelled")
