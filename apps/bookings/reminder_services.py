"""Booking reminders: planned on confirm/schedule, re-planned on reschedule, sent exactly once.

Planning (inside the lifecycle service's transaction, the booking row locked by the caller):
the customer 24 h and 2 h before the start, the crew (the drivers on live allocations) the
evening before at BOOKING_CREW_REMINDER_TIME in the company's time zone. The start is the
booking's expected start (selectors.booking_expected_start: the scheduled start, else the
request's window start, else BOOKING_WORKDAY_START_HOUR on the move date in the company's time
zone). "24 h before" is 24 real hours (computed in UTC), so a
daylight-saving change in between does not shift it; the crew's "18:00" is local wall time.
Reminders that would be due in the past are not planned.

Sending: the beat sweep (every minute) takes due rows and delivers each in its own transaction
with apps/core/delivery.py (the row locked with SKIP LOCKED, `status`/`sent_at` written with the
send), so two sweeps never send one reminder twice and a sweep killed mid-send leaves the row
planned for the next one. One transaction per reminder, not per batch: a kill repeats at most
the one message in flight.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from apps.bookings.emails import reminder_notice
from apps.bookings.models import Booking, Notification, Reminder
from apps.bookings.notification_services import notification_deliveries_send_stale
from apps.bookings.selectors import booking_driver_user_ids, booking_expected_start
from apps.companies.models import Driver
from apps.core.delivery import row_deliver_once
from apps.core.messaging import sms_send

Kind = Reminder.Kind
ACTIVE = (Booking.Status.CONFIRMED, Booking.Status.SCHEDULED)
RETRY_BASE = timedelta(minutes=1)


def _crew_due(*, booking: Booking, start: datetime) -> datetime:
    zone = ZoneInfo(booking.company.timezone)
    evening_before = start.astimezone(zone).date() - timedelta(days=1)
    at = time.fromisoformat(settings.BOOKING_CREW_REMINDER_TIME)
    return datetime.combine(evening_before, at, tzinfo=zone).astimezone(UTC)


def reminders_plan(
    *,
    booking: Booking,
    now: datetime | None = None,
    driver_user_ids: Collection[int] | None = None,
) -> list[Reminder]:
    """(Re)plan the booking's reminders from its current window/schedule; cancel stale ones.

    Planned reminders are cancelled and planned afresh; sent ones stay sent (a reschedule may
    plan a new 24 h reminder for the new time). Only confirmed and scheduled bookings get any.
    `driver_user_ids`: the users of the booking's live drivers when the caller has just read
    them (booking_schedule); read here otherwise.
    """
    now = now or timezone.now()
    reminders_cancel(booking=booking)
    if booking.status not in ACTIVE:
        return []
    start = booking_expected_start(booking=booking).astimezone(UTC)
    wanted = [
        (Kind.CUSTOMER_DAY_BEFORE, booking.customer_id, start - timedelta(hours=24)),
        (Kind.CUSTOMER_SOON, booking.customer_id, start - timedelta(hours=2)),
    ]
    if booking.status == Booking.Status.SCHEDULED:
        crew_due = _crew_due(booking=booking, start=start)
        if driver_user_ids is None:
            driver_user_ids = booking_driver_user_ids(booking=booking)
        wanted += [(Kind.CREW_EVENING, user_id, crew_due) for user_id in sorted(driver_user_ids)]
    return Reminder.objects.bulk_create(
        Reminder(
            company_id=booking.company_id,
            booking=booking,
            kind=kind,
            recipient_id=recipient_id,
            due_at=due_at,
        )
        for kind, recipient_id, due_at in wanted
        if due_at > now
    )


def reminders_cancel(*, booking: Booking) -> int:
    """Cancel every planned reminder of the booking (it was cancelled); sent ones stay sent."""
    return Reminder.objects.filter(booking=booking, status=Reminder.Status.PLANNED).update(
        status=Reminder.Status.CANCELLED
    )


def _reminder_send(reminder: Reminder) -> None:
    """The in-app notice plus one outside message: e-mail the day before, SMS 2 h before and
    to the crew (each falls back to the other channel when the recipient has no such address)."""
    notice = reminder_notice(reminder=reminder)
    recipient = reminder.recipient
    Notification.objects.create(
        user=recipient,
        booking=reminder.booking,
        kind="reminder",
        title=notice.title,
        body=notice.body,
        data={"booking": reminder.booking_id, "reminder": reminder.kind},
    )
    phone = recipient.phone
    if reminder.kind == Kind.CREW_EVENING:
        driver = Driver.objects.filter(
            company_id=reminder.company_id, membership__user=recipient
        ).first()
        phone = driver.phone if driver is not None else phone
    prefers_sms = reminder.kind != Kind.CUSTOMER_DAY_BEFORE
    if phone and (prefers_sms or not recipient.email):
        sms_send(to=phone, body=notice.sms)
    elif recipient.email:
        send_mail(notice.email_subject, notice.email_body, None, [recipient.email])


def reminder_deliver(*, reminder_id: int) -> bool:
    """Send one due reminder unless it was sent, cancelled or is being sent; True if sent here."""
    pending = Reminder.objects.select_related(
        "booking__company", "booking__move_request", "booking__customer", "recipient"
    ).filter(
        status=Reminder.Status.PLANNED,
        attempts__lt=settings.BOOKING_REMINDER_MAX_ATTEMPTS,
        booking__status__in=ACTIVE,
    )
    delivery = row_deliver_once(
        pending=pending,
        pk=reminder_id,
        send=_reminder_send,
        sent_update={"status": Reminder.Status.SENT},
        log_event="bookings.reminder_failed",
    )
    return delivery.sent


def _due(now: datetime) -> Q:
    """Due now: a first try at `due_at`, retries backing off 1, 3, 7, 15 min after it."""
    due = Q()
    for attempts in range(settings.BOOKING_REMINDER_MAX_ATTEMPTS):
        due |= Q(attempts=attempts, due_at__lte=now - RETRY_BASE * (2**attempts - 1))
    return due


def reminders_send_due(*, now: datetime | None = None) -> dict[str, int]:
    """The minute sweep: drop what can no longer go out, send what is due, catch up deliveries.

    Safe to run concurrently with itself: each reminder is claimed with SKIP LOCKED.
    """
    now = now or timezone.now()
    planned = Reminder.objects.filter(status=Reminder.Status.PLANNED)
    # The booking left confirmed/scheduled without its reminders being cancelled: cancel them.
    cancelled = planned.exclude(booking__status__in=ACTIVE).update(status=Reminder.Status.CANCELLED)
    grace = timedelta(minutes=settings.BOOKING_REMINDER_GRACE_MINUTES)
    missed = planned.filter(attempts__gte=settings.BOOKING_REMINDER_MAX_ATTEMPTS).update(
        status=Reminder.Status.FAILED  # gave up: last_error says why
    )
    missed += planned.filter(due_at__lt=now - grace).update(
        status=Reminder.Status.FAILED, last_error="Not sent in time."
    )
    due_ids = list(
        planned.filter(_due(now))
        .order_by("due_at", "id")
        .values_list("pk", flat=True)[: settings.BOOKING_SWEEP_BATCH]
    )
    sent = sum(reminder_deliver(reminder_id=reminder_id) for reminder_id in due_ids)
    return {
        "sent": sent,
        "cancelled": cancelled,
        "missed": missed,
        "deliveries": notification_deliveries_send_stale(now=now),
    }
