"""Search ordering (`distance` or `rating`) and the rating shown: the mean, to 2 decimals."""

from __future__ import annotations

import pytest

from apps.companies.api.serializers import company_rating
from apps.companies.models import Company
from apps.core.geo import point_from_lat_lng
from tests.companies.factories import CompanyFactory, ServiceAreaFactory, square_area

pytestmark = pytest.mark.django_db

LYON = (45.7640, 4.8357)
VILLEURBANNE = (45.7719, 4.8902)  # 4.32 km from Lyon
VIENNE = (45.5256, 4.8747)  # 26.68 km
GIVORS = (45.5906, 4.7689)  # ~20 km
NEAR_LYON = f"{LYON[0]},{LYON[1]}"


def rated(
    name: str, base: tuple[float, float], *, count: int = 0, total: int = 0, **kwargs
) -> Company:
    """A verified company at `base` with `count` reviews adding up to `total` stars."""
    return CompanyFactory(
        name=name,
        base_location=point_from_lat_lng(*base),
        review_count=count,
        rating_sum=total,
        **kwargs,
    )


def search(client, **params):
    return client.get("/api/v1/companies/", params)


def test_rating_ordering_puts_the_best_rated_first_unrated_last_then_the_nearest(api_client):
    rated("Unrated near", LYON)
    rated("Good far", VIENNE, count=2, total=9)  # 4.5
    rated("Best", GIVORS, count=1, total=5)  # 5.0
    rated("Good near", VILLEURBANNE, count=4, total=18)  # 4.5
    rated("Unrated far", VIENNE)

    response = search(api_client, near=NEAR_LYON, ordering="rating")

    assert response.status_code == 200
    assert [(r["name"], r["rating"], r["review_count"]) for r in response.json()["results"]] == [
        ("Best", 5.0, 1),
        ("Good near", 4.5, 4),
        ("Good far", 4.5, 2),
        ("Unrated near", None, 0),
        ("Unrated far", None, 0),
    ]


def test_equal_shown_ratings_go_nearest_first(api_client):
    rated("Exactly 4.67 far", VIENNE, count=100, total=467)  # 4.67
    rated("Two thirds near", VILLEURBANNE, count=3, total=14)  # 4.666... shown 4.67

    response = search(api_client, near=NEAR_LYON, ordering="rating")

    assert [(r["name"], r["rating"]) for r in response.json()["results"]] == [
        ("Two thirds near", 4.67),
        ("Exactly 4.67 far", 4.67),
    ]


def test_distance_is_the_default_ordering_and_can_be_asked_for(api_client):
    rated("Far but best", VIENNE, count=1, total=5)
    rated("Near", VILLEURBANNE, count=1, total=1)

    default = search(api_client, near=NEAR_LYON)
    explicit = search(api_client, near=NEAR_LYON, ordering="distance")

    assert [r["name"] for r in default.json()["results"]] == ["Near", "Far but best"]
    assert explicit.json() == default.json()


def test_rating_ordering_without_a_point_breaks_ties_by_name(api_client):
    rated("Zeta", LYON, count=1, total=4)
    rated("Alpha", LYON)
    rated("Beta", LYON, count=1, total=4)
    rated("Top", LYON, count=2, total=10)

    response = search(api_client, ordering="rating")

    assert [(r["name"], r["distance_km"]) for r in response.json()["results"]] == [
        ("Top", None),
        ("Beta", None),
        ("Zeta", None),
        ("Alpha", None),
    ]


def test_rating_ordering_keeps_the_serves_and_radius_filters(api_client):
    served = rated("Served", VILLEURBANNE, count=1, total=3)
    ServiceAreaFactory(company=served, area=square_area(lat=LYON[0], lng=LYON[1]))
    rated("Not serving", LYON, count=1, total=5)
    far = rated("Too far", VIENNE, count=1, total=5)
    ServiceAreaFactory(company=far, area=square_area(lat=LYON[0], lng=LYON[1], half_side_deg=0.5))
    pending = rated("Pending", LYON, count=1, total=5, verification_status="pending")
    ServiceAreaFactory(company=pending, area=square_area(lat=LYON[0], lng=LYON[1]))

    response = search(
        api_client, serves=NEAR_LYON, near=NEAR_LYON, radius_km="10", ordering="rating"
    )

    assert [r["name"] for r in response.json()["results"]] == ["Served"]


def test_rating_ordering_is_paginated(api_client):
    for index, total in enumerate((1, 5, 3)):
        rated(f"Company {index}", LYON, count=1, total=total)

    first = search(api_client, near=NEAR_LYON, ordering="rating", page_size=2)
    second = search(api_client, near=NEAR_LYON, ordering="rating", page_size=2, page=2)

    assert first.json()["count"] == 3
    assert [r["rating"] for r in first.json()["results"]] == [5.0, 3.0]
    assert [r["rating"] for r in second.json()["results"]] == [1.0]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ordering": "name"}, "Expected distance or rating."),
        ({"ordering": "-rating", "near": NEAR_LYON}, "Expected distance or rating."),
        ({"ordering": "", "near": NEAR_LYON}, "Expected distance or rating."),
        ({"ordering": "RATING"}, "Expected distance or rating."),
        (
            {"ordering": "distance"},
            "ordering=distance needs near=<lat>,<lng> or serves=<lat>,<lng>.",
        ),
    ],
)
def test_a_bad_ordering_is_a_400_naming_it(api_client, params, message):
    rated("Lyon", LYON)

    response = search(api_client, **params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["details"] == {"ordering": [message]}


# --- the rating shown --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "shown"),
    [
        (0, 0, None),
        (1, 5, 5.0),
        (2, 9, 4.5),
        (3, 14, 4.67),  # 4.666...
        (3, 13, 4.33),  # 4.333...
        (40, 107, 2.68),  # exactly 2.675: half up (binary float rounding would give 2.67)
        (8, 37, 4.63),  # exactly 4.625: half up
    ],
)
def test_the_rating_is_the_mean_rounded_half_up_to_two_decimals(api_client, count, total, shown):
    assert company_rating(review_count=count, rating_sum=total) == shown
    company = rated("Rated", LYON, count=count, total=total)

    detail = api_client.get(f"/api/v1/companies/{company.id}/").json()
    found = search(api_client, near=NEAR_LYON, ordering="rating").json()["results"]

    assert (detail["rating"], detail["review_count"]) == (shown, count)
    assert [(r["rating"], r["review_count"]) for r in found] == [(shown, count)]


def test_search_orders_by_the_shown_rounding_too(api_client):
    rated("Exactly 2.68 far", VIENNE, count=25, total=67)
    rated("Exactly 2.675 near", VILLEURBANNE, count=40, total=107)  # shown 2.68

    response = search(api_client, near=NEAR_LYON, ordering="rating")

    # Equal shown ratings (half up in SQL as in Python), so the nearer one first; ranking by
    # the exact mean, or rounding 2.675 down, would put the far one first.
    assert [(r["name"], r["rating"]) for r in response.json()["results"]] == [
        ("Exactly 2.675 near", 2.68),
        ("Exactly 2.68 far", 2.68),
    ]
