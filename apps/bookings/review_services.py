"""Reviews: the customer rates a completed booking once; the company replies once.

The company's `review_count` and `rating_sum` (what search and detail show as `rating`) move
in the review's own transaction with F() updates, never read-modify-write: concurrent reviews
of one company's bookings queue on the company row and each adds its own rating to what the
previous one committed. The company's owners and dispatchers are told of a review, the
customer of the reply (notification_services), in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.bookings.events import booking_event_append
from apps.bookings.models import Booking, Review
from apps.bookings.notification_services import booking_notify
from apps.bookings.review_selectors import review_get_for_booking
from apps.bookings.selectors import BookingAccess
from apps.companies.models import Company
from apps.core.errors import AlreadyExists, InvalidTransition, PermissionDenied
from apps.core.integrity import constraint_errors

# The OneToOne on Review.booking: PostgreSQL's name for its inline UNIQUE.
REVIEW_BOOKING_UNIQUE = "bookings_review_booking_id_key"
MIN_RATING = 1
MAX_RATING = 5


def _already_reviewed() -> AlreadyExists:
    return AlreadyExists(
        "This booking has already been reviewed.",
        details={"booking": ["A booking is reviewed once."]},
    )


@transaction.atomic
def review_create(*, access: BookingAccess, rating: int, comment: str = "") -> Review:
    """The booking's customer rates it (1-5) once it is completed; the company's counters follow.

    Staff of the company get PermissionDenied (a company does not review itself); a booking not
    completed is InvalidTransition; a second review is AlreadyExists.
    """
    if not access.is_customer:
        raise PermissionDenied("Only the booking's customer can review it.")
    if not MIN_RATING <= rating <= MAX_RATING:  # the view parsed it; the CHECK constraint too
        raise ValueError(f"rating must be {MIN_RATING}-{MAX_RATING}, not {rating!r}")
    booking = access.booking
    # `completed` is final: once read, it cannot change under us, so no lock on the booking.
    if booking.status != Booking.Status.COMPLETED:
        raise InvalidTransition(
            f"Only a completed booking can be reviewed; this one is {booking.status}."
        )
    if Review.objects.filter(booking=booking).exists():
        raise _already_reviewed()
    # Lock order (apps.companies.locking): the company row first. The UPDATE holds its row lock
    # to commit, so concurrent reviews of this company add up one after another; the CHECK
    # companies_company_rating_in_range keeps the pair sane.
    Company.objects.filter(pk=booking.company_id).update(
        review_count=F("review_count") + 1, rating_sum=F("rating_sum") + rating
    )
    # A concurrent second review of this booking loses on the OneToOne; the counter update
    # above rolls back with it.
    with constraint_errors({REVIEW_BOOKING_UNIQUE: _already_reviewed()}):
        review = Review.objects.create(
            booking=booking,
            company_id=booking.company_id,
            customer=access.user,
            rating=rating,
            comment=comment,
        )
    booking_event_append(
        booking=booking,
        kind="reviewed",
        actor=access.user,
        data={"review": review.pk, "rating": rating},
    )
    booking_notify(booking=booking, kind="reviewed", actor=access.user, review=review)
    return review


@transaction.atomic
def review_reply(*, access: BookingAccess, reply: str) -> Review:
    """The company (owner, dispatcher) answers the booking's review, once.

    No review yet is NotFound (there is nothing to reply to); a second reply is AlreadyExists:
    the conditional UPDATE ... WHERE replied_at IS NULL lets exactly one reply through, however
    many race.
    """
    if not access.is_manager:
        raise PermissionDenied("Only the company's owner or dispatcher can reply to a review.")
    if not reply:
        raise ValueError("reply must not be empty")  # the view parsed it; the CHECK too
    review = review_get_for_booking(access=access)
    replied_at = timezone.now()
    updated = Review.objects.filter(pk=review.pk, replied_at__isnull=True).update(
        reply=reply, replied_at=replied_at, replied_by=access.user
    )
    if not updated:
        raise AlreadyExists(
            "The company has already replied to this review.",
            details={"reply": ["A review gets one reply."]},
        )
    booking_event_append(
        booking=access.booking,
        kind="review_replied",
        actor=access.user,
        data={"review": review.pk},
    )
    review.reply, review.replied_at, review.replied_by = reply, replied_at, access.user
    booking_notify(booking=access.booking, kind="review_replied", actor=access.user, review=review)
    return review
