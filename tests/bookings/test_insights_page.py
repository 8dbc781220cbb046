"""The Insights page: who opens it, the period form, the charts and the CSV export."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.bookings.insights_support import seed_week

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/insights/"
WEEK = {"start": "2026-11-02", "end": "2026-11-08", "group": "week"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_driver_is_refused_insights(alice):
    response = client_for(alice.driver_user).get(PAGE)

    assert response.status_code == 403
    assert b"does not open this page" in response.content


def test_the_default_page_shows_eight_weeks_with_a_chart_per_measure(alice):
    response = client_for(alice.dispatcher).get(PAGE)

    assert response.status_code == 200
    assert len(response.context["insights"].buckets) == 8
    assert [chart["id"] for chart in response.context["charts"]] == [
        "revenue",
        "status",
        "utilisation",
        "on-time",
        "rating",
        "cancellation",
    ]
    assert response.content.count(b'<svg class="bar-chart"') == 6
    assert response.content.count(b"<title id=") == 6


def test_the_seeded_week_shows_its_figures(alice, bob):
    seed_week(alice, bob)

    response = client_for(alice.owner).get(PAGE, WEEK)

    summaries = [chart["summary"] for chart in response.context["charts"]]
    assert summaries == [
        "750.50 EUR in the period",
        "5 bookings made",
        "28.6 % of the trucks' working hours booked",
        "50.0 % of 2 started jobs on time",
        "4.50 / 5 from 2 reviews",
        "20.0 % of the bookings made were cancelled",
    ]
    assert b"<title>02 Nov: 750.50</title>" in response.content


def test_the_csv_has_a_row_per_week_and_the_total(alice, bob):
    seed_week(alice, bob)

    response = client_for(alice.dispatcher).get(
        PAGE, {"start": "2026-11-02", "end": "2026-11-15", "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="insights-2026-11-02-2026-11-15.csv"'
    )
    assert response.content.decode().splitlines() == [
        "start,end,revenue,currency,bookings,confirmed,scheduled,in_progress,completed,"
        "cancelled,cancellation_rate,utilisation,started,on_time,on_time_rate,reviews,"
        "average_rating",
        "2026-11-02,2026-11-08,750.50,EUR,5,1,1,0,2,1,0.2000,0.2857,2,1,0.5000,2,4.50",
        "2026-11-09,2026-11-15,0.00,EUR,1,1,0,0,0,0,0.0000,0.0000,0,0,,0,",
        "2026-11-02,2026-11-15,750.50,EUR,6,2,1,0,2,1,0.1667,0.1429,2,1,0.5000,2,4.50",
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-11-08", "end": "2026-11-02"}, "end", "Must not be before the start."),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "end", "A period is at most 366 days."),
        ({"start": "2026-13-01"}, "start", "Enter a valid date."),
        (
            {"group": "year"},
            "group",
            "Select a valid choice. year is not one of the available choices.",
        ),
    ],
)
def test_a_bad_period_is_shown_on_its_field(alice, query, field, message):
    response = client_for(alice.dispatcher).get(PAGE, query)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert "insights" not in response.context


def test_insights_are_read_only(alice):
    assert client_for(alice.dispatcher).post(PAGE, WEEK).status_code == 405
