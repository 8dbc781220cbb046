"""Dashboard page of apps.bookings: Insights (figures, server-side SVG charts, CSV export)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.bookings.insights import (
    MAX_PERIOD_DAYS,
    STATUSES,
    Bucket,
    Grouping,
    Insights,
    Period,
    company_insights,
    insights_period_default,
)
from apps.companies.dashboard import MANAGER_ROLES, staff_page


class InsightsForm(forms.Form):
    """The period: from, to (default: the last 8 weeks) and per week or month."""

    start = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))
    group = forms.ChoiceField(
        label="Per", choices=[("week", "Week"), ("month", "Month")], required=False
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = insights_period_default(today=today)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start = cleaned.get("start") or self.default.start
        end = cleaned.get("end") or self.default.end
        if end < start:
            self.add_error("end", "Must not be before the start.")
        elif (end - start).days + 1 > MAX_PERIOD_DAYS:
            self.add_error("end", f"A period is at most {MAX_PERIOD_DAYS} days.")
        else:
            grouping: Grouping = "month" if cleaned.get("group") == "month" else "week"
            cleaned["period"] = Period(start=start, end=end, grouping=grouping)
        return cleaned


def _percent(share: Decimal | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %"


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _rating(value: Decimal | None) -> str:
    return "—" if value is None else f"{value} / 5"


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    x: int
    y: int
    width: int
    height: int

    @property
    def cx(self) -> int:
        return self.x + self.width // 2


_WIDTH, _HEIGHT, _TOP, _BOTTOM = 640, 200, 16, 36


def bar_chart(values: list[tuple[str, Decimal | None, str]], *, scale: Decimal | None) -> dict:
    """The geometry of an SVG bar chart: one bar per (label, value, text); `scale` is the value
    of a full-height bar (the largest value when None)."""
    top = scale or max((v for _, v, _ in values if v is not None), default=Decimal(0))
    slot = _WIDTH // max(len(values), 1)
    plot = _HEIGHT - _TOP - _BOTTOM
    bars = []
    for index, (label, value, text) in enumerate(values):
        height = int(plot * (value or 0) / top) if top else 0
        bars.append(
            Bar(
                label=label,
                text=text,
                x=index * slot + slot // 8,
                y=_TOP + plot - height,
                width=slot - slot // 4,
                height=height,
            )
        )
    return {
        "bars": bars,
        "width": _WIDTH,
        "height": _HEIGHT,
        "baseline": _HEIGHT - _BOTTOM,
        "slot": slot,
    }


def _label(bucket: Bucket, grouping: str) -> str:
    if grouping == "month":
        return f"{bucket.key:%b %Y}"
    return f"{bucket.start:%d %b}"


def _charts(insights: Insights) -> list[dict[str, Any]]:
    grouping = insights.period.grouping
    buckets, total = insights.buckets, insights.total
    per = "month" if grouping == "month" else "week"

    def series(getter: Any, fmt: Any) -> list[tuple[str, Any, str]]:
        return [(_label(b, grouping), getter(b), fmt(getter(b))) for b in buckets]

    return [
        {
            "id": "revenue",
            "title": f"Revenue per {per} ({insights.currency})",
            "summary": f"{_money(total.revenue)} {insights.currency} in the period",
            "chart": bar_chart(series(lambda b: b.revenue, _money), scale=None),
        },
        {
            "id": "status",
            "title": "Bookings made, by status",
            "summary": f"{total.bookings} booking{'s' if total.bookings != 1 else ''} made",
            "chart": bar_chart(
                [
                    (label, Decimal(count), str(count))
                    for value, label in STATUSES
                    for count in [total.by_status.get(value, 0)]
                ],
                scale=None,
            ),
        },
        {
            "id": "utilisation",
            "title": f"Truck utilisation per {per}",
            "summary": f"{_percent(total.utilisation)} of the trucks' working hours booked",
            "chart": bar_chart(series(lambda b: b.utilisation, _percent), scale=Decimal(1)),
        },
        {
            "id": "on-time",
            "title": f"On-time starts per {per}",
            "summary": f"{_percent(total.on_time_rate)} of {total.started} started jobs on time",
            "chart": bar_chart(series(lambda b: b.on_time_rate, _percent), scale=Decimal(1)),
        },
        {
            "id": "rating",
            "title": f"Average rating per {per}",
            "summary": f"{_rating(total.average_rating)} from {total.reviews} review"
            f"{'s' if total.reviews != 1 else ''}",
            "chart": bar_chart(series(lambda b: b.average_rating, _rating), scale=Decimal(5)),
        },
        {
            "id": "cancellation",
            "title": f"Cancellation rate per {per}",
            "summary": f"{_percent(total.cancellation_rate)} of the bookings made were cancelled",
            "chart": bar_chart(series(lambda b: b.cancellation_rate, _percent), scale=Decimal(1)),
        },
    ]


CSV_COLUMNS = [
    "start",
    "end",
    "revenue",
    "currency",
    "bookings",
    *[value for value, _ in STATUSES],
    "cancellation_rate",
    "utilisation",
    "started",
    "on_time",
    "on_time_rate",
    "reviews",
    "average_rating",
]


def _csv_row(bucket: Bucket, currency: str) -> list[str]:
    def plain(value: Decimal | None) -> str:
        return "" if value is None else f"{value}"

    return [
        bucket.start.isoformat(),
        bucket.end.isoformat(),
        _money(bucket.revenue),
        currency,
        str(bucket.bookings),
        *[str(bucket.by_status.get(value, 0)) for value, _ in STATUSES],
        plain(bucket.cancellation_rate),
        plain(bucket.utilisation),
        str(bucket.started),
        str(bucket.on_time),
        plain(bucket.on_time_rate),
        str(bucket.reviews),
        plain(bucket.average_rating),
    ]


def _csv(insights: Insights) -> HttpResponse:
    period = insights.period
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="insights-{period.start}-{period.end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for bucket in insights.buckets:
        writer.writerow(_csv_row(bucket, insights.currency))
    writer.writerow(_csv_row(insights.total, insights.currency))
    return response


@staff_page(roles=MANAGER_ROLES)
@require_GET
def insights(request: HttpRequest) -> HttpResponse:
    """The company's figures over the chosen period (default: the last 8 weeks); ?format=csv."""
    company = request.staff.company  # type: ignore[attr-defined]
    today = timezone.localdate()  # the company's zone (staff_page)
    form = InsightsForm(request.GET or None, today=today)
    if form.is_bound and not form.is_valid():
        return render(request, "bookings/dashboard/insights.html", {"form": form})
    period = form.cleaned_data["period"] if form.is_bound else form.default
    figures = company_insights(company=company, period=period)
    if request.GET.get("format") == "csv":
        return _csv(figures)
    csv_query = request.GET.copy()
    csv_query["format"] = "csv"
    return render(
        request,
        "bookings/dashboard/insights.html",
        {
            "form": form
            if form.is_bound
            else InsightsForm(
                initial={"start": period.start, "end": period.end, "group": period.grouping},
                today=today,
            ),
            "insights": figures,
            "period_days": (period.end - period.start + timedelta(days=1)).days,
            "charts": _charts(figures),
            "csv_query": csv_query.urlencode(),
        },
    )
