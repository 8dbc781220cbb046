"""Accepting a quote: the customer's booking, confirmed; the request's other quotes withdrawn."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.events import booking_event_append
from apps.bookings.models import Booking, MoveRequest, Quote
from apps.bookings.notification_services import booking_notify
from apps.bookings.reminder_services import reminders_plan
from apps.bookings.request_selectors import quote_get_for_customer
from apps.companies.locking import company_lock
from apps.core.errors import AlreadyExists, CompanyNotVerified, QuoteExpired
from apps.core.integrity import constraint_errors


def handover_code_new() -> str:
    """A fresh 6-digit proof-of-delivery code from the OS's CSPRNG ("042917")."""
    return f"{secrets.randbelow(10**6):06d}"


def _already_booked(booking_id: int | None = None) -> AlreadyExists:
    message = "This move request is already booked."
    if booking_id is None:
        return AlreadyExists(message)
    return AlreadyExists(f"{message} (booking {booking_id}).", details={"booking": booking_id})


@transaction.atomic
def quote_accept(*, customer: User, quote_id: int, now: datetime | None = None) -> Booking:
    """Book the quote for its request's customer: a `confirmed` Booking with a handover code.

    The request's other quotes are withdrawn; the booking's history starts with `confirmed`;
    reminders are planned and the company told. Refusals (409): the request is already booked
    (`already_exists`, naming the booking), the quote was withdrawn or has expired
    (`quote_expired`), its company is no longer verified (`company_not_verified`). Another
    customer's quote, or the company's own staff: NotFound.
    """
    now = now or timezone.now()
    quote = quote_get_for_customer(user=customer, quote_id=quote_id)
    # Lock order: the company row first (a concurrent suspension waits, or we see it), then
    # the move request. Two accepts of two quotes of one request (two companies) serialise on
    # the request row: the second then reads its quote withdrawn by the first.
    company = company_lock(company_id=quote.company_id)
    move_request = MoveRequest.objects.select_for_update().get(pk=quote.move_request_id)
    quote = Quote.objects.select_related("pricing_config").get(pk=quote.pk)  # as of the lock
    quote.company, quote.move_request = company, move_request
    if quote.status == Quote.Status.ACCEPTED:
        raise _already_booked(Booking.objects.filter(quote=quote).values_list("pk", flat=True)[0])
    if quote.status == Quote.Status.WITHDRAWN:
        raise QuoteExpired("This quote was withdrawn.")
    if quote.expires_at <= now:
        raise QuoteExpired(f"This quote expired at {quote.expires_at.isoformat()}.")
    if not company.is_verified:
        raise CompanyNotVerified(
            "This company is no longer verified; it cannot take bookings. Choose another quote."
        )
    # The locks make these unreachable; the constraints are the backstop that proves it.
    with constraint_errors(
        {
            "bookings_quote_one_accepted_per_request": _already_booked(),
            "bookings_booking_move_request_id_key": _already_booked(),
            "bookings_booking_quote_id_key": _already_booked(),
        }
    ):
        Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.ACCEPTED, updated_at=now)
        quote.status = Quote.Status.ACCEPTED
        booking = Booking.objects.create(
            company=company,
            customer=customer,
            move_request=move_request,
            quote=quote,
            status=Booking.Status.CONFIRMED,
            currency=quote.currency,
            total=quote.total,
            handover_code=handover_code_new(),
        )
    Quote.objects.filter(move_request=move_request, status=Quote.Status.OPEN).exclude(
        pk=quote.pk
    ).update(status=Quote.Status.WITHDRAWN, withdrawn_at=now, updated_at=now)
    booking_event_append(
        booking=booking,
        kind="confirmed",
        actor=customer,
        data={"quote": quote.pk, "total": f"{quote.total:f}", "currency": quote.currency},
    )
    reminders_plan(booking=booking)
    booking_notify(booking=booking, kind="confirmed", actor=customer)
    return booking
