"""E-mails to company owners: review decisions, status changes, expiry reminders."""

from __future__ import annotations

from django.core.mail import send_mail

from apps.companies.models import Company, Membership
from apps.verification.models import CompanyStatusChange, Document, DocumentReminder, DocumentReview


def owner_addresses(company: Company) -> list[str]:
    """The e-mail addresses of the company's active owners (the company's address if none)."""
    emails = Membership.objects.filter(
        company=company,
        role=Membership.Role.OWNER,
        is_active=True,
        user__email__isnull=False,
    ).values_list("user__email", flat=True)
    addresses = sorted({email for email in emails if email})
    return addresses or [company.email]


def _describe(document: Document) -> str:
    subject = ""
    if document.truck_id:
        subject = f" for truck {document.truck}"
    elif document.driver_id:
        subject = f" for driver {document.driver}"
    return f"{document.get_kind_display().lower()} {document.number}{subject}"


def document_decision_email_send(*, review: DocumentReview) -> int:
    """Tell the owners what happened to a document (approved, rejected, expired)."""
    document = review.document
    company = document.company
    what = _describe(document)
    if review.to_status == Document.Status.APPROVED:
        subject = f"[MoveHub] Approved: {what}"
        body = f"Your {what} was approved. It is valid until {document.expires_on}."
    elif review.to_status == Document.Status.REJECTED:
        subject = f"[MoveHub] Rejected: {what}"
        body = (
            f"Your {what} was rejected.\n\nReason: {review.reason}\n\n"
            "Please upload a corrected document."
        )
    elif review.to_status == Document.Status.EXPIRED:
        subject = f"[MoveHub] Expired: {what}"
        body = f"Your {what} expired on {document.expires_on}. Please upload a current one."
    else:
        subject = f"[MoveHub] {review.get_to_status_display()}: {what}"
        body = f"Your {what} is now {review.to_status}. {review.reason}".strip()
    return send_mail(subject, f"{company.name}\n\n{body}\n", None, owner_addresses(company))


def company_status_email_send(*, change: CompanyStatusChange) -> int:
    """Tell the owners their company's verification status changed, and what is missing."""
    from apps.verification.selectors import company_verification_missing

    company = change.company
    lines = [f"{company.name} is now {change.get_to_status_display().lower()} on MoveHub."]
    if change.to_status == Company.VerificationStatus.VERIFIED:
        lines.append("Customers can find, quote and book you.")
    elif change.to_status == Company.VerificationStatus.SUSPENDED:
        lines.append(f"Your company was suspended: {change.reason}")
        lines.append("Customers cannot find, quote or book you until the suspension is lifted.")
    else:
        lines.append("Customers cannot find, quote or book you until this is complete:")
        lines.extend(f"- {m.message}" for m in company_verification_missing(company=company))
    return send_mail(
        f"[MoveHub] {company.name}: verification {change.to_status}",
        "\n".join(lines) + "\n",
        None,
        owner_addresses(company),
    )


def reminder_email_send(*, reminder: DocumentReminder) -> int:
    """Remind the owners that a document expires soon (the 30-, 7- or 1-day reminder)."""
    document = reminder.document
    company = document.company
    what = _describe(document)
    return send_mail(
        f"[MoveHub] Reminder: your {what} expires on {document.expires_on}",
        f"{company.name}\n\nYour {what} expires on {document.expires_on} "
        f"(this is the {reminder.days_before}-day reminder). Upload its renewal now so that "
        "your company stays verified.\n",
        None,
        owner_addresses(company),
    )
