"""Notifications about a booking: in-app rows plus e-mail/SMS, queued after the commit.

Who hears about what (the actor never hears about their own action, but for the customer's
receipts: accepting a quote (`confirmed`) and cancelling (`cancelled`, with any fee)):
- the customer: every status change, every message from the company, the company's reply to
  their review (`review_replied`);
- the company's owners and dispatchers: every status change, every message from the customer,
  a new review (`reviewed`);
- the assigned drivers (live allocations): schedule changes (scheduled, rescheduled,
  cancelled); the drivers a reschedule takes off the job are told `unassigned`.

Outside the app: the customer gets an e-mail for every status change, message from the company
and review reply, and an SMS for the ones that change when the truck comes (scheduled,
rescheduled, cancelled, started; not their own cancellation); owners and dispatchers get an
e-mail for a new booking, a cancellation and a review. Drivers hear in the app only. Each
e-mail/SMS is a NotificationDelivery row written in the event's transaction and sent once by a
task after the commit (apps/core/delivery.py); the reminder sweep sends the ones a lost task
left behind.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.emails import (
    Notice,
    event_notice,
    message_notice,
    review_notice,
    unassigned_notice,
)
from apps.bookings.models import (
    Booking,
    BookingMessage,
    Notification,
    NotificationDelivery,
    Review,
)
from apps.bookings.realtime import booking_broadcast
from apps.bookings.selectors import booking_driver_user_ids
from apps.companies.selectors import MANAGER_ROLES
from apps.core.delivery import row_deliver_once
from apps.core.errors import NotFound
from apps.core.messaging import sms_send
from apps.core.tasks import enqueue_on_commit

Channel = NotificationDelivery.Channel

DRIVER_KINDS = frozenset({"scheduled", "rescheduled", "cancelled"})
LIVE_STATUS_KINDS = frozenset(
    {"confirmed", "scheduled", "rescheduled", "started", "completed", "cancelled"}
)
CUSTOMER_RECEIPT_KINDS = frozenset({"confirmed", "cancelled"})
REVIEW_KINDS = frozenset({"reviewed", "review_replied"})
CUSTOMER_EMAIL_KINDS = frozenset(
    {
        "confirmed",
        "scheduled",
        "rescheduled",
        "started",
        "completed",
        "cancelled",
        "message",
        "review_replied",
    }
)
CUSTOMER_SMS_KINDS = frozenset({"scheduled", "rescheduled", "cancelled", "started"})
STAFF_EMAIL_KINDS = frozenset({"confirmed", "cancelled", "reviewed"})


class NotificationDeliveryFailed(Exception):
    """The e-mail or SMS could not be sent; the row stays unsent and is retried."""


def _staff(booking: Booking) -> list[User]:
    return list(
        User.objects.filter(
            memberships__company_id=booking.company_id,
            memberships__role__in=MANAGER_ROLES,
            memberships__is_active=True,
        ).order_by("pk")
    )


def _audience(
    booking: Booking, kind: str, actor: User | None, driver_user_ids: Collection[int]
) -> list[tuple[User, str]]:
    """(user, "customer" | "staff" | "driver") for everyone who hears about `kind`."""
    actor_id = actor.pk if actor is not None else None
    customer_side = [(booking.customer, "customer")]
    if kind == "review_replied":
        return customer_side
    staff_side = [(user, "staff") for user in _staff(booking)]
    if kind == "message":  # the other side of the thread only
        audience = staff_side if actor_id == booking.customer_id else customer_side
    elif kind == "reviewed":
        audience = staff_side
    else:
        audience = customer_side + staff_side
        if kind in DRIVER_KINDS:
            seen = {user.pk for user, _ in audience}
            drivers = User.objects.filter(pk__in=driver_user_ids)
            audience += [(user, "driver") for user in drivers.order_by("pk") if user.pk not in seen]
    return [
        (user, side)
        for user, side in audience
        if user.pk != actor_id or (side == "customer" and kind in CUSTOMER_RECEIPT_KINDS)
    ]


def _deliveries(
    *, kind: str, side: str, user: User, notice: Notice, is_actor: bool
) -> list[NotificationDelivery]:
    deliveries = []
    email_kinds = CUSTOMER_EMAIL_KINDS if side == "customer" else STAFF_EMAIL_KINDS
    if side != "driver" and kind in email_kinds and user.email:
        deliveries.append(
            NotificationDelivery(
                channel=Channel.EMAIL,
                to=user.email,
                subject=notice.email_subject[:255],
                body=notice.email_body,
            )
        )
    sms_wanted = side == "customer" and kind in CUSTOMER_SMS_KINDS and not is_actor
    if sms_wanted and user.phone:
        deliveries.append(NotificationDelivery(channel=Channel.SMS, to=user.phone, body=notice.sms))
    return deliveries


def _notice(
    *,
    booking: Booking,
    kind: str,
    user: User,
    side: str,
    is_actor: bool,
    message: BookingMessage | None,
    review: Review | None,
) -> Notice:
    if kind == "message" and message is not None:
        return message_notice(booking=booking, message=message, recipient=user)
    if kind in REVIEW_KINDS and review is not None:
        return review_notice(booking=booking, review=review, kind=kind, recipient=user)
    return event_notice(
        booking=booking,
        kind=kind,
        recipient=user,
        is_customer=side == "customer",
        is_actor=is_actor,
    )


def _live_event_send(*, booking: Booking, kind: str, message: BookingMessage | None) -> None:
    """The booking socket's share of the news (after the commit): a status change as `status`,
    a message as `message` (its `author_role` set by booking_message_post); reviews and
    unassignments are not live events."""
    if kind == "message" and message is not None:
        event = {
            "type": "message",
            "id": message.pk,
            "author": message.author_id,
            "author_role": message.author_role,  # type: ignore[attr-defined]  # set by booking_message_post
            "body": message.body,
            "created_at": message.created_at.isoformat(),
        }
    elif kind in LIVE_STATUS_KINDS:
        event = {"type": "status", "status": booking.status, "kind": kind}
    else:
        return
    booking_broadcast(booking_id=booking.pk, event=event)


def booking_notify(
    *,
    booking: Booking,
    kind: str,
    actor: User | None,
    message: BookingMessage | None = None,
    review: Review | None = None,
    unassigned_user_ids: Collection[int] = (),
    driver_user_ids: Collection[int] | None = None,
) -> list[Notification]:
    """Tell the booking's customer and its company's staff (not the actor) that `kind` happened.

    `kind` is the BookingEvent kind (confirmed, scheduled, rescheduled, started, completed,
    cancelled, reviewed, review_replied; pass the `review` for the last two) or "message" (pass
    the `message`). `unassigned_user_ids`: the users of the drivers the step took off the job
    (a reschedule reads them before releasing the allocations); those no longer on it are told
    `unassigned`. `driver_user_ids`: the users of the booking's live drivers when the caller
    has just read them (booking_schedule); read here otherwise. Rows are written in the
    caller's transaction; e-mail/SMS are queued on commit.
    """
    _live_event_send(booking=booking, kind=kind, message=message)
    actor_id = actor.pk if actor is not None else None
    pending: list[tuple[Notification, list[NotificationDelivery]]] = []
    data: dict = {"booking": booking.pk, "status": booking.status}
    if message is not None:
        data["message"] = message.pk
    if review is not None:
        data["review"] = review.pk
    if driver_user_ids is None and (kind in DRIVER_KINDS or unassigned_user_ids):
        driver_user_ids = booking_driver_user_ids(booking=booking)
    for user, side in _audience(booking, kind, actor, driver_user_ids or ()):
        is_actor = user.pk == actor_id
        notice = _notice(
            booking=booking,
            kind=kind,
            user=user,
            side=side,
            is_actor=is_actor,
            message=message,
            review=review,
        )
        notification = Notification(
            user=user, booking=booking, kind=kind, title=notice.title, body=notice.body, data=data
        )
        deliveries = _deliveries(kind=kind, side=side, user=user, notice=notice, is_actor=is_actor)
        pending.append((notification, deliveries))
    if unassigned_user_ids:
        taken_off = set(unassigned_user_ids) - set(driver_user_ids or ())
        for user in User.objects.filter(pk__in=taken_off - {actor_id}).order_by("pk"):
            notice = unassigned_notice(booking=booking, recipient=user)
            notification = Notification(
                user=user,
                booking=booking,
                kind="unassigned",
                title=notice.title,
                body=notice.body,
                data=data,
            )
            pending.append((notification, []))
    return _notifications_store(pending)


def user_notify(
    *,
    user: User,
    kind: str,
    title: str,
    body: str,
    data: dict,
    email_subject: str = "",
    email_body: str = "",
    sms: str = "",
) -> Notification:
    """A notice about something that is not a booking (a cargo shipment's status change): an
    in-app row for `user`, plus an e-mail (when `email_body` is given and the user has an
    address) and an SMS (when `sms` is given and the user has a phone), sent after the commit by
    the same delivery rows and task as booking notices. Written in the caller's transaction."""
    notification = Notification(user=user, kind=kind, title=title[:200], body=body, data=data)
    deliveries = []
    if email_body and user.email:
        deliveries.append(
            NotificationDelivery(
                channel=Channel.EMAIL, to=user.email, subject=email_subject[:255], body=email_body
            )
        )
    if sms and user.phone:
        deliveries.append(NotificationDelivery(channel=Channel.SMS, to=user.phone, body=sms))
    return _notifications_store([(notification, deliveries)])[0]


def _notifications_store(
    pending: list[tuple[Notification, list[NotificationDelivery]]],
) -> list[Notification]:
    notifications = Notification.objects.bulk_create([notification for notification, _ in pending])
    deliveries = []
    for notification, planned in pending:
        for delivery in planned:
            delivery.notification = notification
            deliveries.append(delivery)
    NotificationDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        _delivery_queue(delivery.pk)
    return notifications


def _delivery_queue(delivery_id: int) -> None:
    from apps.bookings.tasks import booking_notification_deliver_task  # tasks import us: late

    enqueue_on_commit(booking_notification_deliver_task, delivery_id)


def _delivery_send(delivery: NotificationDelivery) -> None:
    if delivery.channel == Channel.SMS:
        sms_send(to=delivery.to, body=delivery.body)
    else:
        send_mail(delivery.subject, delivery.body, None, [delivery.to])


def notification_delivery_send(*, delivery_id: int) -> bool:
    """Send one notification e-mail/SMS unless sent already; True when this call sent it.

    Raises NotificationDeliveryFailed when the backend refused it (the task retries).
    """
    pending = NotificationDelivery.objects.filter(
        sent_at__isnull=True, attempts__lt=settings.BOOKING_REMINDER_MAX_ATTEMPTS
    )
    delivery = row_deliver_once(
        pending=pending, pk=delivery_id, send=_delivery_send, log_event="bookings.delivery_failed"
    )
    if delivery.failed:
        raise NotificationDeliveryFailed(delivery.error)
    return delivery.sent


def notification_deliveries_send_stale(*, now: datetime | None = None) -> int:
    """Send the e-mail/SMS whose task was lost or gave up early (older than the stale delay)."""
    now = now or timezone.now()
    stale = NotificationDelivery.objects.filter(
        sent_at__isnull=True,
        attempts__lt=settings.BOOKING_REMINDER_MAX_ATTEMPTS,
        created_at__lt=now - timedelta(minutes=settings.BOOKING_DELIVERY_STALE_MINUTES),
    ).values_list("pk", flat=True)[: settings.BOOKING_SWEEP_BATCH]
    sent = 0
    for delivery_id in list(stale):
        try:
            sent += notification_delivery_send(delivery_id=delivery_id)
        except NotificationDeliveryFailed:
            continue  # recorded on the row; the next sweep tries again, up to the cap
    return sent


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (idempotent: the first read time stays)."""
    with transaction.atomic():
        Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise NotFound("Notification not found.")
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; how many were unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
