"""enqueue_on_commit: the task is queued after the commit, with ids only, never on rollback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.core.models import OutboxMessage
from apps.core.tasks import enqueue_on_commit, outbox_prune_task

pytestmark = pytest.mark.django_db


def test_the_task_runs_only_once_the_transaction_commits(
    celery_eager, django_capture_on_commit_callbacks
):
    old = OutboxMessage.objects.create(channel="sms", to="+33600000000", body="old")
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(outbox_prune_task)
    still_there = OutboxMessage.objects.filter(pk=old.pk).exists()
    for callback in callbacks:  # the commit
        callback()

    assert still_there is True
    assert len(callbacks) == 1
    assert OutboxMessage.objects.filter(pk=old.pk).exists() is False


def test_ids_are_passed_as_they_are(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(outbox_prune_task, 42, "SHP-1")

    assert callbacks[0].args == (42, "SHP-1")


@pytest.mark.parametrize("argument", [OutboxMessage(), {"id": 1}, 1.5, True])
def test_objects_are_refused_and_nothing_is_queued(argument, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(TypeError, match="Tasks take ids"),
    ):
        enqueue_on_commit(outbox_prune_task, argument)

    assert callbacks == []


def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        enqueue_on_commit(outbox_prune_task, 1)
        1 / 0

    assert callbacks == []
