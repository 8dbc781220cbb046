"""The shared {"lat","lng"} field and `lat,lng` query parsing."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from apps.core.errors import Invalid
from apps.core.fields import LatLngField
from apps.core.geo import parse_lat_lng_param


class _Input(serializers.Serializer):
    point = LatLngField()


@pytest.mark.parametrize(
    "value",
    ["45.1,4.2", [45.1, 4.2], {"lat": "x", "lng": 4}, {"lat": 1}, {"lat": True, "lng": 4}],
)
def test_malformed_point_is_a_validation_error_with_a_readable_message(value):
    data = _Input(data={"point": value})
    assert not data.is_valid()
    assert data.errors["point"] == ['Expected {"lat": <number>, "lng": <number>}.']


def test_out_of_range_point_names_the_coordinate():
    data = _Input(data={"point": {"lat": 91, "lng": 4}})
    assert not data.is_valid()
    assert data.errors["point"] == {"lat": ["Latitude must be between -90 and 90."]}


def test_point_round_trips_as_lat_lng():
    data = _Input(data={"point": {"lat": 45.764, "lng": 4.8357}})
    assert data.is_valid()
    assert LatLngField().to_representation(data.validated_data["point"]) == {
        "lat": 45.764,
        "lng": 4.8357,
    }


@pytest.mark.parametrize("value", ["45.1", "a,b", "91,0", "0,181", "nan,1"])
def test_bad_lat_lng_query_value_names_the_parameter(value):
    with pytest.raises(Invalid) as caught:
        parse_lat_lng_param(value, name="serves")
    assert list(caught.value.details) == ["serves"]


@pytest.mark.parametrize(
    "value", [{"lat": 10**309, "lng": 4}, {"lat": 45, "lng": True}, {"lat": 45, "lng": 1e309}]
)
def test_overflowing_boolean_or_infinite_coordinates_are_refused_not_crashed(value):
    data = _Input(data={"point": value})
    assert not data.is_valid()
    assert data.errors["point"] == ['Expected {"lat": <number>, "lng": <number>}.']
