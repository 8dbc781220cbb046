"""Move requests API: create one (with its instant quotes), read it and its quotes, accept one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.bookings.accept_services import quote_accept
from apps.bookings.api.serializers import BookingOutput, QuoteOutput, booking_view_data
from apps.bookings.models import MoveRequest
from apps.bookings.request_selectors import move_request_list_for_customer
from apps.bookings.request_services import move_request_create
from apps.bookings.selectors import move_request_get_for_customer, quote_list_for_request
from apps.core import limits
from apps.core.fields import LatLngField
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.idempotency import idempotent
from apps.core.pagination import paginate
from apps.core.parsers import LimitedJSONParser
from apps.core.serializers import PageQueryInput, StrictSerializer, parse
from apps.pricing.api.serializers import MoveRequestInput

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Retries with the same key and body get the first answer (24 h); see docs.",
)


def earliest_today() -> date:
    """Today where the day started last (UTC-12): a date still today somewhere is not past."""
    return (timezone.now() - timedelta(hours=12)).date()


class MoveRequestCreateInput(MoveRequestInput):
    """The estimate's move body, with both addresses required: the crew drives to an address,
    not to a map pin (the points price the move; the addresses are where the crew rings)."""

    origin_address = serializers.CharField(max_length=limits.MAX_ADDRESS_LENGTH)
    destination_address = serializers.CharField(max_length=limits.MAX_ADDRESS_LENGTH)

    def validate_move_date(self, value: date) -> date:
        if value < earliest_today():
            raise serializers.ValidationError("Must not be in the past.")
        return value


class AcceptInput(StrictSerializer):
    """Accepting takes no fields: an empty body or `{}`."""


class MoveRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    customer = serializers.IntegerField(source="customer_id")
    origin = LatLngField()
    destination = LatLngField()
    origin_address = serializers.CharField()
    destination_address = serializers.CharField()
    move_date = serializers.DateField()
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()
    inventory = serializers.JSONField()
    volume_m3 = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    stairs_origin = serializers.IntegerField()
    stairs_destination = serializers.IntegerField()
    lift_origin = serializers.BooleanField()
    lift_destination = serializers.BooleanField()
    carry_origin_m = serializers.IntegerField()
    carry_destination_m = serializers.IntegerField()
    packing = serializers.BooleanField()
    notes = serializers.CharField()
    created_at = serializers.DateTimeField()


class MoveRequestWithQuotesOutput(MoveRequestOutput):
    quotes = serializers.SerializerMethodField()

    def get_quotes(self, move_request: MoveRequest) -> list[dict[str, Any]]:
        return list(QuoteOutput(self.context["quotes"], many=True).data)


def _with_quotes(move_request: MoveRequest, quotes: Any) -> dict[str, Any]:
    return MoveRequestWithQuotesOutput(move_request, context={"quotes": quotes}).data


def _quotes_of(move_request: MoveRequest):
    return quote_list_for_request(move_request=move_request).select_related("pricing_config")


class MoveRequestListCreateApi(APIView):
    """A customer's move requests: create one (any signed-in user may be a customer), list
    their own (newest first, without quotes)."""

    parser_classes = [LimitedJSONParser]

    @extend_schema(responses=MoveRequestOutput(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        parse(PageQueryInput, request.query_params)
        return paginate(
            request, move_request_list_for_customer(user=request.user), MoveRequestOutput
        )

    @extend_schema(
        request=MoveRequestCreateInput,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: MoveRequestWithQuotesOutput,
            400: OpenApiResponse(description="invalid: details nested by field"),
        },
    )
    @idempotent
    def post(self, request: AuthenticatedRequest) -> Response:
        data = parse(MoveRequestCreateInput, request.data)
        move_request, quotes = move_request_create(customer=request.user, data=data)
        return Response(_with_quotes(move_request, quotes), status=status.HTTP_201_CREATED)


class MoveRequestDetailApi(APIView):
    """One of the caller's own move requests with its quotes, cheapest first; 404 otherwise."""

    @extend_schema(responses=MoveRequestWithQuotesOutput)
    def get(self, request: Request, move_request_id: int) -> Response:
        move_request = move_request_get_for_customer(
            user=request.user, move_request_id=move_request_id
        )
        return Response(_with_quotes(move_request, _quotes_of(move_request)))


class MoveRequestQuoteListApi(APIView):
    """The quotes of one of the caller's own move requests, cheapest first (paginated)."""

    @extend_schema(responses=QuoteOutput(many=True))
    def get(self, request: Request, move_request_id: int) -> Response:
        parse(PageQueryInput, request.query_params)
        move_request = move_request_get_for_customer(
            user=request.user, move_request_id=move_request_id
        )
        return paginate(request, _quotes_of(move_request), QuoteOutput)


class QuoteAcceptApi(APIView):
    """Accept a quote of one's own move request: 201 with the confirmed booking."""

    parser_classes = [LimitedJSONParser]

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: BookingOutput,
            404: OpenApiResponse(description="not_found: not a quote of your move requests"),
            409: OpenApiResponse(
                description="quote_expired (expired or withdrawn), already_exists (the request "
                "is already booked), company_not_verified, request_in_progress"
            ),
            422: OpenApiResponse(description="idempotency_key_reused"),
        },
    )
    @idempotent
    def post(self, request: AuthenticatedRequest, quote_id: int) -> Response:
        parse(AcceptInput, request.data)
        booking = quote_accept(customer=request.user, quote_id=quote_id)
        return Response(
            booking_view_data(booking, viewer_id=request.user.pk), status=status.HTTP_201_CREATED
        )
