"""Direct (multipart) uploads, listing, reading and downloading documents through the API."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.verification.models import Document
from tests.accounts.factories import UserFactory
from tests.conftest import auth_client_for
from tests.verification.conftest import stored_files
from tests.verification.factories import DocumentFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024

INSURANCE = {
    "kind": "insurance_policy",
    "number": "POL-2025-001",
    "issuer": "Assurances Rhône",
    "issued_on": "2025-01-01",
    "expires_on": "2099-01-01",
    "coverage_amount": "2000000.00",
    "currency": "EUR",
    "policy_type": "combined",
}


def documents_url(company) -> str:
    return f"/api/v1/companies/{company.pk}/documents/"


def upload(
    client, company, *, content: bytes, name="scan.pdf", content_type="application/pdf", **fields
):
    data = {**INSURANCE, **fields, "file": SimpleUploadedFile(name, content, content_type)}
    return client.post(documents_url(company), data=data, format="multipart")


def test_owner_uploads_an_insurance_policy_stored_under_a_random_key(alice, pdf_bytes, media_root):
    response = upload(alice.owner_client, alice.company, content=pdf_bytes, name="../../evil.pdf")

    assert response.status_code == 201
    document = Document.objects.get()
    body = response.json()
    assert body == {
        "id": document.pk,
        "company": alice.company.pk,
        "kind": "insurance_policy",
        "subject_id": None,
        "number": "POL-2025-001",
        "issuer": "Assurances Rhône",
        "issued_on": "2025-01-01",
        "expires_on": "2099-01-01",
        "coverage_amount": "2000000.00",
        "currency": "EUR",
        "policy_type": "combined",
        "status": "pending",
        "rejection_reason": "",
        "reviewed_at": None,
        "file": {
            "original_name": "evil.pdf",
            "size": len(pdf_bytes),
            "content_type": "application/pdf",
            "sha256": hashlib.sha256(pdf_bytes).hexdigest(),
            "url": f"/api/v1/companies/{alice.company.pk}/documents/{document.pk}/file/",
        },
        "created_at": body["created_at"],
    }
    assert re.fullmatch(rf"documents/{alice.company.pk}/[0-9a-f-]{{36}}\.pdf", document.file_key)
    assert stored_files(media_root) == [document.file_key]
    assert (media_root / document.file_key).read_bytes() == pdf_bytes
    assert document.uploaded_by == alice.owner


def test_dispatcher_uploads_a_truck_registration_as_png(alice, png_bytes, media_root):
    response = upload(
        alice.dispatcher_client,
        alice.company,
        content=png_bytes,
        name="registration.png",
        content_type="image/png",
        kind="truck_registration",
        subject_id=alice.truck.pk,
        coverage_amount="",
        currency="",
        policy_type="",
    )

    assert response.status_code == 201
    document = Document.objects.get()
    assert (document.kind, document.truck, document.driver) == (
        "truck_registration",
        alice.truck,
        None,
    )
    assert document.file_content_type == "image/png"
    assert document.file_key.endswith(".png")


def test_a_file_of_exactly_the_maximum_size_is_accepted(alice, pdf_bytes, settings):
    content = (
        pdf_bytes + b"\n%" + b"x" * (settings.VERIFICATION_MAX_FILE_BYTES - len(pdf_bytes) - 2)
    )

    response = upload(alice.owner_client, alice.company, content=content)

    assert response.status_code == 201
    assert Document.objects.get().file_size == 10 * MB


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.mark.parametrize(
    ("case", "content", "content_type", "message"),
    [
        ("exe_renamed_pdf", EXE, "application/pdf", "Only PDF, JPEG and PNG files are accepted"),
        ("too_big", None, "application/pdf", "The file is larger than 10485760 bytes."),
        ("empty", b"", "application/pdf", "The submitted file is empty."),
        ("png_claiming_pdf", "png", "application/pdf", "declared as application/pdf but its"),
        ("text_as_octet_stream", b"hello " * 50, "application/octet-stream", "Only PDF, JPEG"),
    ],
)
def test_bad_files_are_refused_with_400_and_nothing_is_stored(
    alice, pdf_bytes, png_bytes, media_root, case, content, content_type, message
):
    if content is None:
        content = pdf_bytes + b"x" * (11 * MB)
    elif content == "png":
        content = png_bytes

    response = upload(alice.owner_client, alice.company, content=content, content_type=content_type)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in error["details"]["file"][0]
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_body_far_over_the_limit_is_refused_with_413_before_it_is_read(alice, media_root):
    response = upload(alice.owner_client, alice.company, content=b"%PDF-1.4\n" + b"x" * (21 * MB))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (
            {
                "kind": "truck_registration",
                "coverage_amount": "",
                "currency": "",
                "policy_type": "",
            },
            "subject_id",
        ),
        ({"kind": "operating_licence"}, "coverage_amount"),
        ({"subject_id": 1}, "subject_id"),
        ({"coverage_amount": ""}, "coverage_amount"),
        ({"currency": "XXX"}, "currency"),  # "no currency": not one the company check takes
        ({"currency": "EURO"}, "currency"),
        ({"coverage_amount": "0"}, "coverage_amount"),
        ({"coverage_amount": "-1"}, "coverage_amount"),
        ({"expires_on": "2025-01-01"}, "expires_on"),
        ({"kind": "passport"}, "kind"),
        ({"issued_on": "01/02/2025"}, "issued_on"),
    ],
)
def test_bad_metadata_is_refused_with_400_naming_the_field_and_nothing_is_stored(
    alice, pdf_bytes, media_root, fields, field
):
    response = upload(alice.owner_client, alice.company, content=pdf_bytes, **fields)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["details"]
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_another_companys_truck_is_not_a_valid_subject(alice, bob, png_bytes, media_root):
    response = upload(
        alice.owner_client,
        alice.company,
        content=png_bytes,
        content_type="image/png",
        kind="truck_registration",
        subject_id=bob.truck.pk,
        coverage_amount="",
        currency="",
        policy_type="",
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "subject_id": ["A truck of this company is required."]
    }
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_json_is_not_an_upload(alice):
    response = alice.owner_client.post(documents_url(alice.company), INSURANCE, format="json")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert Document.objects.count() == 0


def test_a_driver_may_not_upload_documents(alice, pdf_bytes, media_root):
    response = upload(alice.driver_client, alice.company, content=pdf_bytes)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_list_is_paginated_newest_first_and_filters_by_kind_and_status(alice, bob):
    insurance = DocumentFactory(company=alice.company)
    licence = DocumentFactory(
        company=alice.company,
        kind="operating_licence",
        coverage_amount=None,
        currency="",
        policy_type="",
        approved=True,
    )
    DocumentFactory(company=bob.company)

    everything = alice.owner_client.get(documents_url(alice.company))
    licences = alice.owner_client.get(documents_url(alice.company), {"kind": "operating_licence"})
    pending = alice.owner_client.get(documents_url(alice.company), {"status": "pending"})
    page_two = alice.owner_client.get(documents_url(alice.company), {"page_size": 1, "page": 2})

    assert everything.status_code == 200
    assert everything.json()["count"] == 2
    assert [d["id"] for d in everything.json()["results"]] == [licence.pk, insurance.pk]
    assert [d["id"] for d in licences.json()["results"]] == [licence.pk]
    assert [d["id"] for d in pending.json()["results"]] == [insurance.pk]
    assert page_two.json()["previous"] is not None
    assert [d["id"] for d in page_two.json()["results"]] == [insurance.pk]


def test_list_refuses_an_unknown_filter_value(alice):
    response = alice.owner_client.get(documents_url(alice.company), {"status": "lost"})

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["status"]


def test_detail_shows_one_document(alice):
    document = DocumentFactory(company=alice.company, number="POL-9")

    response = alice.dispatcher_client.get(f"{documents_url(alice.company)}{document.pk}/")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["number"]) == (document.pk, "POL-9")


def test_the_file_is_streamed_to_the_companys_owner_and_dispatcher(alice, pdf_bytes):
    upload(alice.owner_client, alice.company, content=pdf_bytes, name="policy.pdf")
    document = Document.objects.get()
    url = f"{documents_url(alice.company)}{document.pk}/file/"

    for client in (alice.owner_client, alice.dispatcher_client):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="policy.pdf"'
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == pdf_bytes


def test_the_file_is_streamed_to_a_platform_admin_but_not_to_anyone_else(alice, bob, pdf_bytes):
    upload(alice.owner_client, alice.company, content=pdf_bytes)
    document = Document.objects.get()
    url = f"{documents_url(alice.company)}{document.pk}/file/"
    admin = UserFactory(is_staff=True, is_superuser=True)
    customer = UserFactory()

    admin_response = auth_client_for(admin).get(url)
    customer_response = auth_client_for(customer).get(url)
    bob_response = bob.owner_client.get(url)
    wrong_company_url = bob.owner_client.get(f"{documents_url(bob.company)}{document.pk}/file/")

    assert admin_response.status_code == 200
    assert b"".join(admin_response.streaming_content) == pdf_bytes
    for response in (customer_response, bob_response, wrong_company_url):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("post", ""),
        ("post", "upload-url/"),
        ("get", "{doc}/"),
        ("post", "{doc}/complete/"),
        ("get", "{doc}/file/"),
    ],
)
def test_every_documents_endpoint_is_404_for_another_companys_staff(
    alice, bob, pdf_bytes, media_root, method, suffix
):
    document = DocumentFactory(company=alice.company)
    before = list(Document.objects.values_list("id", "status", "uploaded_at"))
    url = documents_url(alice.company) + suffix.format(doc=document.pk)
    kwargs = {}
    if method == "post" and not suffix:
        kwargs = {
            "data": {**INSURANCE, "file": SimpleUploadedFile("a.pdf", pdf_bytes)},
            "format": "multipart",
        }

    for client in (bob.owner_client, bob.dispatcher_client):
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert list(Document.objects.values_list("id", "status", "uploaded_at")) == before
    assert stored_files(media_root) == []


def test_documents_need_authentication(alice, api_client):
    response = api_client.get(documents_url(alice.company))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_uploading_recomputes_the_status(alice, pdf_bytes):
    assert alice.company.verification_status == "verified"  # the factory's default

    upload(alice.owner_client, alice.company, content=pdf_bytes)

    alice.company.refresh_from_db()
    assert alice.company.verification_status == "pending"


def test_an_upload_is_not_a_decision(alice, pdf_bytes):
    upload(alice.owner_client, alice.company, content=pdf_bytes)

    assert Document.objects.get().reviews.count() == 0


def test_an_insurance_policy_without_a_policy_type_is_accepted(alice, pdf_bytes, media_root):
    data = {key: value for key, value in INSURANCE.items() if key != "policy_type"}
    data["file"] = SimpleUploadedFile("scan.pdf", pdf_bytes, "application/pdf")

    response = alice.owner_client.post(documents_url(alice.company), data=data, format="multipart")

    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    assert (response.json()["policy_type"], document.policy_type) == ("", "")
    assert (document.kind, document.coverage_amount, document.currency) == (
        "insurance_policy",
        2000000,
        "EUR",
    )


def test_a_policy_type_that_is_given_must_be_a_known_one(alice, pdf_bytes, media_root):
    response = upload(alice.owner_client, alice.company, content=pdf_bytes, policy_type="fire")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"policy_type": ['"fire" is not a valid choice.']}
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []
