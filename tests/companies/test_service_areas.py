"""Service areas: from GeoJSON or centre + radius; broken geometry is a 400 that says why."""

from __future__ import annotations

import pytest

from apps.companies.geometry import MAX_VERTICES
from apps.companies.models import ServiceArea
from tests.companies.conftest import db_state
from tests.companies.factories import geojson_square

pytestmark = pytest.mark.django_db

BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[4.0, 45.0], [5.0, 46.0], [5.0, 45.0], [4.0, 46.0], [4.0, 45.0]]],
}


def areas_url(company) -> str:
    return f"/api/v1/companies/{company.id}/service-areas/"


def test_dispatcher_adds_an_area_from_a_geojson_polygon_and_gets_a_multipolygon_back(alice):
    square = geojson_square(lat=45.75, lng=4.85, half_side_deg=0.5)

    response = alice.dispatcher_client.post(
        areas_url(alice.company), {"name": "Lyon", "geometry": square}, format="json"
    )

    assert response.status_code == 201
    area = ServiceArea.objects.get(id=response.json()["id"])
    assert response.json() == {
        "id": area.id,
        "name": "Lyon",
        "geometry": {"type": "MultiPolygon", "coordinates": [square["coordinates"]]},
    }
    assert area.company == alice.company
    assert area.area.num_geom == 1


def test_a_multipolygon_is_stored_as_it_is(alice):
    multipolygon = {
        "type": "MultiPolygon",
        "coordinates": [
            geojson_square(lat=45.75, lng=4.85)["coordinates"],
            geojson_square(lat=48.85, lng=2.35)["coordinates"],
        ],
    }

    response = alice.owner_client.post(
        areas_url(alice.company),
        {"name": "Lyon and Paris", "geometry": multipolygon},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["geometry"] == multipolygon


def test_an_area_from_centre_and_radius_is_a_geodesic_circle(alice):
    response = alice.dispatcher_client.post(
        areas_url(alice.company),
        {"name": "Around Lyon", "center": {"lat": 45.764, "lng": 4.8357}, "radius_km": 30},
        format="json",
    )

    assert response.status_code == 201
    area = ServiceArea.objects.get(id=response.json()["id"])
    ring = response.json()["geometry"]["coordinates"][0][0]
    assert len(ring) == 65
    assert ring[0] == ring[-1]
    # A point 29 km north is covered, one 31 km north is not (1 degree of latitude ~ 111.2 km).
    assert ServiceArea.objects.filter(
        id=area.id, area__covers="SRID=4326;POINT(4.8357 46.0248)"
    ).exists()
    assert not ServiceArea.objects.filter(
        id=area.id, area__covers="SRID=4326;POINT(4.8357 46.0428)"
    ).exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"geometry": BOW_TIE},
            "geometry",
            "The geometry is not valid: Self-intersection[4.5 45.5].",
        ),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[4.0, 45.0], [5.0, 45.0], [5.0, 46.0], [4.0, 46.0]]],
                }
            },
            "geometry",
            "ring 0 is not closed: its last position must equal its first.",
        ),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[4.0, 45.0], [5.0, 95.0], [5.0, 46.0], [4.0, 45.0]]],
                }
            },
            "geometry",
            "ring 0, position 1: [5.0, 95.0] is out of range (longitude in [-180, 180], "
            "latitude in [-90, 90]; GeoJSON order is [lng, lat]).",
        ),
        (
            {"geometry": {"type": "Polygon", "coordinates": [[[4.0, 45.0], [5.0, 45.0]]]}},
            "geometry",
            "ring 0: a ring needs at least 4 positions (first = last).",
        ),
        (
            {"geometry": {"type": "Point", "coordinates": [4.0, 45.0]}},
            "geometry",
            "The geometry type must be Polygon or MultiPolygon.",
        ),
        (
            {"geometry": {"type": "Polygon", "coordinates": [[["4", "45"]]]}},
            "geometry",
            "ring 0, position 0: coordinates must be numbers.",
        ),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[170, 0], [-170, 0], [-170, 10], [170, 10], [170, 0]]],
                }
            },
            "geometry",
            "The polygon spans 180 degrees of longitude or more; "
            "split it at the antimeridian into a MultiPolygon.",
        ),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[10**309, 0], [1, 0], [1, 1], [0, 0]]],
                }
            },
            "geometry",
            "ring 0, position 0: coordinates must be finite numbers.",
        ),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 90], [0, -90], [10, -90], [10, 90], [0, 90]]],
                }
            },
            "geometry",
            "ring 0, positions 0 and 1 are antipodal: on the sphere the edge between them is "
            "undefined. Add a position in between.",
        ),
        ({"center": {"lat": 10**309, "lng": 4.8}, "radius_km": 10}, "center", None),
        ({"center": {"lat": 45.7, "lng": True}, "radius_km": 10}, "center", None),
        ({"geometry": "POLYGON((4 45, 5 45, 5 46, 4 45))"}, "geometry", None),
        ({"center": {"lat": 45.7, "lng": 4.8}, "radius_km": 0}, "radius_km", None),
        ({"center": {"lat": 45.7, "lng": 4.8}, "radius_km": 500.5}, "radius_km", None),
        ({"center": {"lat": 95, "lng": 4.8}, "radius_km": 10}, "center", None),
        ({"center": {"lat": 45.7, "lng": 4.8}}, "radius_km", None),
        (
            {"center": {"lat": 89.9, "lng": 0}, "radius_km": 100},
            "center",
            "The circle crosses the antimeridian or a pole; send it as GeoJSON instead.",
        ),
        ({}, "geometry", "Send geometry (GeoJSON), or center and radius_km."),
        (
            {"geometry": geojson_square(lat=45, lng=4), "center": {"lat": 45, "lng": 4}},
            "geometry",
            "Send either geometry, or center and radius_km; not both.",
        ),
    ],
)
def test_bad_area_is_a_400_naming_the_field_and_nothing_is_created(alice, body, field, message):
    before = db_state()

    response = alice.dispatcher_client.post(
        areas_url(alice.company), {"name": "Bad", **body}, format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["details"]) == [field]
    if message is not None:
        assert error["details"][field] == [message]
    assert db_state() == before


