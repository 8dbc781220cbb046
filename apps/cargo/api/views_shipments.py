"""Shipments: reserve (Idempotency-Key), list the customer's own, read, cancel, deliver."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.cargo import shipment_services
from apps.cargo.api.serializers import (
    ShipmentDetailOutput,
    ShipmentOutput,
    ShipmentReserveInput,
)
from apps.cargo.api.views_trips import NoInput
from apps.cargo.models import Shipment
from apps.cargo.selectors import shipment_get_for_user, shipments_for_customer
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.idempotency import idempotent
from apps.core.pagination import paginate
from apps.core.serializers import parse

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Retries with the same key and body get the first answer (24 h).",
)
_LEGS = "legs__trip__origin_hub", "legs__trip__destination_hub"


def _detail(shipment: Shipment) -> dict:
    shipment = Shipment.objects.prefetch_related(*_LEGS).get(pk=shipment.pk)
    return ShipmentDetailOutput(shipment).data


class ShipmentListCreateApi(APIView):
    """The caller's own shipments (GET); reserve space on one or two trips (POST)."""

    @extend_schema(responses=ShipmentOutput(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        shipments = shipments_for_customer(user=request.user).prefetch_related(*_LEGS)
        return paginate(request, shipments, ShipmentOutput)

    @extend_schema(
        request=ShipmentReserveInput,
        responses={201: ShipmentDetailOutput},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        data = parse(ShipmentReserveInput, request.data)
        shipment = shipment_services.shipment_reserve(
            customer=request.user,
            trip_ids=data["legs"],
            volume_m3=data["volume_m3"],
            weight_kg=data["weight_kg"],
        )
        return Response(_detail(shipment), status=status.HTTP_201_CREATED)


class ShipmentDetailApi(APIView):
    """A shipment with its legs and events, oldest first (its customer; carriers' staff)."""

    @extend_schema(responses=ShipmentDetailOutput)
    def get(self, request: AuthenticatedRequest, reference: str) -> Response:
        shipment = shipment_get_for_user(user=request.user, reference=reference)
        return Response(_detail(shipment))


class ShipmentCancelApi(APIView):
    """BOOKED -> CANCELLED by the customer, before the first leg leaves."""

    @extend_schema(request=None, responses=ShipmentDetailOutput)
    def post(self, request: AuthenticatedRequest, reference: str) -> Response:
        parse(NoInput, request.data)
        shipment = shipment_services.shipment_cancel(actor=request.user, reference=reference)
        return Response(_detail(shipment))


class ShipmentDeliverApi(APIView):
    """ARRIVED -> DELIVERED by staff of the company carrying the last leg."""

    @extend_schema(request=None, responses=ShipmentDetailOutput)
    def post(self, request: AuthenticatedRequest, reference: str) -> Response:
        parse(NoInput, request.data)
        shipment = shipment_services.shipment_deliver(actor=request.user, reference=reference)
        return Response(_detail(shipment))
