"""factory_boy factories for verification documents (rows only; uploads go through the API)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from apps.verification.models import Document
from tests.companies.factories import CompanyFactory


def _today():
    return timezone.localdate()


class DocumentFactory(factory.django.DjangoModelFactory):
    """A pending, uploaded insurance policy by default; pass kind/truck/driver for the others."""

    class Meta:
        model = Document

    class Params:
        approved = factory.Trait(
            status=Document.Status.APPROVED,
            reviewed_at=factory.LazyFunction(timezone.now),
        )

    company = factory.SubFactory(CompanyFactory)
    kind = Document.Kind.INSURANCE_POLICY
    number = factory.Sequence(lambda n: f"DOC-{n:05d}")
    issuer = "Assurances Rhône"
    issued_on = factory.LazyFunction(lambda: _today() - timedelta(days=100))
    expires_on = factory.LazyFunction(lambda: _today() + timedelta(days=365))
    coverage_amount = factory.LazyAttribute(
        lambda o: Decimal("2000000.00") if o.kind == Document.Kind.INSURANCE_POLICY else None
    )
    currency = factory.LazyAttribute(
        lambda o: "EUR" if o.kind == Document.Kind.INSURANCE_POLICY else ""
    )
    policy_type = factory.LazyAttribute(
        lambda o: "combined" if o.kind == Document.Kind.INSURANCE_POLICY else ""
    )
    file_key = factory.LazyAttribute(lambda o: f"documents/{o.company.pk}/{uuid.uuid4()}.pdf")
    file_original_name = "scan.pdf"
    file_size = 1234
    file_content_type = "application/pdf"
    file_sha256 = factory.LazyFunction(lambda: hashlib.sha256(uuid.uuid4().bytes).hexdigest())
    uploaded_at = factory.LazyFunction(timezone.now)
    status = Document.Status.PENDING


def approved_set(company, *, truck, driver) -> dict[str, Document]:
    """The four approved documents that make `company` verifiable (the status is not touched)."""
    return {
        "insurance_policy": DocumentFactory(company=company, approved=True),
        "operating_licence": DocumentFactory(
            company=company, kind=Document.Kind.OPERATING_LICENCE, approved=True
        ),
        "truck_registration": DocumentFactory(
            company=company, kind=Document.Kind.TRUCK_REGISTRATION, truck=truck, approved=True
        ),
        "driver_licence": DocumentFactory(
            company=company, kind=Document.Kind.DRIVER_LICENCE, driver=driver, approved=True
        ),
    }
