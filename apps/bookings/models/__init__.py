"""Bookings' models, one module per seam; import them from here (`apps.bookings.models`).

- booking.py: MoveRequest, Quote, Booking, BOOKING_LIFECYCLE, BookingEvent (append-only)
- allocations.py: TruckAllocation, DriverAllocation (no double-booking: exclusion constraints)
- invoicing.py: InvoiceCounter, Invoice, InvoiceLine (immutable once issued: triggers)
- engagement.py: Reminder, Notification, BookingMessage, Review, BookingPhoto
- deliveries.py: NotificationDelivery (the e-mail/SMS a notification sends, once)
"""

from apps.bookings.models.allocations import DriverAllocation, TruckAllocation
from apps.bookings.models.booking import (
    BOOKING_LIFECYCLE,
    Booking,
    BookingEvent,
    MoveRequest,
    Quote,
)
from apps.bookings.models.deliveries import NotificationDelivery
from apps.bookings.models.engagement import (
    BookingMessage,
    BookingPhoto,
    Notification,
    Reminder,
    Review,
)
from apps.bookings.models.invoicing import Invoice, InvoiceCounter, InvoiceLine

__all__ = [
    "BOOKING_LIFECYCLE",
    "Booking",
    "BookingEvent",
    "BookingMessage",
    "BookingPhoto",
    "DriverAllocation",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "MoveRequest",
    "Notification",
    "NotificationDelivery",
    "Quote",
    "Reminder",
    "Review",
    "TruckAllocation",
]
