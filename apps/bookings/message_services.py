"""The message thread of a booking: its customer and the company's staff write to each other."""

from __future__ import annotations

from django.db import transaction

from apps.bookings.models import BookingMessage
from apps.bookings.notification_services import booking_notify
from apps.bookings.selectors import BookingAccess


@transaction.atomic
def booking_message_post(*, access: BookingAccess, body: str) -> BookingMessage:
    """Add the caller's message to the booking's thread and notify the other side.

    `access` comes from booking_get_for_user (the customer or the company's staff). Any state
    is fine: questions come before the move and after it (an invoice, a lost item).
    Live delivery over the booking socket comes with tracking: it will hang on this commit
    (a channel-layer group_send queued with transaction.on_commit, like the notifications).
    """
    message = BookingMessage.objects.create(booking=access.booking, author=access.user, body=body)
    message.author_role = "customer" if access.is_customer else "staff"  # type: ignore[attr-defined]
    booking_notify(booking=access.booking, kind="message", actor=access.user, message=message)
    return message
