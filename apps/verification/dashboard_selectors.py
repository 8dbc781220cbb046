"""Reads of the Fleet and Documents dashboard pages: each truck and driver with its documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from apps.companies.models import Company, Driver, Truck
from apps.companies.selectors import driver_list, truck_list
from apps.verification.models import Document
from apps.verification.selectors import (
    document_list_for_company,
    drivers_assignable,
    trucks_assignable,
    verification_today,
)

EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class DocumentRow:
    """A document as the pages show it: its status and how long it stays valid."""

    document: Document
    today: date

    @property
    def days_left(self) -> int:
        """Days until it expires (valid while today < expires_on); 0 or less: expired."""
        return (self.document.expires_on - self.today).days

    @property
    def expires_soon(self) -> bool:
        return 0 < self.days_left <= EXPIRY_WARNING_DAYS

    @property
    def is_current(self) -> bool:
        """Approved and not expired: what the verification rules count."""
        return self.document.status == Document.Status.APPROVED and self.days_left > 0


@dataclass(frozen=True)
class FleetRow:
    """A truck or a driver, whether bookings may assign it, and its documents (newest first)."""

    subject: Truck | Driver
    is_assignable: bool
    documents: list[DocumentRow]

    @property
    def latest(self) -> DocumentRow | None:
        return self.documents[0] if self.documents else None


def _documents_newest_first() -> Prefetch:
    return Prefetch("documents", queryset=Document.objects.order_by("-created_at", "-id"))


def fleet_trucks(*, company: Company, today: date | None = None) -> list[FleetRow]:
    """The company's trucks by plate, each with its registrations and assignability."""
    today = today or verification_today()
    ready = set(trucks_assignable(company=company, today=today).values_list("id", flat=True))
    trucks = truck_list(company=company).prefetch_related(_documents_newest_first())
    return [
        FleetRow(
            subject=truck,
            is_assignable=truck.pk in ready,
            documents=[DocumentRow(d, today) for d in truck.documents.all()],
        )
        for truck in trucks
    ]


def fleet_drivers(*, company: Company, today: date | None = None) -> list[FleetRow]:
    """The company's drivers (active first), each with its licences and assignability."""
    today = today or verification_today()
    ready = set(drivers_assignable(company=company, today=today).values_list("id", flat=True))
    drivers = (
        driver_list(company=company)
        .prefetch_related(_documents_newest_first())
        .order_by("-membership__is_active", "membership__user__name", "id")
    )
    return [
        FleetRow(
            subject=driver,
            is_assignable=driver.pk in ready,
            documents=[DocumentRow(d, today) for d in driver.documents.all()],
        )
        for driver in drivers
    ]


def document_rows(
    *, company: Company, kind: str | None = None, status: str | None = None
) -> QuerySet[Document]:
    """The Documents page's list: the API's list with each document's truck or driver loaded."""
    return document_list_for_company(company=company, kind=kind, status=status).select_related(
        "truck", "driver__membership__user"
    )


def documents_with_days(
    documents: list[Document], *, today: date | None = None
) -> list[DocumentRow]:
    today = today or verification_today()
    return [DocumentRow(document, today) for document in documents]
