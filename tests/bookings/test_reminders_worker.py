"""The reminder sweep through a real Celery worker: beat's task name, the broker, the row sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.backends.redis import RedisBackend
from django.conf import settings
from django.utils import timezone

from apps.bookings.models import Notification, Reminder
from apps.bookings.tasks import bookings_reminders_send_due_task
from apps.core.models import OutboxMessage
from movehub.celery import app
from tests.bookings.factories import BookingFactory
from tests.verification.test_worker import _task_meta_when_ready, worker  # noqa: F401 (fixture)


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_sends_a_due_reminder_on_a_real_worker_once(alice, worker):  # noqa: F811
    booking = BookingFactory(company=alice.company)
    reminder = Reminder.objects.create(
        company=alice.company,
        booking=booking,
        kind=Reminder.Kind.CUSTOMER_SOON,
        recipient=booking.customer,
        due_at=timezone.now() - timedelta(seconds=30),
    )
    backend = RedisBackend(app=app, url=settings.REDIS_URL)

    metas = []
    for _ in range(2):
        sent = bookings_reminders_send_due_task.apply_async(queue=worker, ignore_result=False)
        metas.append(_task_meta_when_ready(backend, sent.id, timeout=60))

    assert [m["status"] for m in metas] == ["SUCCESS", "SUCCESS"], metas
    assert [m["result"]["sent"] for m in metas] == [1, 0]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 1)
    assert OutboxMessage.objects.filter(to=booking.customer.phone, channel="sms").count() == 1
    assert Notification.objects.filter(user=booking.customer, kind="reminder").count() == 1
