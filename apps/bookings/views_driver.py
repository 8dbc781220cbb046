"""The drivers' dashboard page: my jobs today and tomorrow; start one, complete it with the code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.bookings.driver_job_selectors import driver_job_get, driver_jobs
from apps.bookings.lifecycle_services import booking_complete, booking_start
from apps.bookings.models import DriverAllocation
from apps.companies.dashboard import form_error_from, staff_page
from apps.companies.models import Membership
from apps.core.errors import ApplicationError
from apps.core.limits import MAX_NOTES_LENGTH

DRIVER_ONLY = (Membership.Role.DRIVER,)
CODE = re.compile(r"^[0-9]{6}$")


class CompleteForm(forms.Form):
    """The handover step: the customer's 6-digit code, or why there is none (as the API)."""

    handover_code = forms.CharField(
        required=False,
        max_length=6,
        label="Customer's handover code",
        help_text="The 6-digit code the customer shows you.",
    )
    handover_note = forms.CharField(
        required=False,
        max_length=MAX_NOTES_LENGTH,
        label="No code? Say why",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_handover_code(self) -> str:
        code = self.cleaned_data["handover_code"].strip()
        if code and not CODE.match(code):
            raise forms.ValidationError("The customer's 6-digit code.")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, note = data.get("handover_code"), data.get("handover_note", "").strip()
        if code and note:
            self.add_error("handover_note", "Give the code or a note, not both.")
        elif not code and not note and "handover_code" not in self.errors:
            self.add_error("handover_code", "Enter the customer's code, or say why there is none.")
        return data


@dataclass(frozen=True)
class JobRow:
    """One job on the page; its actions are shown where the job first appears."""

    allocation: DriverAllocation
    form: CompleteForm | None


def _page(
    request: HttpRequest, *, failed: tuple[int, CompleteForm] | None = None, status: int = 200
) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    seen: set[int | None] = set()
    days = []
    for day in driver_jobs(user=staff.user, company=staff.company):
        rows = []
        for allocation in day.allocations:
            booking_id = allocation.booking_id
            form = None
            if booking_id not in seen:
                seen.add(booking_id)
                if failed is not None and failed[0] == booking_id:
                    form = failed[1]
                else:
                    form = CompleteForm(auto_id=f"job-{booking_id}-%s")
            rows.append(JobRow(allocation=allocation, form=form))
        days.append((day.day, rows))
    return render(request, "bookings/dashboard/driver_jobs.html", {"days": days}, status=status)


@staff_page(roles=DRIVER_ONLY)
def driver_job_list(request: HttpRequest) -> HttpResponse:
    """The signed-in driver's own jobs for today and tomorrow."""
    return _page(request)


@require_POST
@staff_page(roles=DRIVER_ONLY)
def driver_job_start(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Start one of my jobs (booking_start: the assigned driver, not too early)."""
    staff = request.staff  # type: ignore[attr-defined]
    booking = driver_job_get(user=staff.user, company=staff.company, booking_id=booking_id)
    try:
        booking_start(booking=booking, actor=staff.user)
    except ApplicationError as error:
        messages.error(request, f"Job #{booking.pk} was not started: {error.message}")
    else:
        messages.success(request, f"Job #{booking.pk} started.")
    return redirect("dashboard:driver-jobs")


@require_POST
@staff_page(roles=DRIVER_ONLY)
def driver_job_complete(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Complete one of my jobs with the customer's handover code (or a note why there is none)."""
    staff = request.staff  # type: ignore[attr-defined]
    booking = driver_job_get(user=staff.user, company=staff.company, booking_id=booking_id)
    form = CompleteForm(request.POST, auto_id=f"job-{booking.pk}-%s")
    if form.is_valid():
        try:
            booking_complete(
                booking=booking,
                actor=staff.user,
                handover_code=form.cleaned_data["handover_code"] or None,
                handover_note=form.cleaned_data["handover_note"].strip(),
            )
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, f"Job #{booking.pk} completed. Thank you!")
            return redirect("dashboard:driver-jobs")
    return _page(request, failed=(booking.pk, form), status=400)