def test_more_than_the_vertex_limit_is_refused(alice):
    ring = [[4.0 + i * 1e-5, 45.0] for i in range(MAX_VERTICES)]
    ring += [[4.0, 45.1], [4.0, 45.0]]
    before = db_state()

    response = alice.dispatcher_client.post(
        areas_url(alice.company),
        {"name": "Huge", "geometry": {"type": "Polygon", "coordinates": [ring]}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "geometry": [f"The geometry has more than {MAX_VERTICES} vertices."]
    }
    assert db_state() == before


def test_dispatcher_replaces_an_area_geometry_and_renames_it(alice):
    response = alice.dispatcher_client.patch(
        f"{areas_url(alice.company)}{alice.area.id}/",
        {"name": "Paris", "center": {"lat": 48.8566, "lng": 2.3522}, "radius_km": 10},
        format="json",
    )

    assert response.status_code == 200
    alice.area.refresh_from_db()
    assert alice.area.name == "Paris"
    centroid = alice.area.area.centroid
    assert (round(centroid.y, 2), round(centroid.x, 2)) == (48.86, 2.35)


def test_renaming_an_area_keeps_its_geometry(alice):
    wkt = alice.area.area.wkt

    response = alice.owner_client.patch(
        f"{areas_url(alice.company)}{alice.area.id}/", {"name": "Renamed"}, format="json"
    )

    assert response.status_code == 200
    alice.area.refresh_from_db()
    assert (alice.area.name, alice.area.area.wkt) == ("Renamed", wkt)


def test_patching_a_bow_tie_is_refused_and_the_area_is_unchanged(alice):
    before = db_state()

    response = alice.owner_client.patch(
        f"{areas_url(alice.company)}{alice.area.id}/", {"geometry": BOW_TIE}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["geometry"]
    assert db_state() == before


def test_dispatcher_lists_and_deletes_areas(alice):
    listing = alice.dispatcher_client.get(areas_url(alice.company))
    deleting = alice.dispatcher_client.delete(f"{areas_url(alice.company)}{alice.area.id}/")

    assert listing.status_code == 200
    assert [area["id"] for area in listing.json()["results"]] == [alice.area.id]
    assert listing.json()["results"][0]["geometry"]["type"] == "MultiPolygon"
    assert deleting.status_code == 204
    assert not ServiceArea.objects.filter(id=alice.area.id).exists()


def test_driver_cannot_touch_service_areas(alice):
    before = db_state()

    listing = alice.driver_client.get(areas_url(alice.company))
    deleting = alice.driver_client.delete(f"{areas_url(alice.company)}{alice.area.id}/")

    assert (listing.status_code, deleting.status_code) == (403, 403)
    assert db_state() == before
