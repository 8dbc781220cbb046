"""Lifecycle API (start, complete, cancel), the invoice (JSON, HTML, PDF) and delivery photos."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.bookings.api.serializers import BookingOutput, booking_view_data
from apps.bookings.api.serializers_lifecycle import (
    CancelInput,
    CompleteInput,
    InvoiceOutput,
    PhotoOutput,
    PhotoUploadInput,
    StartInput,
    complete_arguments,
)
from apps.bookings.api.views_requests import IDEMPOTENCY_PARAMETER
from apps.bookings.delivery_selectors import (
    invoice_get_for_booking,
    photo_get_for_booking,
    photo_list_for_booking,
)
from apps.bookings.invoice_render import InvoiceHtmlRenderer, InvoicePdfRenderer
from apps.bookings.lifecycle_services import booking_cancel, booking_complete, booking_start
from apps.bookings.photo_services import PHOTO_RULES, booking_photo_upload
from apps.bookings.selectors import booking_get_for_user
from apps.core.idempotency import idempotent
from apps.core.middleware import refuse_body_over
from apps.core.pagination import paginate
from apps.core.serializers import parse
from apps.verification.files import served_over_asgi, stored_file_response


class BookingStartApi(APIView):
    """scheduled -> in_progress (owner, dispatcher, the assigned driver)."""

    @extend_schema(request=StartInput, responses={200: BookingOutput})
    def post(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        parse(StartInput, request.data)
        booking = booking_start(booking=access.booking, actor=request.user)
        return Response(booking_view_data(booking, viewer_id=request.user.pk))


class BookingCompleteApi(APIView):
    """in_progress -> completed with the handover code or note; issues the invoice."""

    @extend_schema(
        request=CompleteInput, responses={200: BookingOutput}, parameters=[IDEMPOTENCY_PARAMETER]
    )
    @idempotent
    def post(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        data = parse(CompleteInput, request.data)
        booking = booking_complete(
            booking=access.booking, actor=request.user, **complete_arguments(data)
        )
        return Response(booking_view_data(booking, viewer_id=request.user.pk))


class BookingCancelApi(APIView):
    """confirmed|scheduled -> cancelled (the customer, owner, dispatcher)."""

    @extend_schema(
        request=CancelInput, responses={200: BookingOutput}, parameters=[IDEMPOTENCY_PARAMETER]
    )
    @idempotent
    def post(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        data = parse(CancelInput, request.data)
        booking = booking_cancel(booking=access.booking, actor=request.user, reason=data["reason"])
        return Response(booking_view_data(booking, viewer_id=request.user.pk))


class BookingInvoiceApi(APIView):
    """The booking's invoice (its customer and the company's staff; 404 until completed).

    JSON by default; `?format=pdf` or `Accept: application/pdf` for the PDF, `?format=html` or
    `Accept: text/html` for a printable page. Errors are always JSON.
    """

    renderer_classes = [JSONRenderer, InvoicePdfRenderer, InvoiceHtmlRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=["json", "pdf", "html"], description="instead of Accept"
            )
        ],
        responses={
            (200, "application/json"): InvoiceOutput,
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            (200, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="printable page"),
        },
    )
    def get(self, request: Request, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        invoice = invoice_get_for_booking(booking=access.booking)
        response = Response(InvoiceOutput(invoice).data)
        response["Cache-Control"] = "private, no-store"
        if request.accepted_renderer.format == InvoicePdfRenderer.format:
            filename = f"invoice-{invoice.company_id}-{invoice.number}.pdf"
            response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def handle_exception(self, exc: Exception) -> Response:
        """Errors leave in the JSON envelope whatever format was asked for."""
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class BookingPhotoListApi(APIView):
    """Proof-of-delivery photos: list (customer, staff); add one (managers, assigned driver)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("page", int, description="page number, from 1"),
            OpenApiParameter("page_size", int, description="up to 100 (default 20)"),
        ],
        responses={200: PhotoOutput(many=True)},
    )
    def get(self, request: Request, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        return paginate(request, photo_list_for_booking(booking=access.booking), PhotoOutput)

    @extend_schema(request={"multipart/form-data": PhotoUploadInput}, responses={201: PhotoOutput})
    def post(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        refuse_body_over(
            request,
            limit=2 * settings.BOOKING_PHOTO_MAX_BYTES,
            what=f"photos may be at most {settings.BOOKING_PHOTO_MAX_BYTES} bytes",
        )
        upload = parse(PhotoUploadInput, request.data)["file"]
        photo = booking_photo_upload(
            booking=access.booking,
            actor=request.user,
            file=upload,
            declared_type=upload.content_type,
        )
        return Response(PhotoOutput(photo).data, status=status.HTTP_201_CREATED)


class BookingPhotoFileApi(APIView):
    """A photo's file (customer, staff): streamed, or a signed URL redirect on S3."""

    @extend_schema(
        responses={
            **{
                (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="the photo")
                for content_type in PHOTO_RULES.accepted
            },
            302: OpenApiResponse(description="redirect to a short-lived signed S3 URL"),
        }
    )
    def get(self, request: Request, booking_id: int, photo_id: int) -> HttpResponseBase:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        photo = photo_get_for_booking(booking=access.booking, photo_id=photo_id)
        return stored_file_response(
            key=photo.file_key,
            content_type=photo.file_content_type,
            filename=f"booking-{photo.booking_id}-photo-{photo.pk}",
            asynchronous=served_over_asgi(request),
        )
