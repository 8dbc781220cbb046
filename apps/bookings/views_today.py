"""Dashboard start pages: where /dashboard/ leads per role, and the managers' Today page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from apps.bookings.dashboard_selectors import today_overview
from apps.companies.dashboard import MANAGER_ROLES, staff_page


@staff_page()
def home(request: HttpRequest) -> HttpResponse:
    """Managers start on Today; drivers on their own jobs."""
    if request.staff.is_driver:  # type: ignore[attr-defined]
        try:
            return redirect(reverse("dashboard:driver-jobs"))
        except NoReverseMatch:
            return render(request, "dashboard/forbidden.html", status=403)
    return redirect("dashboard:today")


@staff_page(roles=MANAGER_ROLES)
def today(request: HttpRequest) -> HttpResponse:
    """Today's and tomorrow's jobs per truck, trucks on the road, and what needs attention."""
    staff = request.staff  # type: ignore[attr-defined]
    overview = today_overview(company=staff.company, user=staff.user)
    return render(request, "bookings/dashboard/today.html", {"overview": overview})
