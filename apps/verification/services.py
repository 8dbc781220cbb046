"""Writes of verification: the status service, review decisions, suspension, expiry, reminders.

Every decision locks the company row first (then documents by primary key), so decisions on one
company are serialised and the status is recomputed from a consistent view.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import structlog
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.companies.models import Company
from apps.core.errors import Invalid, InvalidTransition
from apps.verification.models import CompanyStatusChange, Document, DocumentReminder, DocumentReview
from apps.verification.selectors import company_verification_missing, verification_today

logger = structlog.get_logger(__name__)

Status = Document.Status
CompanyStatus = Company.VerificationStatus
REJECTION_REASON_MAX = 2000


def _enqueue(task_name: str, object_id: int) -> None:
    """Queue a task once the current transaction commits (ids, never objects).

    robust: a broker outage after the commit is logged, not raised into the caller (the decision
    is already committed). A lost reminder is re-queued by the next sweep (sent_at stays NULL); a
    lost decision/status e-mail is not re-sent (see README.md, "Verification").
    """
    from apps.verification import tasks  # tasks import services: import late

    transaction.on_commit(partial(getattr(tasks, task_name).delay, object_id), robust=True)


def _company_lock(company_id: int) -> Company:
    return Company.objects.select_for_update().get(pk=company_id)


def _company_status_set(
    *, company: Company, to_status: str, reason: str, missing: list, actor: User | None
) -> CompanyStatusChange | None:
    """Change the (locked) company's status and record it; None when it does not change."""
    if company.verification_status == to_status:
        return None
    change = CompanyStatusChange.objects.create(
        company=company,
        from_status=company.verification_status,
        to_status=to_status,
        reason=reason[:255],
        missing=missing,
        actor=actor,
    )
    company.verification_status = to_status
    company.verification_changed_at = change.created_at
    company.save(update_fields=["verification_status", "verification_changed_at", "updated_at"])
    logger.info(
        "verification.company_status_changed",
        company_id=company.pk,
        from_status=change.from_status,
        to_status=to_status,
        reason=reason,
    )
    _enqueue("company_status_notify_task", change.pk)
    return change


@transaction.atomic
def company_verification_recompute(
    *, company: Company, reason: str, actor: User | None = None
) -> Company:
    """THE place a company's status is decided: verified iff nothing is missing, else pending.

    A suspended company stays suspended whatever its documents (only company_unsuspend lifts it).
    The change, if any, is recorded and the owners are told. Returns the refreshed company.
    """
    locked = _company_lock(company.pk)
    if locked.verification_status != CompanyStatus.SUSPENDED:
        missing = [m.code for m in company_verification_missing(company=locked)]
        target = CompanyStatus.PENDING if missing else CompanyStatus.VERIFIED
        _company_status_set(
            company=locked, to_status=target, reason=reason, missing=missing, actor=actor
        )
    company.verification_status = locked.verification_status
    company.verification_changed_at = locked.verification_changed_at
    return locked


@transaction.atomic
def company_suspend(*, company: Company, actor: User, reason: str) -> Company:
    """Suspend a company (admin): it stays suspended whatever its documents until unsuspended."""
    locked = _company_lock(company.pk)
    missing = [m.code for m in company_verification_missing(company=locked)]
    _company_status_set(
        company=locked,
        to_status=CompanyStatus.SUSPENDED,
        reason=reason or "Suspended by an administrator.",
        missing=missing,
        actor=actor,
    )
    return locked


@transaction.atomic
def company_unsuspend(*, company: Company, actor: User, reason: str) -> Company:
    """Lift a suspension: the status becomes what the documents say (verified or pending)."""
    locked = _company_lock(company.pk)
    if locked.verification_status != CompanyStatus.SUSPENDED:
        return locked
    missing = [m.code for m in company_verification_missing(company=locked)]
    _company_status_set(
        company=locked,
        to_status=CompanyStatus.PENDING if missing else CompanyStatus.VERIFIED,
        reason=reason or "Suspension lifted by an administrator.",
        missing=missing,
        actor=actor,
    )
    return locked


def _review_append(
    *, document: Document, to_status: str, actor: User | None, reason: str = "", notify: bool
) -> DocumentReview:
    review = DocumentReview.objects.create(
        company_id=document.company_id,
        document=document,
        actor=actor,
        from_status=document.status,
        to_status=to_status,
        reason=reason,
    )
    document.status = to_status
    if notify:
        _enqueue("document_decision_notify_task", review.pk)
    return review


