"""Hubs and trips: the public hub list, publishing and reading trips, depart/arrive/cancel."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.cargo import trip_services
from apps.cargo.api.serializers import (
    HubOutput,
    TripOutput,
    TripPublishInput,
    TripShipmentOutput,
    TripStaffOutput,
    trip_publish_arguments,
)
from apps.cargo.models import Trip
from apps.cargo.selectors import (
    hubs_active,
    trip_get_for_staff,
    trip_get_visible,
    trip_shipment_legs,
    trips_for_staff,
)
from apps.companies.selectors import STAFF_ROLES
from apps.core.pagination import paginate
from apps.core.serializers import StrictSerializer, parse


class NoInput(StrictSerializer):
    """Actions without a body: anything sent is an unknown field (400)."""


class HubListApi(APIView):
    """The active hubs (public)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=HubOutput(many=True))
    def get(self, request: Request) -> Response:
        return paginate(request, hubs_active(), HubOutput)


class TripListCreateApi(APIView):
    """The trips of the caller's companies (GET, staff); publish a trip (POST, owner/dispatcher)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TripStaffOutput(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        return paginate(request, trips_for_staff(user=request.user), TripStaffOutput)

    @extend_schema(request=TripPublishInput, responses={201: TripStaffOutput})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = parse(TripPublishInput, request.data)
        trip = trip_services.trip_publish(
            actor=request.user,
            **trip_publish_arguments(data),
        )
        return Response(TripStaffOutput(trip).data, status=status.HTTP_201_CREATED)


class TripDetailApi(APIView):
    """A trip: its company's staff see it all; anyone sees a verified company's trip."""

    permission_classes = [AllowAny]

    @extend_schema(responses=TripStaffOutput)
    def get(self, request: Request, trip_id: int) -> Response:
        view = trip_get_visible(user=request.user, trip_id=trip_id)
        output = TripStaffOutput if view.is_staff else TripOutput
        return Response(output(view.trip).data)


def _trip_action(request: AuthenticatedRequest, trip_id: int, action) -> Response:
    parse(NoInput, request.data)
    trip: Trip = action(actor=request.user, trip_id=trip_id)
    return Response(TripStaffOutput(trip).data)


class TripDepartApi(APIView):
    """scheduled -> departed (owner, dispatcher); its shipments follow."""

    @extend_schema(request=None, responses=TripStaffOutput)
    def post(self, request: AuthenticatedRequest, trip_id: int) -> Response:
        return _trip_action(request, trip_id, trip_services.trip_depart)


class TripArriveApi(APIView):
    """departed -> arrived (owner, dispatcher); its shipments follow."""

    @extend_schema(request=None, responses=TripStaffOutput)
    def post(self, request: AuthenticatedRequest, trip_id: int) -> Response:
        return _trip_action(request, trip_id, trip_services.trip_arrive)


class TripCancelApi(APIView):
    """scheduled -> cancelled (owner, dispatcher), only with no shipment on it; frees the truck."""

    @extend_schema(request=None, responses=TripStaffOutput)
    def post(self, request: AuthenticatedRequest, trip_id: int) -> Response:
        return _trip_action(request, trip_id, trip_services.trip_cancel)


class TripShipmentsApi(APIView):
    """The shipments on a trip (any staff of its company): the trip's sold volume and weight
    is on the trip; each row says what one shipment takes."""

    @extend_schema(responses=TripShipmentOutput(many=True))
    def get(self, request: AuthenticatedRequest, trip_id: int) -> Response:
        trip = trip_get_for_staff(user=request.user, trip_id=trip_id, roles=STAFF_ROLES)
        return paginate(request, trip_shipment_legs(trip=trip), TripShipmentOutput)
