"""seed_demo gives demo companies approved documents; their status comes from the service."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.companies.models import Company
from apps.verification.models import CompanyStatusChange, Document, DocumentReview
from apps.verification.selectors import company_verification_missing
from tests.verification.conftest import stored_files

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "documents": sorted(
            Document.objects.values_list(
                "id",
                "company_id",
                "kind",
                "truck_id",
                "driver_id",
                "status",
                "file_key",
                "expires_on",
            )
        ),
        "reviews": DocumentReview.objects.count(),
        "changes": sorted(
            CompanyStatusChange.objects.values_list("company_id", "from_status", "to_status")
        ),
    }


def test_seed_demo_documents_make_every_company_verified_and_a_second_run_changes_nothing(
    media_root,
):
    call_command("seed_demo")
    first = snapshot()
    files_first = stored_files(media_root)
    call_command("seed_demo")

    assert snapshot() == first
    assert stored_files(media_root) == files_first
    assert len(first["documents"]) == 4 * 2 + 6 + 5  # insurance + licence each, trucks, drivers
    assert {status for *_, status, _, _ in first["documents"]} == {"approved"}
    assert len(files_first) == len(first["documents"])
    for company in Company.objects.all():
        assert company.verification_status == "verified"
        assert company_verification_missing(company=company) == []
    assert first["changes"] == sorted(
        (company_id, "pending", "verified")
        for company_id in Company.objects.values_list("id", flat=True)
    )
