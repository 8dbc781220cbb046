"""Writes of verification: the status service, review decisions, suspension, expiry.

Every decision locks the company row first (apps.companies.locking.company_lock, then documents
by primary key), so decisions on one company are serialised and the status is recomputed from a
consistent view. Companies' own services call `company_verification_recompute` through the
explicit hook of apps.companies.hooks (registered in VerificationConfig.ready()), in their
transaction; the nightly `companies_verification_recompute_all` is the safety net. Reminders
and the daily sweep live in reminder_services.py.

Notification e-mails are queued once the transaction commits (ids, never objects). A broker
outage after the commit is logged, not raised into the caller (the decision is already
committed); a lost decision/status e-mail is not re-sent (see README.md, "Verification").
"""

from __future__ import annotations

from datetime import date

import structlog
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.companies.locking import company_lock
from apps.companies.models import Company
from apps.core.errors import Invalid, InvalidTransition
from apps.core.integrity import constraint_errors
from apps.core.tasks import enqueue_on_commit
from apps.verification.models import (
    DOCUMENT_LIFECYCLE,
    CompanyStatusChange,
    Document,
    DocumentReview,
)
from apps.verification.selectors import company_verification_missing, verification_today

logger = structlog.get_logger(__name__)

Status = Document.Status
CompanyStatus = Company.VerificationStatus
REJECTION_REASON_MAX = 2000


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
    from apps.verification.tasks import company_status_notify_task  # tasks import us: late

    enqueue_on_commit(company_status_notify_task, change.pk)
    return change


@transaction.atomic
def company_verification_recompute(
    *, company: Company, reason: str, actor: User | None = None
) -> Company:
    """THE place a company's status is decided: verified iff nothing is missing, else pending.

    A suspended company stays suspended whatever its documents (only company_unsuspend lifts it).
    The change, if any, is recorded and the owners are told. Returns the refreshed company.
    """
    locked = company_lock(company_id=company.pk)
    _company_status_follow(company=locked, reason=reason, actor=actor)
    company.verification_status = locked.verification_status
    company.verification_changed_at = locked.verification_changed_at
    return locked


def _company_status_follow(
    *, company: Company, reason: str, actor: User | None
) -> CompanyStatusChange | None:
    """Set the locked company's status to what the rules say (suspended stays suspended)."""
    if company.verification_status == CompanyStatus.SUSPENDED:
        return None
    missing = [m.code for m in company_verification_missing(company=company)]
    target = CompanyStatus.PENDING if missing else CompanyStatus.VERIFIED
    return _company_status_set(
        company=company, to_status=target, reason=reason, missing=missing, actor=actor
    )


def company_changed_recompute(*, company: Company, reason: str) -> None:
    """The hook companies' services call (apps.companies.hooks) after changing `company`'s
    currency, trucks, drivers or memberships: recompute its status in their transaction."""
    company_verification_recompute(company=company, reason=reason)


def companies_verification_recompute_all(*, reason: str = "Nightly recompute.") -> int:
    """The nightly safety net: recompute every company not suspended; the number changed.

    One short transaction per company (company row locked first, like every decision), so a
    failure stays local and no lock is held for the whole sweep. Idempotent: a company whose
    status is already right gets no change row and no e-mail.
    """
    company_ids = list(
        Company.objects.exclude(verification_status=CompanyStatus.SUSPENDED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed = 0
    for company_id in company_ids:
        with transaction.atomic():
            locked = company_lock(company_id=company_id)
            if _company_status_follow(company=locked, reason=reason, actor=None) is not None:
                changed += 1
    return changed


@transaction.atomic
def company_suspend(*, company: Company, actor: User, reason: str) -> Company:
    """Suspend a company (admin): it stays suspended whatever its documents until unsuspended."""
    locked = company_lock(company_id=company.pk)
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
    locked = company_lock(company_id=company.pk)
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
    from_status = DOCUMENT_LIFECYCLE.apply(document, to=to_status)
    review = DocumentReview.objects.create(
        company_id=document.company_id,
        document=document,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    if notify:
        from apps.verification.tasks import document_decision_notify_task  # import late

        enqueue_on_commit(document_decision_notify_task, review.pk)
    return review


def _document_lock_for_review(*, document: Document, to: str) -> Document:
    """Lock the company, then the document; only an uploaded, pending document can be decided."""
    company_lock(company_id=document.company_id)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    DOCUMENT_LIFECYCLE.require(
        locked.status,
        to=to,
        message=f"Document {locked.pk} is {locked.status}; only pending documents can be reviewed.",
    )
    if not locked.is_uploaded:
        raise InvalidTransition(f"Document {locked.pk} has no file yet (upload not completed).")
    return locked


@transaction.atomic
def document_approve(*, document: Document, actor: User) -> Document:
    """Approve a pending document; the approved one it replaces (kind+subject) is superseded."""
    locked = _document_lock_for_review(document=document, to=Status.APPROVED)
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
    # The one-approved-per-subject constraint refusing our row is a race we lost (409); any
    # other constraint violation is a bug and stays an IntegrityError.
    lost_race = InvalidTransition(
        "Another document of this kind for the same subject was approved at the same time."
    )
    with constraint_errors({"verification_document_one_approved_per_subject": lost_race}):
        locked.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "updated_at"]
        )
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
    locked = _document_lock_for_review(document=document, to=Status.REJECTED)
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
    company = company_lock(company_id=company_id)
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
