"""The staff Schedule page: a week of truck allocations (moves and trips) per truck and day."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.bookings.week_selectors import week_grid
from apps.companies.dashboard import MANAGER_ROLES, staff_page


class WeekForm(forms.Form):
    week = forms.DateField(
        label="Week of", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@staff_page(roles=MANAGER_ROLES)
def schedule(request: HttpRequest) -> HttpResponse:
    """`?week=YYYY-MM-DD` shows the week holding that day (the company's local days); without
    it, or with a date that is not one (shown on the form), this week."""
    form = WeekForm(request.GET or None)
    day = timezone.localdate()  # staff_page activated the company's time zone
    if form.is_valid() and form.cleaned_data["week"]:
        day = form.cleaned_data["week"]
    week = week_grid(company=request.staff.company, day=day)  # type: ignore[attr-defined]
    return render(request, "bookings/dashboard/schedule.html", {"form": form, "week": week})
