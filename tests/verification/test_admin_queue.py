"""The admin review queue and document page: ordering, filters, search, preview, history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.verification.models import Document
from apps.verification.upload_services import DocumentMetadata, document_upload
from tests.accounts.factories import UserFactory
from tests.verification.conftest import MODEL_BACKEND
from tests.verification.factories import DocumentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/verification/document/"


def test_the_queue_lists_pending_first_oldest_first(alice, bob, reviewer_client):
    now = timezone.now()
    approved = DocumentFactory(company=alice.company, approved=True)
    newer = DocumentFactory(
        company=alice.company,
        kind="operating_licence",
        coverage_amount=None,
        currency="",
        policy_type="",
    )
    older = DocumentFactory(company=bob.company)
    Document.objects.filter(pk=approved.pk).update(created_at=now - timedelta(days=9))
    Document.objects.filter(pk=newer.pk).update(created_at=now - timedelta(days=1))
    Document.objects.filter(pk=older.pk).update(created_at=now - timedelta(days=3))

    response = reviewer_client.get(CHANGELIST)

    assert response.status_code == 200
    assert [d.pk for d in response.context["cl"].result_list] == [older.pk, newer.pk, approved.pk]


def test_the_queue_filters_by_expiry_window_status_kind_company_and_searches(
    alice, bob, reviewer_client
):
    today = timezone.localdate()
    DocumentFactory(
        company=alice.company, approved=True, number="SOON-1", expires_on=today + timedelta(days=5)
    )
    DocumentFactory(
        company=bob.company, approved=True, number="MONTH-1", expires_on=today + timedelta(days=25)
    )
    DocumentFactory(
        company=bob.company,
        kind="operating_licence",
        coverage_amount=None,
        currency="",
        policy_type="",
        number="LATER-1",
        expires_on=today + timedelta(days=200),
    )

    def ids(params):
        response = reviewer_client.get(CHANGELIST, params)
        assert response.status_code == 200
        return sorted(d.number for d in response.context["cl"].result_list)

    assert ids({"expiring_within": "7"}) == ["SOON-1"]
    assert ids({"expiring_within": "30"}) == ["MONTH-1", "SOON-1"]
    assert ids({"status__exact": "pending"}) == ["LATER-1"]
    assert ids({"kind__exact": "operating_licence"}) == ["LATER-1"]
    assert ids({"company__id__exact": bob.company.pk}) == ["LATER-1", "MONTH-1"]
    assert ids({"q": "Alice"}) == ["SOON-1"]
    assert ids({"q": "MONTH"}) == ["MONTH-1"]


def _upload(alice, content: bytes, name: str, kind="insurance_policy", **extra) -> Document:
    import io

    meta = DocumentMetadata(
        kind=kind,
        number="N-1",
        issuer="Issuer",
        issued_on=timezone.localdate() - timedelta(days=1),
        expires_on=timezone.localdate() + timedelta(days=300),
        **extra,
    )
    return document_upload(
        company=alice.company,
        meta=meta,
        file=io.BytesIO(content),
        original_name=name,
        declared_type=None,
        actor=alice.owner,
    )


def test_the_document_page_embeds_a_pdf_and_shows_history_and_other_documents(
    alice, reviewer_client, pdf_bytes, superuser
):
    other = DocumentFactory(
        company=alice.company,
        kind="operating_licence",
        number="LIC-OTHER",
        coverage_amount=None,
        currency="",
        policy_type="",
    )
    document = _upload(
        alice,
        pdf_bytes,
        "policy.pdf",
        coverage_amount=2_000_000,
        currency="EUR",
        policy_type="combined",
    )
    reviewer_client.post(f"{CHANGELIST}{other.pk}/reject/", {"reason": "Blurry scan."})

    page = reviewer_client.get(f"{CHANGELIST}{document.pk}/change/")
    other_page = reviewer_client.get(f"{CHANGELIST}{other.pk}/change/")

    file_url = f"{CHANGELIST}{document.pk}/file/"
    assert f'<iframe src="{file_url}"'.encode() in page.content
    assert b"LIC-OTHER" in page.content
    assert b"Rejected" in page.content
    assert f"{CHANGELIST}{document.pk}/approve/".encode() in page.content
    assert b"Blurry scan." in other_page.content
    assert b"pending \xe2\x86\x92 rejected" in other_page.content


def test_the_document_page_shows_an_image_inline(alice, reviewer_client, png_bytes):
    document = _upload(
        alice, png_bytes, "licence.png", kind="driver_licence", subject_id=alice.driver.pk
    )

    page = reviewer_client.get(f"{CHANGELIST}{document.pk}/change/")

    assert f'<img src="{CHANGELIST}{document.pk}/file/"'.encode() in page.content


def test_the_admin_file_view_may_be_framed_by_the_admin_and_checks_permissions(
    alice, reviewer_client, pdf_bytes, settings
):
    settings.X_FRAME_OPTIONS = "DENY"
    document = _upload(
        alice,
        pdf_bytes,
        "policy.pdf",
        coverage_amount=2_000_000,
        currency="EUR",
        policy_type="combined",
    )
    nobody = UserFactory(is_staff=True)
    nobody_client = Client()
    nobody_client.force_login(nobody, backend=MODEL_BACKEND)

    response = reviewer_client.get(f"{CHANGELIST}{document.pk}/file/")
    page = reviewer_client.get(f"{CHANGELIST}{document.pk}/change/")
    refused = nobody_client.get(f"{CHANGELIST}{document.pk}/file/")

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes
    assert page["X-Frame-Options"] == "DENY"
    assert refused.status_code == 403
