"""Documents page (/dashboard/documents/): status, reasons, countdown; upload with API rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.verification.models import Document
from tests.verification.conftest import stored_files
from tests.verification.factories import DocumentFactory

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/documents/"
UPLOAD = "/dashboard/documents/upload/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload_body(content: bytes, **fields) -> dict:
    today = timezone.localdate()
    return {
        "kind": "insurance_policy",
        "number": "POL-1",
        "issuer": "Assurances Rhône",
        "issued_on": str(today - timedelta(days=10)),
        "expires_on": str(today + timedelta(days=355)),
        "coverage_amount": "2000000",
        "currency": "eur",
        "file": SimpleUploadedFile("policy.pdf", content, content_type="application/pdf"),
        **fields,
    }


def test_the_list_shows_status_rejection_reason_and_days_left(alice, bob):
    today = timezone.localdate()
    soon = DocumentFactory(
        company=alice.company, approved=True, expires_on=today + timedelta(days=12)
    )
    rejected = DocumentFactory(
        company=alice.company,
        status=Document.Status.REJECTED,
        rejection_reason="Wrong company name.",
    )
    DocumentFactory(company=bob.company)

    response = client_for(alice.dispatcher).get(PAGE)

    assert response.status_code == 200
    assert [row.document for row in response.context["rows"]] == [rejected, soon]
    assert response.context["rows"][1].days_left == 12
    html = response.content.decode()
    assert "Reason: Wrong company name." in html
    assert "Expires in 12 days" in html


def test_the_list_filters_by_kind_and_status(alice):
    approved = DocumentFactory(company=alice.company, approved=True)
    DocumentFactory(company=alice.company)

    response = client_for(alice.owner).get(PAGE, {"status": "approved", "kind": "insurance_policy"})

    assert [row.document for row in response.context["rows"]] == [approved]


def test_a_dispatcher_uploads_a_policy_which_waits_for_review(alice, pdf_bytes, media_root):
    response = client_for(alice.dispatcher).post(UPLOAD, upload_body(pdf_bytes))

    assert response.status_code == 302
    assert response["Location"] == PAGE
    document = Document.objects.get(company=alice.company)
    assert (document.status, document.currency, document.uploaded_by, document.file_size) == (
        "pending",
        "EUR",
        alice.dispatcher,
        len(pdf_bytes),
    )
    assert stored_files(media_root) == [document.file_key]


def test_a_truck_registration_names_one_of_the_companys_trucks(alice, png_bytes):
    file = SimpleUploadedFile("reg.png", png_bytes, content_type="image/png")
    body = upload_body(
        png_bytes,
        kind="truck_registration",
        subject=f"truck-{alice.truck.id}",
        file=file,
        coverage_amount="",
        currency="",
    )

    response = client_for(alice.owner).post(UPLOAD, body)

    assert response.status_code == 302
    assert Document.objects.get().truck == alice.truck


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"content": b"hello " * 50}, {"file": "Only PDF, JPEG"}),
        ({"expires_on": "2000-01-01"}, {"expires_on": "Must be after issued_on."}),
        ({"coverage_amount": ""}, {"coverage_amount": "Required for an insurance policy."}),
        (
            {"kind": "driver_licence", "coverage_amount": "", "currency": ""},
            {"subject": "A driver of this company is required."},
        ),
        ({"subject": "truck-999999"}, {"subject": "Select a valid choice."}),
        ({"issued_on": "yesterday"}, {"issued_on": "Date has wrong format."}),
    ],
    ids=[
        "not-a-pdf",
        "expired-before-issued",
        "no-coverage",
        "licence-without-driver",
        "unknown-truck",
        "bad-date",
    ],
)
def test_a_bad_upload_is_shown_inline_and_stores_nothing(
    alice, pdf_bytes, media_root, fields, errors
):
    content = fields.pop("content", pdf_bytes)

    response = client_for(alice.owner).post(UPLOAD, upload_body(content, **fields))

    assert response.status_code == 200
    form_errors = response.context["form"].errors
    assert sorted(form_errors) == sorted(errors)
    for field, message in errors.items():
        assert message in form_errors[field][0]
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_driver_may_not_open_or_upload(alice, pdf_bytes, media_root):
    client = client_for(alice.driver_user)

    assert client.get(PAGE).status_code == 403
    assert client.post(UPLOAD, upload_body(pdf_bytes)).status_code == 403
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_the_file_is_served_to_its_company_only(alice, bob, pdf_bytes):
    client_for(alice.owner).post(UPLOAD, upload_body(pdf_bytes))
    document = Document.objects.get()
    url = f"/dashboard/documents/{document.id}/file/"

    mine = client_for(alice.dispatcher).get(url)
    theirs = client_for(bob.owner).get(url)

    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == pdf_bytes
    assert mine["Content-Type"] == "application/pdf"
    assert theirs.status_code == 404


def test_the_upload_is_csrf_protected(alice, pdf_bytes):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice.owner)

    response = strict.post(UPLOAD, upload_body(pdf_bytes))

    assert response.status_code == 403
    assert Document.objects.count() == 0
