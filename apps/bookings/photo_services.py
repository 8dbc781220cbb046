"""Proof-of-delivery photos: checked and stored with the verification app's file functions.

JPEG and PNG only, judged by content (magic bytes), at most BOOKING_PHOTO_MAX_BYTES, under a
random key. Uploaded by the company's owner/dispatchers or the assigned driver while the job
is in progress or completed; at most BOOKING_PHOTO_MAX_PER_BOOKING per booking.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.db import transaction

from apps.accounts.models import User
from apps.bookings.models import Booking, BookingPhoto
from apps.bookings.selectors import booking_get_for_user
from apps.companies.locking import company_lock
from apps.core.errors import Invalid, InvalidTransition, PermissionDenied
from apps.verification import files

PHOTO_RULES = files.FileRules(
    accepted={"image/jpeg": "jpg", "image/png": "png"},
    max_bytes_setting="BOOKING_PHOTO_MAX_BYTES",
    description="JPEG and PNG images",
)
PHOTO_STATES = frozenset({Booking.Status.IN_PROGRESS, Booking.Status.COMPLETED})


def _photo_check(*, booking: Booking, actor: User, for_update: bool) -> None:
    """Who (staff managers, the assigned driver), when (in progress or completed), how many."""
    access = booking_get_for_user(user=actor, booking_id=booking.pk, for_update=for_update)
    if not (access.is_manager or access.is_assigned_driver):
        raise PermissionDenied("Only the company's managers and the assigned driver add photos.")
    booking = access.booking
    if booking.status not in PHOTO_STATES:
        raise InvalidTransition(
            f"Photos are taken while the job is in progress or completed, not {booking.status}.",
            details={"status": booking.status},
        )
    maximum = settings.BOOKING_PHOTO_MAX_PER_BOOKING
    if BookingPhoto.objects.filter(booking=booking).count() >= maximum:
        raise Invalid(details={"file": [f"A booking has at most {maximum} photos."]})


def booking_photo_upload(
    *, booking: Booking, actor: User, file: IO[bytes], declared_type: str | None
) -> BookingPhoto:
    """Check the file (400 when refused), store it under a random key, record it.

    Who, when and how many are checked first (nothing is read or stored for a refused
    caller), and again under the company lock when the row is written (one transaction). The
    file is stored before the row; if the transaction then fails, the file is deleted again.
    """
    _photo_check(booking=booking, actor=actor, for_update=False)
    measured = files.measure_stream(
        files.file_chunks(file), declared_type=declared_type, rules=PHOTO_RULES
    )
    key = files.random_key(
        prefix=f"bookings/{booking.company_id}/{booking.pk}",
        content_type=measured.content_type,
        rules=PHOTO_RULES,
    )
    files.file_save(key=key, file=file)
    try:
        with transaction.atomic():
            company_lock(company_id=booking.company_id)
            _photo_check(booking=booking, actor=actor, for_update=True)
            photo = BookingPhoto.objects.create(
                company_id=booking.company_id,
                booking=booking,
                file_key=key,
                file_size=measured.size,
                file_content_type=measured.content_type,
                file_sha256=measured.sha256,
                uploaded_by=actor,
            )
    except BaseException:
        files.file_delete(key=key)
        raise
    return photo
