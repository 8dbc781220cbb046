"""Staff pages of bookings: the filtered list, a booking's page, and its lifecycle actions.

Every action is a POST form that calls the same service as the API (schedule_services,
lifecycle_services, message_services) after the API's own input serializer checked the values
(dashboard_forms.api_checked). A refusal (bad input, a domain error such as `slot_taken`) is
shown inline on the booking's page and changes nothing; a success redirects back with a flash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.bookings.api.serializers_lifecycle import CancelInput, CompleteInput, complete_arguments
from apps.bookings.api.views_engagement import MessageInput
from apps.bookings.api.views_schedule import ScheduleInput
from apps.bookings.dashboard_forms import (
    BookingFilterForm,
    CancelForm,
    CompleteForm,
    MessageForm,
    ScheduleForm,
    StartForm,
)
from apps.bookings.lifecycle_services import booking_cancel, booking_complete, booking_start
from apps.bookings.message_services import booking_message_post
from apps.bookings.models import Booking
from apps.bookings.schedule_services import booking_schedule
from apps.bookings.selectors import booking_get_for_manager
from apps.bookings.staff_selectors import (
    BookingFilters,
    booking_page,
    booking_picker,
    bookings_for_company,
    company_trucks,
)
from apps.companies.dashboard import MANAGER_ROLES, form_error_from, staff_object_or_404, staff_page
from apps.companies.dashboard_forms import api_checked
from apps.core.errors import ApplicationError

PAGE_SIZE = 25


@staff_page(roles=MANAGER_ROLES)
def bookings(request: HttpRequest) -> HttpResponse:
    """The company's bookings: filters and search in the query string, 25 a page."""
    company = request.staff.company  # type: ignore[attr-defined]
    form = BookingFilterForm(request.GET or None, trucks=list(company_trucks(company=company)))
    filters = BookingFilters()
    if form.is_bound:
        form.is_valid()  # an invalid filter is shown on the form and does not narrow
        given = form.cleaned_data
        filters = BookingFilters(
            status=given.get("status") or "",
            date_from=given.get("date_from"),
            date_to=given.get("date_to"),
            truck_id=given.get("truck"),
            query=given.get("q") or "",
        )
    page = Paginator(bookings_for_company(company=company, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {"form": form, "page": page, "kept_query": kept.urlencode()}
    return render(request, "bookings/dashboard/bookings.html", context)


def _booking(request: HttpRequest, booking_id: int) -> Booking:
    return staff_object_or_404(
        Booking.objects.select_related("company", "customer", "quote", "move_request"),
        company=request.staff.company,  # type: ignore[attr-defined]
        pk=booking_id,
    )


def _detail(request: HttpRequest, booking: Booking, **bound: Form) -> HttpResponse:
    """The booking's page; `bound` forms (a refused action's) replace the blank ones."""
    page = booking_page(booking=booking)
    picker = None
    if page.can_schedule:
        schedule_form = bound.get("schedule")
        window = _posted_window(schedule_form)
        picker = booking_picker(booking=booking, start=window[0], end=window[1])
        if isinstance(schedule_form, ScheduleForm):
            schedule_form.use_picker(picker)
        else:
            initial: dict[str, Any] = {"start": picker.start, "end": picker.end}
            if page.truck is not None:
                initial["truck"] = page.truck.pk
                initial["drivers"] = [driver.pk for driver in page.drivers]
            bound["schedule"] = ScheduleForm(picker=picker, initial=initial)
    forms = {
        "start": StartForm(),
        "complete": CompleteForm(),
        "cancel": CancelForm(),
        "message": MessageForm(),
        **bound,
    }
    shown = {
        "schedule": page.can_schedule,
        "start": page.can_start,
        "complete": page.can_complete,
        "cancel": page.can_cancel,
        "message": True,
    }
    # A refused action whose form the booking's state no longer shows (another dispatcher
    # moved it on meanwhile) still says why, at the top of the page.
    refused = [
        str(message)
        for name, form in bound.items()
        if not shown[name]
        for messages_ in form.errors.values()
        for message in messages_
    ]
    context = {
        "page": page,
        "booking": booking,
        "picker": picker,
        "forms": forms,
        "refused": refused,
    }
    return render(request, "bookings/dashboard/booking_detail.html", context)


def _posted_window(form: Form | None) -> tuple[datetime | None, datetime | None]:
    data = getattr(form, "cleaned_data", None) or {}
    return data.get("start"), data.get("end")


@staff_page(roles=MANAGER_ROLES)
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Quote breakdown, timeline, messages and the actions the booking's state allows."""
    return _detail(request, _booking(request, booking_id))


def _done(request: HttpRequest, booking: Booking, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("dashboard:booking-detail", booking_id=booking.pk)


@staff_page(roles=MANAGER_ROLES)
@require_POST
def booking_schedule_action(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Schedule (or reschedule) on a truck and crew; a clash (`slot_taken`) shows inline."""
    booking = _booking(request, booking_id)
    was_scheduled = booking.status == Booking.Status.SCHEDULED
    form = ScheduleForm(request.POST, picker=booking_picker(booking=booking))
    data = form.is_valid() and api_checked(form, ScheduleInput, form.api_data())
    if data:
        try:
            booking_schedule(
                booking=booking,
                actor=request.user,  # type: ignore[arg-type]
                truck_id=data["truck"],
                driver_ids=data["drivers"],
                start=data["start"],
                end=data["end"],
            )
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            verb = "rescheduled" if was_scheduled else "scheduled"
            return _done(request, booking, f"Booking #{booking.pk} {verb}.")
    return _detail(request, booking, schedule=form)


@staff_page(roles=MANAGER_ROLES)
@require_POST
def booking_start_action(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    form = StartForm(request.POST)
    try:
        booking_start(booking=booking, actor=request.user)  # type: ignore[arg-type]
    except ApplicationError as error:
        form.is_valid()
        form_error_from(form, error)
        return _detail(request, booking, start=form)
    return _done(request, booking, f"Booking #{booking.pk} started.")


@staff_page(roles=MANAGER_ROLES)
@require_POST
def booking_complete_action(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Complete with actual hours, extra items and the handover code (or a note)."""
    booking = _booking(request, booking_id)
    form = CompleteForm(request.POST)
    data = form.is_valid() and api_checked(
        form, CompleteInput, form.api_data(), rename=form.field_of
    )
    if data:
        try:
            booking_complete(
                booking=booking,
                actor=request.user,  # type: ignore[arg-type]
                **complete_arguments(data),
            )
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            return _done(request, booking, f"Booking #{booking.pk} completed; invoice issued.")
    return _detail(request, booking, complete=form)


@staff_page(roles=MANAGER_ROLES)
@require_POST
def booking_cancel_action(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    form = CancelForm(request.POST)
    data = form.is_valid() and api_checked(
        form, CancelInput, {"reason": form.cleaned_data["reason"]}
    )
    if data:
        try:
            booking_cancel(
                booking=booking,
                actor=request.user,  # type: ignore[arg-type]
                reason=data["reason"],
            )
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            return _done(request, booking, f"Booking #{booking.pk} cancelled.")
    return _detail(request, booking, cancel=form)


@staff_page(roles=MANAGER_ROLES)
@require_POST
def booking_message_action(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Write to the booking's customer (the API's message thread)."""
    booking = _booking(request, booking_id)
    form = MessageForm(request.POST)
    data = form.is_valid() and api_checked(form, MessageInput, {"body": form.cleaned_data["body"]})
    if data:
        try:
            access = booking_get_for_manager(user=request.user, booking_id=booking.pk)
            booking_message_post(access=access, body=data["body"])
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            return _done(request, booking, "Message sent.")
    return _detail(request, booking, message=form)
