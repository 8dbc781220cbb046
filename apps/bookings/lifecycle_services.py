"""The lifecycle steps of a booking after scheduling: start, complete (with the invoice), cancel.

Each step is one transaction that locks the company row, then the booking row (the project's
one lock order, apps/companies/locking.py), re-reads the caller's capacity under the lock,
checks WHO may take the step and FROM WHICH state (BOOKING_LIFECYCLE), writes the timestamps,
appends the BookingEvent and tells the notifications service. A refused step writes nothing.

Who may do what (403 `permission_denied` otherwise; anyone else never sees the booking: 404):
- start, complete: the company's owner and dispatchers, and the driver on the booking's live
  allocation;
- cancel: the booking's customer, the company's owner and dispatchers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.events import booking_event_append
from apps.bookings.invoice_services import InvoiceExtra, invoice_issue
from apps.bookings.models import BOOKING_LIFECYCLE, Booking
from apps.bookings.notification_services import booking_notify
from apps.bookings.reminder_services import reminders_cancel
from apps.bookings.schedule_services import allocations_release
from apps.bookings.selectors import BookingAccess, booking_expected_start, booking_get_for_user
from apps.companies.locking import company_lock
from apps.core.errors import Invalid, InvalidTransition, PermissionDenied
from apps.pricing.engine.cancellation import Cancellation, cancellation_fee
from apps.pricing.engine.rules import rules_parse
from apps.pricing.engine.values import decimal_text

Status = Booking.Status


def _locked_access(*, booking: Booking, actor: User) -> BookingAccess:
    """The booking locked (company row first, then the booking) and the actor's capacity now."""
    company_lock(company_id=booking.company_id)
    return booking_get_for_user(user=actor, booking_id=booking.pk, for_update=True)


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise PermissionDenied(f"You may not {action} this booking.")


@transaction.atomic
def booking_start(*, booking: Booking, actor: User) -> Booking:
    """scheduled -> in_progress, by staff or the assigned driver, from
    BOOKING_START_EARLIEST_HOURS before the scheduled start on."""
    access = _locked_access(booking=booking, actor=actor)
    booking = access.booking
    _require(access.is_manager or access.is_assigned_driver, "start")
    previous = booking.status
    BOOKING_LIFECYCLE.require(previous, to=Status.IN_PROGRESS)
    now = timezone.now()
    assert booking.scheduled_start is not None  # a scheduled booking has its period (a CHECK)
    earliest = booking.scheduled_start - timedelta(hours=settings.BOOKING_START_EARLIEST_HOURS)
    if now < earliest:
        raise InvalidTransition(
            f"This job can be started from {earliest.isoformat()} on.",
            details={"from": previous, "to": Status.IN_PROGRESS, "earliest": earliest.isoformat()},
        )
    BOOKING_LIFECYCLE.apply(booking, to=Status.IN_PROGRESS)
    booking.started_at = now
    booking.save(update_fields=["status", "started_at", "updated_at"])
    booking_event_append(booking=booking, kind="started", actor=actor, data={"from": previous})
    booking_notify(booking=booking, kind="started", actor=actor)
    return booking


def _handover_attempts_key(booking: Booking) -> str:
    return f"bookings:handover-attempts:{booking.pk}"


def _handover_check(*, booking: Booking, code: str | None, note: str) -> bool:
    """Whether the customer's code was given and right; Invalid (400) for a wrong code.

    Wrong codes are counted per booking (in the cache, which a rolled-back transaction does not
    undo); after BOOKING_HANDOVER_MAX_ATTEMPTS the code is no longer accepted, so it cannot be
    guessed, and the completion must record why there is no code (`handover_note`).
    """
    if code is None:
        if not note:
            raise Invalid(details={"handover_note": ["Required when there is no handover_code."]})
        return False
    key = _handover_attempts_key(booking)
    if (cache.get(key) or 0) >= settings.BOOKING_HANDOVER_MAX_ATTEMPTS:
        raise Invalid(
            details={"handover_code": ["Too many wrong codes: record a handover_note instead."]}
        )
    if code != booking.handover_code:
        cache.add(key, 0, timeout=settings.BOOKING_HANDOVER_LOCK_SECONDS)
        cache.incr(key)
        raise Invalid(details={"handover_code": ["This is not the customer's handover code."]})
    return True


