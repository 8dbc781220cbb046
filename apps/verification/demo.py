"""Demo documents for seed_demo: approved, unexpired, with small generated PDF/PNG files.

Idempotent: a (kind, subject) that already has an approved, unexpired document is left alone, so
a second run changes nothing. Dates are fixed per calendar year (issued 1 January, expiring two
years later), so they are at least a year away whenever the seed runs.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from apps.accounts.models import User
from apps.companies.models import Company, Driver, Truck
from apps.verification.demo_files import tiny_pdf, tiny_png
from apps.verification.models import Document
from apps.verification.selectors import documents_valid, verification_today
from apps.verification.services import company_verification_recompute, document_approve
from apps.verification.upload_services import DocumentMetadata, document_upload

Kind = Document.Kind


def _ensure(
    *,
    company: Company,
    reviewer: User,
    kind: str,
    number: str,
    issuer: str,
    content: bytes,
    name: str,
    truck: Truck | None = None,
    driver: Driver | None = None,
    coverage_amount: Decimal | None = None,
    currency: str = "",
    policy_type: str = "",
) -> Document:
    existing = (
        documents_valid()
        .filter(company=company, kind=kind, truck=truck, driver=driver)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    year = verification_today().year
    subject = truck or driver
    meta = DocumentMetadata(
        kind=kind,
        number=number,
        issuer=issuer,
        issued_on=date(year, 1, 1),
        expires_on=date(year + 2, 1, 1),
        subject_id=subject.pk if subject else None,
        coverage_amount=coverage_amount,
        currency=currency,
        policy_type=policy_type,
    )
    document = document_upload(
        company=company,
        meta=meta,
        file=io.BytesIO(content),
        original_name=name,
        declared_type=None,
        actor=reviewer,
    )
    return document_approve(document=document, actor=reviewer)


def demo_documents_ensure(*, company: Company, reviewer: User) -> None:
    """Give the company the four kinds of approved documents (every truck and driver covered)."""
    code = company.registration_number
    _ensure(
        company=company,
        reviewer=reviewer,
        kind=Kind.INSURANCE_POLICY,
        number=f"POL-{code}",
        issuer="Mutuelle des Transporteurs (demo)",
        content=tiny_pdf(f"{company.name}: insurance certificate (demo)"),
        name="insurance.pdf",
        coverage_amount=Decimal("2000000.00"),
        currency=company.currency,
        policy_type=Document.PolicyType.COMBINED,
    )
    _ensure(
        company=company,
        reviewer=reviewer,
        kind=Kind.OPERATING_LICENCE,
        number=f"LIC-{code}",
        issuer="DREAL Auvergne-Rhone-Alpes (demo)",
        content=tiny_pdf(f"{company.name}: operating licence (demo)"),
        name="licence.pdf",
    )
    for truck in Truck.objects.filter(company=company).order_by("pk"):
        _ensure(
            company=company,
            reviewer=reviewer,
            kind=Kind.TRUCK_REGISTRATION,
            number=f"REG-{truck.plate}",
            issuer="ANTS (demo)",
            content=tiny_png(rgb=(40, 110, 60)),
            name=f"{truck.plate}.png",
            truck=truck,
        )
    for driver in Driver.objects.filter(company=company).order_by("pk"):
        _ensure(
            company=company,
            reviewer=reviewer,
            kind=Kind.DRIVER_LICENCE,
            number=f"DL-{driver.licence_number}",
            issuer="Préfecture du Rhône (demo)",
            content=tiny_png(rgb=(150, 60, 40)),
            name=f"{driver.licence_number}.png",
            driver=driver,
        )


def demo_verification_ensure(*, company: Company, reviewer: User) -> None:
    """Approved documents for the company, then its status from the verification service."""
    demo_documents_ensure(company=company, reviewer=reviewer)
    company_verification_recompute(company=company, reason="Demo data (seed_demo).")
