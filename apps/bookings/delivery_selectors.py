"""Reads of what a completed job leaves behind: its invoice and its proof-of-delivery photos.

Both are visible to the booking's customer and its company's staff (booking_get_for_user
decides; anyone else gets 404). The company's own invoice list and lookup by number serve the
staff dashboard (the company is the signed-in staff member's).
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.bookings.models import Booking, BookingPhoto, Invoice
from apps.companies.models import Company
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


def invoice_list_for_company(*, company: Company) -> QuerySet[Invoice]:
    """The company's invoices, newest first (the staff dashboard's list)."""
    return (
        Invoice.objects.filter(company=company)
        .select_related("booking")
        .order_by("-issued_at", "-number")
    )


def invoice_get_for_company(*, company: Company, number: int) -> Invoice:
    """One of the company's invoices by its number, with its lines; NotFound otherwise."""
    invoice = (
        Invoice.objects.filter(company=company, number=number)
        .select_related("booking")
        .prefetch_related("lines")
        .first()
    )
    if invoice is None:
        raise NotFound("Invoice not found.")
    return invoice
