"""Reviews API: the customer reviews a completed booking, the company replies, anyone reads."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.bookings.models import Review
from apps.bookings.review_selectors import review_get_for_booking, review_list_for_company
from apps.bookings.review_services import MAX_RATING, MIN_RATING, review_create, review_reply
from apps.bookings.selectors import booking_get_for_user
from apps.core.limits import MAX_NOTES_LENGTH
from apps.core.pagination import paginate
from apps.core.serializers import StrictSerializer, parse

ANONYMOUS_CUSTOMER_NAME = "Customer"


class RatingField(serializers.IntegerField):
    """A whole number of stars as a JSON integer: 4.0 and 4.5 are refused, as "4" and true are."""

    default_error_messages = {"integer": "Expected a whole number (a JSON integer)."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, float):
            self.fail("integer")
        return super().to_internal_value(data)


class ReviewInput(StrictSerializer):
    rating = RatingField(min_value=MIN_RATING, max_value=MAX_RATING)
    comment = serializers.CharField(max_length=MAX_NOTES_LENGTH, allow_blank=True, required=False)


class ReplyInput(StrictSerializer):
    reply = serializers.CharField(max_length=MAX_NOTES_LENGTH)


def public_customer_name(name: str) -> str:
    """What the public sees of a reviewer: the first name and the last name's initial.

    "Marie-Claire Dupont" -> "Marie-Claire D."; "Cher" -> "Cher"; no name -> "Customer".
    """
    words = name.split()
    if not words:
        return ANONYMOUS_CUSTOMER_NAME
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


class ReviewOutput(serializers.Serializer):
    """A review as the public sees it (the company's list): no customer id, a shortened name."""

    id = serializers.IntegerField()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    reply = serializers.SerializerMethodField()
    replied_at = serializers.DateTimeField(allow_null=True)
    customer_name = serializers.SerializerMethodField()

    def get_reply(self, review: Review) -> str | None:
        return review.reply if review.replied_at is not None else None

    def get_customer_name(self, review: Review) -> str:
        return public_customer_name(review.customer.name)


class BookingReviewOutput(ReviewOutput):
    """A review as the booking's participants see it: the public shape plus the booking."""

    booking = serializers.IntegerField(source="booking_id")


class BookingReviewApi(APIView):
    """The booking's review: its participants read it (GET); its customer writes it (POST)."""

    @extend_schema(responses=BookingReviewOutput)
    def get(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        return Response(BookingReviewOutput(review_get_for_booking(access=access)).data)

    @extend_schema(request=ReviewInput, responses={201: BookingReviewOutput})
    def post(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        data = parse(ReviewInput, request.data)
        review = review_create(access=access, **data)
        return Response(BookingReviewOutput(review).data, status=status.HTTP_201_CREATED)


class BookingReviewReplyApi(APIView):
    """The company (owner, dispatcher) replies to the booking's review, once."""

    @extend_schema(request=ReplyInput, responses=BookingReviewOutput)
    def post(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        data = parse(ReplyInput, request.data)
        review = review_reply(access=access, reply=data["reply"])
        return Response(BookingReviewOutput(review).data)


class CompanyReviewListApi(APIView):
    """A company's reviews, newest first (public; an unverified company is 404 to outsiders)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ReviewOutput(many=True))
    def get(self, request: Request, company_id: int) -> Response:
        reviews = review_list_for_company(user=request.user, company_id=company_id)
        return paginate(request, reviews, ReviewOutput)
