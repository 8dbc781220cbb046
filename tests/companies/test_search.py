"""Public company search: verified only, `serves` a point, `near` + radius, nearest first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.companies.models import Company
from apps.core.geo import point_from_lat_lng
from tests.companies.factories import (
    CompanyFactory,
    ServiceAreaFactory,
    square_area,
)

pytestmark = pytest.mark.django_db

LYON = (45.7640, 4.8357)
VILLEURBANNE = (45.7719, 4.8902)
VIENNE = (45.5256, 4.8747)  # ~27 km south of Lyon
PARIS = (48.8566, 2.3522)


def company_at(name: str, base: tuple[float, float], **kwargs) -> Company:
    return CompanyFactory(name=name, base_location=point_from_lat_lng(*base), **kwargs)


def search(client, **params):
    return client.get("/api/v1/companies/", params)


def test_serves_returns_verified_companies_covering_the_point_nearest_first(api_client):
    far = company_at("Far", VIENNE)
    near = company_at("Near", VILLEURBANNE)
    paris = company_at("Paris", PARIS)
    pending = company_at("Pending", LYON, verification_status="pending")
    suspended = company_at("Suspended", LYON, verification_status="suspended")
    for company in (far, near, pending, suspended):
        ServiceAreaFactory(company=company, area=square_area(lat=LYON[0], lng=LYON[1]))
    ServiceAreaFactory(company=paris, area=square_area(lat=PARIS[0], lng=PARIS[1]))

    response = search(api_client, serves=f"{LYON[0]},{LYON[1]}")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["name"] for row in body["results"]] == ["Near", "Far"]
    first = body["results"][0]
    assert first == {
        "id": near.id,
        "name": "Near",
        "slug": near.slug,
        "email": near.email,
        "phone": near.phone,
        "base_location": {"lat": 45.7719, "lng": 4.8902},
        "currency": "EUR",
        "timezone": "Europe/Paris",
        "distance_km": 4.32,  # haversine, mean Earth radius 6371.0088 km
        "rating": None,
        "review_count": 0,
    }
    assert body["results"][1]["distance_km"] == 26.68


def test_a_company_with_several_covering_areas_appears_once(api_client):
    company = company_at("Many areas", LYON)
    for half_side in (0.05, 0.1, 0.2):
        ServiceAreaFactory(
            company=company, area=square_area(lat=LYON[0], lng=LYON[1], half_side_deg=half_side)
        )

    response = search(api_client, serves=f"{LYON[0]},{LYON[1]}")

    assert response.json()["count"] == 1
    assert [row["id"] for row in response.json()["results"]] == [company.id]


def test_near_with_radius_keeps_companies_within_it_ordered_by_distance(api_client):
    company_at("Lyon", LYON)
    company_at("Vienne", VIENNE)
    company_at("Paris", PARIS)

    within_30 = search(api_client, near=f"{LYON[0]},{LYON[1]}", radius_km="30")
    within_10 = search(api_client, near=f"{LYON[0]},{LYON[1]}", radius_km="10")

    assert [(r["name"], r["distance_km"]) for r in within_30.json()["results"]] == [
        ("Lyon", 0.0),
        ("Vienne", 26.68),
    ]
    assert [r["name"] for r in within_10.json()["results"]] == ["Lyon"]


def test_the_radius_cut_agrees_with_the_distance_shown(api_client):
    company_at("Vienne", VIENNE)  # 26.68 km from Lyon

    inside = search(api_client, near=f"{LYON[0]},{LYON[1]}", radius_km="26.69")
    outside = search(api_client, near=f"{LYON[0]},{LYON[1]}", radius_km="26.67")

    assert [r["distance_km"] for r in inside.json()["results"]] == [26.68]
    assert outside.json()["count"] == 0


def test_serves_and_near_together_order_by_distance_from_near(api_client):
    lyon = company_at("Lyon", LYON)
    vienne = company_at("Vienne", VIENNE)
    for company in (lyon, vienne):
        ServiceAreaFactory(
            company=company, area=square_area(lat=45.65, lng=4.85, half_side_deg=0.3)
        )

    response = search(api_client, serves="45.65,4.85", near=f"{VIENNE[0]},{VIENNE[1]}")

    assert [r["name"] for r in response.json()["results"]] == ["Vienne", "Lyon"]
    assert response.json()["results"][0]["distance_km"] == 0.0


def test_without_a_point_verified_companies_are_listed_by_name_without_distance(api_client):
    company_at("Zeta", LYON)
    company_at("Alpha", PARIS)
    company_at("Hidden", LYON, verification_status="pending")

    response = search(api_client)

    assert [(r["name"], r["distance_km"]) for r in response.json()["results"]] == [
        ("Alpha", None),
        ("Zeta", None),
    ]


def test_search_is_paginated(api_client):
    for index in range(3):
        company_at(f"Company {index}", LYON)

    response = search(api_client, near=f"{LYON[0]},{LYON[1]}", page_size=2, page=2)

    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 1
    assert response.json()["next"] is None


def test_no_match_is_an_empty_first_page(api_client):
    company_at("Lyon", LYON)

    response = search(api_client, serves=f"{PARIS[0]},{PARIS[1]}")

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "page", ["3", "0", "last-but-one", "-1", "461168601842738792", str(10**30)]
)
def test_a_page_past_the_end_or_malformed_is_404(api_client, page):
    for index in range(3):
        company_at(f"Company {index}", LYON)

    response = search(api_client, near=f"{LYON[0]},{LYON[1]}", page_size=2, page=page)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_last_page_keyword_works(api_client):
    for index in range(3):
        company_at(f"Company {index}", LYON)

    response = search(api_client, near=f"{LYON[0]},{LYON[1]}", page_size=2, page="last")

    assert response.json()["count"] == 3
    assert [r["name"] for r in response.json()["results"]] == ["Company 2"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"serves": "91,4.8"}, "serves"),
        ({"serves": "45.7"}, "serves"),
        ({"serves": "lyon"}, "serves"),
        ({"serves": "45.7,nan"}, "serves"),
        ({"near": "45.7,181"}, "near"),
        ({"near": ""}, "near"),
        ({"radius_km": "10"}, "radius_km"),
        ({"serves": "45.7,4.8", "radius_km": "10"}, "radius_km"),
        ({"near": "45.7,4.8", "radius_km": "0"}, "radius_km"),
        ({"near": "45.7,4.8", "radius_km": "1000.1"}, "radius_km"),
        ({"near": "45.7,4.8", "radius_km": "ten"}, "radius_km"),
        ({"near": "45.7,4.8", "radius_km": "inf"}, "radius_km"),
    ],
)
def test_bad_search_parameter_is_a_400_naming_it(api_client, db, params, field):
    response = search(api_client, **params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["details"]) == [field]


def test_serves_uses_one_exists_subquery_on_geography(api_client):
    company_at("Lyon", LYON)

    with CaptureQueriesContext(connection) as queries:
        search(api_client, serves=f"{LYON[0]},{LYON[1]}")

    page_query = queries.captured_queries[-1]["sql"]
    assert "EXISTS" in page_query
    assert "ST_Covers" in page_query
    # The column is not cast to geometry (the point is cast to geography instead), so the GiST
    # index on the geography column applies; the benchmark's EXPLAIN shows it used.
    assert 'U0."area"::geometry' not in page_query