@transaction.atomic
def booking_complete(
    *,
    booking: Booking,
    actor: User,
    actual_hours: Decimal | None = None,
    extras: Sequence[InvoiceExtra] = (),
    handover_code: str | None = None,
    handover_note: str = "",
) -> Booking:
    """in_progress -> completed, by staff or the assigned driver, and issue the invoice.

    The driver proves the handover with the customer's 6-digit code, or records why not
    (`handover_note`). The invoice (invoice_services) is issued in this transaction: a refused
    completion issues nothing and takes no invoice number.
    """
    access = _locked_access(booking=booking, actor=actor)
    booking = access.booking
    _require(access.is_manager or access.is_assigned_driver, "complete")
    previous = BOOKING_LIFECYCLE.apply(booking, to=Status.COMPLETED)
    verified = _handover_check(booking=booking, code=handover_code, note=handover_note)
    now = timezone.now()
    booking.completed_at = now
    booking.actual_hours = actual_hours
    booking.handover_verified = verified
    booking.handover_note = handover_note
    booking.save(
        update_fields=[
            "status",
            "completed_at",
            "actual_hours",
            "handover_verified",
            "handover_note",
            "updated_at",
        ]
    )
    invoice = invoice_issue(
        booking=booking, actual_hours=actual_hours, extras=extras, issued_at=now
    )
    data = {
        "from": previous,
        "actual_hours": decimal_text(actual_hours) if actual_hours is not None else None,
        "handover_verified": verified,
        "invoice_number": invoice.number,
        "invoice_total": decimal_text(invoice.total),
    }
    booking_event_append(booking=booking, kind="completed", actor=actor, data=data)
    booking_notify(booking=booking, kind="completed", actor=actor)
    return booking


def _cancellation_policy(booking: Booking) -> Cancellation | None:
    """The cancellation block of the rules version the booking's quote was priced with."""
    rules = rules_parse(booking.quote.pricing_config.rules)
    return rules.cancellation


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User, reason: str = "") -> Booking:
    """confirmed|scheduled -> cancelled, by the customer or staff; releases the allocations.

    A customer cancelling within the notice period of the quote's pricing version owes the fee
    (recorded on the booking and in the event); a cancellation by the company costs the
    customer nothing.
    """
    access = _locked_access(booking=booking, actor=actor)
    booking = access.booking
    _require(access.is_customer or access.is_manager, "cancel")
    previous = BOOKING_LIFECYCLE.apply(booking, to=Status.CANCELLED)
    now = timezone.now()
    fee = None
    if access.is_customer:
        fee = cancellation_fee(
            policy=_cancellation_policy(booking),
            total=booking.total,
            currency=booking.currency,
            cancelled_at=now,
            starts_at=booking_expected_start(booking=booking),
        )
    booking.cancelled_at = now
    booking.cancellation_fee = fee
    booking.save(update_fields=["status", "cancelled_at", "cancellation_fee", "updated_at"])
    # Notify while the drivers are still allocated, so the crew taken off the job is told too.
    booking_notify(booking=booking, kind="cancelled", actor=actor)
    released = allocations_release(booking=booking, at=now)
    data = {
        "from": previous,
        "by": "customer" if access.is_customer else "company",
        "reason": reason,
        "cancellation_fee": decimal_text(fee) if fee is not None else None,
        "currency": booking.currency,
        "allocations_released": released,
    }
    booking_event_append(booking=booking, kind="cancelled", actor=actor, data=data)
    reminders_cancel(booking=booking)
    return booking
