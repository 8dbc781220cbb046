"""Tracking REST reads: a booking's track as GeoJSON, a company's fleet positions (thin)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.core.pagination import paginate
from apps.tracking.selectors import TrackPoint, booking_track, fleet_last_positions


def track_feature(*, booking_id: int, points: list[TrackPoint]) -> dict[str, Any]:
    """The GeoJSON Feature of a track (RFC 7946): a LineString from two points on; one point is
    a Point; none is a null geometry (a LineString needs at least two positions)."""
    coordinates = [[point.lng, point.lat] for point in points]
    as_iso = serializers.DateTimeField().to_representation  # the API's one time format
    geometry: dict[str, Any] | None
    if len(coordinates) >= 2:
        geometry = {"type": "LineString", "coordinates": coordinates}
    elif coordinates:
        geometry = {"type": "Point", "coordinates": coordinates[0]}
    else:
        geometry = None
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "booking": booking_id,
            "timestamps": [as_iso(point.recorded_at) for point in points],
        },
    }


class BookingTrackApi(APIView):
    """The booking's job track (its customer and its company's staff; 404 to anyone else)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        track_booking_id, points = booking_track(user=request.user, booking_id=booking_id)
        return Response(track_feature(booking_id=track_booking_id, points=points))


class FleetPositionOutput(serializers.Serializer):
    truck = serializers.IntegerField(source="truck_id")
    plate = serializers.CharField(source="truck.plate")
    lat = serializers.FloatField(source="point.y")
    lng = serializers.FloatField(source="point.x")
    recorded_at = serializers.DateTimeField()
    heading = serializers.FloatField(allow_null=True)
    speed = serializers.FloatField(allow_null=True)
    booking = serializers.IntegerField(source="booking_id", allow_null=True)


class FleetPositionsApi(APIView):
    """Each truck's latest position (that company's staff; 404 to outsiders)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FleetPositionOutput(many=True))
    def get(self, request: AuthenticatedRequest, company_id: int) -> Response:
        positions = fleet_last_positions(user=request.user, company_id=company_id)
        return paginate(request, positions, FleetPositionOutput)
