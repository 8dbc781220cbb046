"""The nightly full recompute: the safety net under the explicit recomputes (beat + task)."""

from __future__ import annotations

import pytest
from celery.schedules import crontab
from django.conf import settings

from apps.companies.models import Company
from apps.verification.models import CompanyStatusChange
from apps.verification.services import company_suspend, company_verification_recompute
from apps.verification.tasks import verification_status_recompute_all_task
from movehub.celery import app
from tests.verification.factories import approved_set

pytestmark = pytest.mark.django_db


def _statuses(*companies: Company) -> list[str]:
    return [Company.objects.get(pk=c.pk).verification_status for c in companies]


def test_the_nightly_task_puts_every_stale_status_right_and_is_idempotent(alice, bob, superuser):
    # Alice: truly verified, stored pending (stale the other way round).
    Company.objects.filter(pk=alice.company.pk).update(verification_status="pending")
    approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    # Bob: stored verified with no document at all (stale).
    carol = Company.objects.create(
        name="Carol", slug="carol", legal_name="Carol SARL", registration_number="C-1",
        email="c@example.com", phone="+33", base_location=alice.company.base_location,
        currency="EUR", timezone="Europe/Paris", verification_status="verified",
    )  # fmt: skip
    company_suspend(company=carol, actor=superuser, reason="audit")

    changed = verification_status_recompute_all_task()
    again = verification_status_recompute_all_task()

    assert (changed, again) == (2, 0)
    assert _statuses(alice.company, bob.company, carol) == ["verified", "pending", "suspended"]
    assert list(
        CompanyStatusChange.objects.filter(reason="Nightly recompute.")
        .order_by("company_id")
        .values_list("company_id", "from_status", "to_status")
    ) == [(alice.company.pk, "pending", "verified"), (bob.company.pk, "verified", "pending")]


def test_a_company_whose_status_is_right_is_not_touched(alice):
    company_verification_recompute(company=alice.company, reason="setup")  # -> pending
    before = CompanyStatusChange.objects.count()

    assert verification_status_recompute_all_task() == 0
    assert CompanyStatusChange.objects.count() == before


def test_beat_runs_the_recompute_nightly_after_the_expiry_sweep():
    entry = settings.CELERY_BEAT_SCHEDULE["verification-status-recompute-all"]

    assert entry["task"] == verification_status_recompute_all_task.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=0, minute=35)
    sweep = settings.CELERY_BEAT_SCHEDULE["verification-expiry-sweep"]["schedule"]
    assert sweep == crontab(hour=0, minute=5)