def _document_lock_for_review(*, document: Document) -> Document:
    """Lock the company, then the document; only an uploaded, pending document can be decided."""
    _company_lock(document.company_id)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.status != Status.PENDING:
        raise InvalidTransition(
            f"Document {locked.pk} is {locked.status}; only pending documents can be reviewed."
        )
    if not locked.is_uploaded:
        raise InvalidTransition(f"Document {locked.pk} has no file yet (upload not completed).")
    return locked


@transaction.atomic
def document_approve(*, document: Document, actor: User) -> Document:
    """Approve a pending document; the approved one it replaces (kind+subject) is superseded."""
    locked = _document_lock_for_review(document=document)
    today = verification_today()
    if locked.expires_on <= today:
        raise InvalidTransition(f"Document {locked.pk} expired on {locked.expires_on}.")
    previous = (
        Document.objects.select_for_update()
        .filter(  # type: ignore[misc]  # truck_id/driver_id=None means IS NULL; the plugin refuses None
            company_id=locked.company_id,
            kind=locked.kind,
            truck_id=locked.truck_id,
            driver_id=locked.driver_id,
            status=Status.APPROVED,
        )
        .order_by("pk")
    )
    for old in previous:
        _review_append(
            document=old,
            to_status=Status.SUPERSEDED,
            actor=actor,
            reason=f"Superseded by document {locked.pk}.",
            notify=False,
        )
        old.save(update_fields=["status", "updated_at"])
    _review_append(document=locked, to_status=Status.APPROVED, actor=actor, notify=True)
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.rejection_reason = ""
    try:
        with transaction.atomic():
            locked.save(
                update_fields=[
                    "status",
                    "reviewed_by",
                    "reviewed_at",
                    "rejection_reason",
                    "updated_at",
                ]
            )
    except IntegrityError as exc:  # the one-approved-per-subject constraint: a race we lost
        raise InvalidTransition(
            "Another document of this kind for the same subject was approved at the same time."
        ) from exc
    company_verification_recompute(
        company=locked.company, reason=f"Document {locked.pk} approved.", actor=actor
    )
    return locked


@transaction.atomic
def document_reject(*, document: Document, actor: User, reason: str) -> Document:
    """Reject a pending document with a reason the company will read (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(details={"reason": ["A rejection reason is required."]})
    if len(reason) > REJECTION_REASON_MAX:
        raise Invalid(details={"reason": [f"At most {REJECTION_REASON_MAX} characters."]})
    locked = _document_lock_for_review(document=document)
    _review_append(
        document=locked, to_status=Status.REJECTED, actor=actor, reason=reason, notify=True
    )
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.rejection_reason = reason
    locked.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "updated_at"]
    )
    company_verification_recompute(
        company=locked.company, reason=f"Document {locked.pk} rejected.", actor=actor
    )
    return locked


# --- expiry and reminders ----------------------------------------------------------------------


def _expiring(today: date):
    # Pending uploads without a file are left alone: there is nothing to decide on.
    return Document.objects.filter(
        status__in=[Status.APPROVED, Status.PENDING], expires_on__lte=today
    ).exclude(uploaded_at__isnull=True)


@transaction.atomic
def company_documents_expire(*, company_id: int, today: date) -> int:
    """Mark the company's documents whose expires_on has come expired, then recompute its status."""
    company = _company_lock(company_id)
    documents = list(
        _expiring(today).filter(company_id=company_id).select_for_update().order_by("pk")
    )
    for document in documents:
        _review_append(
            document=document,
            to_status=Status.EXPIRED,
            actor=None,
            reason=f"Expired on {document.expires_on}.",
            notify=True,
        )
        document.save(update_fields=["status", "updated_at"])
    if documents:
        company_verification_recompute(company=company, reason="Documents expired.")
    return len(documents)


def documents_expire(*, today: date | None = None) -> int:
    """The daily sweep's first half: one transaction per company (a failure stays local)."""
    today = today or verification_today()
    company_ids = sorted(set(_expiring(today).values_list("company_id", flat=True)))
    return sum(company_documents_expire(company_id=cid, today=today) for cid in company_ids)


