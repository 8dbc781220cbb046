"""Background jobs of bookings (thin: call a service with ids, idempotent)."""

from __future__ import annotations

from celery import shared_task

from apps.bookings import notification_services, reminder_services


@shared_task
def bookings_reminders_send_due_task() -> dict[str, int]:
    """Every minute (beat): send the due reminders once each, and any stale notice e-mail/SMS."""
    return reminder_services.reminders_send_due()


@shared_task(
    autoretry_for=(notification_services.NotificationDeliveryFailed,),
    retry_backoff=60,
    retry_kwargs={"max_retries": 4},
)
def booking_notification_deliver_task(delivery_id: int) -> bool:
    """Send one notification e-mail/SMS (idempotent: sent at most once per row)."""
    return notification_services.notification_delivery_send(delivery_id=delivery_id)
