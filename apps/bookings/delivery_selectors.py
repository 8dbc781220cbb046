"""Reads of what a completed job leaves behind: its invoice and its proof-of-delivery photos.

Both are visible to the booking's customer and its company's staff (booking_get_for_user
decides; anyone else gets 404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.bookings.models import Booking, BookingPhoto, Invoice
from apps.core.errors import NotFound


def invoice_get_for_booking(*, booking: Booking) -> Invoice:
    """The booking's invoice with its lines; NotFound before the booking is completed."""
    invoice = Invoice.objects.filter(booking=booking).prefetch_related("lines").first()
    if invoice is None:
        raise NotFound("This booking has no invoice yet: it is issued on completion.")
    return invoice


def photo_list_for_booking(*, booking: Booking) -> QuerySet[BookingPhoto]:
    """The booking's photos, oldest first."""
    return BookingPhoto.objects.filter(booking=booking).order_by("created_at", "id")


def photo_get_for_booking(*, booking: Booking, photo_id: int) -> BookingPhoto:
    """One photo of the booking; NotFound for another booking's photo."""
    photo = BookingPhoto.objects.filter(booking=booking, pk=photo_id).first()
    if photo is None:
        raise NotFound("Photo not found.")
    return photo