def _reminder_due(days_left: int) -> int | None:
    """The reminder a document `days_left` days from expiry is due for (the nearest threshold)."""
    due = [days for days in settings.VERIFICATION_REMINDER_DAYS if days_left <= days]
    return min(due) if due else None


@transaction.atomic
def document_reminders_claim(*, today: date | None = None) -> list[int]:
    """Claim the reminders due today: one row per (document, days_before), inserted at most once.

    INSERT ... ON CONFLICT DO NOTHING RETURNING id: when two sweeps race, the second insert waits
    on the unique index until the first commits, then inserts nothing and gets no id back, so
    only the sweep that created the row queues the e-mail (after its commit). A document that
    skipped a threshold (uploaded 5 days before expiry) gets only the nearest one (7 days).
    """
    today = today or verification_today()
    horizon = today + timedelta(days=max(settings.VERIFICATION_REMINDER_DAYS))
    candidates = Document.objects.filter(
        status=Status.APPROVED, expires_on__gt=today, expires_on__lte=horizon
    ).values_list("pk", "company_id", "expires_on")
    table = DocumentReminder._meta.db_table
    claimed: list[int] = []
    with connection.cursor() as cursor:
        for document_id, company_id, expires_on in candidates:
            days_before = _reminder_due((expires_on - today).days)
            if days_before is None:
                continue
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 (table name from model meta, not input)
                "(company_id, document_id, days_before, created_at, attempts, last_error) "
                "VALUES (%s, %s, %s, now(), 0, '') "
                "ON CONFLICT (document_id, days_before) DO NOTHING RETURNING id",
                [company_id, document_id, days_before],
            )
            row = cursor.fetchone()
            if row is not None:
                claimed.append(row[0])
                _enqueue("document_reminder_send_task", row[0])
    return claimed


def document_reminders_retry(*, stale_after: timedelta = timedelta(hours=1)) -> list[int]:
    """Re-queue claimed reminders whose e-mail failed (sent_at NULL), up to the attempt cap."""
    stale = DocumentReminder.objects.filter(
        sent_at__isnull=True,
        attempts__lt=settings.VERIFICATION_REMINDER_MAX_ATTEMPTS,
        created_at__lt=timezone.now() - stale_after,
    ).values_list("pk", flat=True)
    ids = list(stale)
    for reminder_id in ids:
        _enqueue("document_reminder_send_task", reminder_id)
    return ids


class ReminderDeliveryFailed(Exception):
    """The reminder e-mail could not be sent; the row stays unsent and is retried."""


def document_reminder_deliver(*, reminder_id: int) -> bool:
    """Send one claimed reminder unless it was sent already; True when this call sent it.

    The row is locked with SKIP LOCKED, so a duplicate task running at the same time skips it;
    `sent_at` is set in the same transaction as the send. On failure the attempt and the error
    are recorded and ReminderDeliveryFailed is raised (Celery retries; the sweep re-queues).
    """
    from apps.verification.notifications import reminder_email_send

    error = ""
    with transaction.atomic():
        reminder = (
            DocumentReminder.objects.select_for_update(skip_locked=True)
            .select_related("document__company")
            .filter(
                pk=reminder_id,
                sent_at__isnull=True,
                attempts__lt=settings.VERIFICATION_REMINDER_MAX_ATTEMPTS,
            )
            .first()
        )
        if reminder is None:
            return False
        try:
            reminder_email_send(reminder=reminder)
        except Exception as exc:  # any backend failure: record it, retry later
            error = f"{type(exc).__name__}: {exc}"[:255]
            DocumentReminder.objects.filter(pk=reminder_id).update(
                attempts=F("attempts") + 1, last_error=error
            )
            logger.warning("verification.reminder_failed", reminder_id=reminder_id, error=error)
        else:
            DocumentReminder.objects.filter(pk=reminder_id).update(
                attempts=F("attempts") + 1, sent_at=timezone.now(), last_error=""
            )
            return True
    raise ReminderDeliveryFailed(error)


def verification_sweep(*, today: date | None = None) -> dict[str, int]:
    """The daily job: expire what has expired, recompute statuses, claim and queue reminders."""
    today = today or verification_today()
    expired = documents_expire(today=today)
    claimed = document_reminders_claim(today=today)
    retried = document_reminders_retry()
    return {"expired": expired, "reminders": len(claimed), "retried": len(retried)}
