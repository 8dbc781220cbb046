"""Notifications and the message thread of a booking (thin: parse, call, render)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.accounts.throttles import PeriodRateThrottle
from apps.bookings.engagement_selectors import booking_messages, notifications_for_user
from apps.bookings.message_services import booking_message_post
from apps.bookings.notification_services import (
    notification_mark_read,
    notifications_mark_all_read,
)
from apps.bookings.selectors import booking_get_for_user
from apps.core.pagination import paginate
from apps.core.serializers import StrictSerializer, parse
from apps.core.throttling import ClientRateThrottle

MESSAGE_MAX_LENGTH = 2000


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    booking = serializers.IntegerField(source="booking_id", allow_null=True)
    data = serializers.JSONField()  # type: ignore[assignment]  # the contract's name
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField()


class MessageInput(StrictSerializer):
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)


class MessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.IntegerField(source="author_id")
    author_role = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class NoInput(StrictSerializer):
    """Actions without a body: anything sent is an unknown field (400)."""


class MessageSenderThrottle(PeriodRateThrottle):
    """Messages per sender (THROTTLE_BOOKING_MESSAGE), across all their threads; reads free."""

    scope = "booking_message"
    fails_closed = False  # a write: apps/core/throttling.py refuses it while Redis is down

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.method in SAFE_METHODS or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class NotificationListApi(APIView):
    """The caller's notifications, unread first, then newest first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NotificationOutput(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        return paginate(request, notifications_for_user(user=request.user), NotificationOutput)


class NotificationReadApi(APIView):
    """Mark one of the caller's notifications read; anyone else's is 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=NotificationOutput)
    def post(self, request: AuthenticatedRequest, notification_id: int) -> Response:
        parse(NoInput, request.data)
        notification = notification_mark_read(user=request.user, notification_id=notification_id)
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(APIView):
    """Mark all the caller's notifications read: {"count": how many were unread}."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: {"type": "object"}})
    def post(self, request: AuthenticatedRequest) -> Response:
        parse(NoInput, request.data)
        return Response({"count": notifications_mark_all_read(user=request.user)})


class BookingMessagesApi(APIView):
    """The booking's thread (oldest first) and posting to it: its customer and company staff."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ClientRateThrottle, MessageSenderThrottle]

    @extend_schema(responses=MessageOutput(many=True))
    def get(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        return paginate(request, booking_messages(booking=access.booking), MessageOutput)

    @extend_schema(request=MessageInput, responses={201: MessageOutput})
    def post(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        data = parse(MessageInput, request.data)
        message = booking_message_post(access=access, body=data["body"])
        return Response(MessageOutput(message).data, status=status.HTTP_201_CREATED)
