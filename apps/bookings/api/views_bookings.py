"""Bookings API, reads: the caller's bookings (as customer or staff), one booking, its history."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.bookings.api.serializers import BookingEventOutput, BookingOutput, booking_view_data
from apps.bookings.models import Booking
from apps.bookings.selectors import booking_get_for_user, booking_list_for_user
from apps.core.pagination import paginate
from apps.core.serializers import PageQueryInput, parse


class BookingListFilter(PageQueryInput):
    status = serializers.ChoiceField(choices=Booking.Status.choices, required=False)


class BookingListApi(APIView):
    """The caller's bookings: as a customer, their own; as staff, their companies'. Newest
    first; `?status=` filters."""

    @extend_schema(
        parameters=[OpenApiParameter("status", enum=Booking.Status.values)],
        responses=BookingOutput(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        filters = parse(BookingListFilter, request.query_params)
        bookings = booking_list_for_user(user=request.user)
        if "status" in filters:
            bookings = bookings.filter(status=filters["status"])
        return paginate(request, bookings, BookingOutput, context={"viewer_id": request.user.pk})


class BookingDetailApi(APIView):
    """One booking: its customer or its company's staff; 404 for anyone else."""

    @extend_schema(responses=BookingOutput)
    def get(self, request: Request, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        return Response(booking_view_data(access.booking, viewer_id=access.user.pk))


class BookingEventListApi(APIView):
    """A booking's history, oldest first: its customer or its company's staff."""

    @extend_schema(responses=BookingEventOutput(many=True))
    def get(self, request: Request, booking_id: int) -> Response:
        parse(PageQueryInput, request.query_params)
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        events = access.booking.events.order_by("at", "id")
        return paginate(request, events, BookingEventOutput)
