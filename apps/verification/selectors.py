"""Reads of verification: the rules (what a company is missing), assignability, scoped documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.companies.models import Company, Driver, Truck
from apps.companies.selectors import MANAGER_ROLES, company_get_for_staff
from apps.core.errors import NotFound
from apps.verification.models import CompanyStatusChange, Document, DocumentReview

Kind = Document.Kind


def verification_today() -> date:
    """The date the rules are judged on (settings.TIME_ZONE; the expiry sweep uses the same).

    Whatever time zone is active: the dashboards activate the company's, and the same document
    must not be valid on a page and expired in the API around midnight.
    """
    return timezone.localdate(timezone=timezone.get_default_timezone())


def documents_valid(*, today: date | None = None) -> QuerySet[Document]:
    """Approved documents that have not expired: valid while today < expires_on."""
    return Document.objects.filter(
        status=Document.Status.APPROVED, expires_on__gt=today or verification_today()
    )


def trucks_assignable(*, company: Company, today: date | None = None) -> QuerySet[Truck]:
    """The company's active trucks with an approved, unexpired registration."""
    registrations = documents_valid(today=today).filter(
        kind=Kind.TRUCK_REGISTRATION, truck_id=OuterRef("pk")
    )
    return Truck.objects.filter(company=company, status=Truck.Status.ACTIVE).filter(
        Exists(registrations)
    )


def drivers_assignable(*, company: Company, today: date | None = None) -> QuerySet[Driver]:
    """The company's drivers (active members) with an approved, unexpired driving licence."""
    licences = documents_valid(today=today).filter(
        kind=Kind.DRIVER_LICENCE, driver_id=OuterRef("pk")
    )
    return Driver.objects.filter(company=company, membership__is_active=True).filter(
        Exists(licences)
    )


def truck_is_assignable(truck: Truck, *, today: date | None = None) -> bool:
    """Whether bookings may put this truck on a job (active, valid registration)."""
    return trucks_assignable(company=truck.company, today=today).filter(pk=truck.pk).exists()


def driver_is_assignable(driver: Driver, *, today: date | None = None) -> bool:
    """Whether bookings may put this driver on a job (active member, valid licence)."""
    return drivers_assignable(company=driver.company, today=today).filter(pk=driver.pk).exists()


@dataclass(frozen=True)
class Missing:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def _money(amount) -> str:
    return f"{amount:,.2f}"


def company_verification_missing(*, company: Company, today: date | None = None) -> list[Missing]:
    """What the company lacks to be verified, in a fixed order; empty when nothing is missing.

    Rules: an approved, unexpired insurance policy in the company's currency with coverage of at
    least settings.VERIFICATION_MIN_COVERAGE; an approved, unexpired operating licence; at least
    one active truck with an approved, unexpired registration; at least one driver with an
    approved, unexpired licence.
    """
    today = today or verification_today()
    valid = documents_valid(today=today).filter(company=company)
    minimum = settings.VERIFICATION_MIN_COVERAGE
    missing: list[Missing] = []
    if not valid.filter(
        kind=Kind.INSURANCE_POLICY, currency=company.currency, coverage_amount__gte=minimum
    ).exists():
        missing.append(
            Missing(
                Kind.INSURANCE_POLICY,
                "An approved, unexpired insurance policy covering at least "
                f"{_money(minimum)} {company.currency} is required.",
            )
        )
    if not valid.filter(kind=Kind.OPERATING_LICENCE).exists():
        missing.append(
            Missing(Kind.OPERATING_LICENCE, "An approved, unexpired operating licence is required.")
        )
    if not trucks_assignable(company=company, today=today).exists():
        missing.append(
            Missing(
                Kind.TRUCK_REGISTRATION,
                "At least one active truck with an approved, unexpired registration is required.",
            )
        )
    if not drivers_assignable(company=company, today=today).exists():
        missing.append(
            Missing(
                Kind.DRIVER_LICENCE,
                "At least one driver with an approved, unexpired driving licence is required.",
            )
        )
    return missing


def document_list_for_company(
    *, company: Company, kind: str | None = None, status: str | None = None
) -> QuerySet[Document]:
    """The company's documents, newest first, optionally of one kind and/or status."""
    documents = Document.objects.filter(company=company)
    if kind:
        documents = documents.filter(kind=kind)
    if status:
        documents = documents.filter(status=status)
    return documents.order_by("-created_at", "-id")


def document_get_in_company(*, company: Company, document_id: int) -> Document:
    """One of the company's documents; another company's (or no) document is NotFound."""
    document = Document.objects.filter(company=company, id=document_id).first()
    if document is None:
        raise NotFound("Document not found.")
    return document


def document_get_for_download(
    *, user: User | AnonymousUser, company_id: int, document_id: int
) -> Document:
    """A document whose file may be read: by the company's owner/dispatcher, or by a platform
    admin (is_staff with the view permission). Anyone else: NotFound (a member with another role:
    PermissionDenied, as everywhere). A document without a file yet is NotFound too.
    """
    if user.is_authenticated and user.is_staff and user.has_perm("verification.view_document"):
        document = Document.objects.filter(company_id=company_id, id=document_id).first()
    else:
        company = company_get_for_staff(user=user, company_id=company_id, roles=MANAGER_ROLES)
        document = Document.objects.filter(company=company, id=document_id).first()
    if document is None or not document.is_uploaded:
        raise NotFound("Document not found.")
    return document


def document_reviews(*, document: Document) -> QuerySet[DocumentReview]:
    return document.reviews.select_related("actor").order_by("created_at", "id")


def company_status_changes(*, company: Company) -> QuerySet[CompanyStatusChange]:
    return CompanyStatusChange.objects.filter(company=company).order_by("created_at", "id")
