"""The pre-signed S3 upload, end to end against moto: upload-url -> POST the form -> complete.

moto's mock_aws intercepts botocore and also the `requests` library (through `responses`), so the
browser's step, a multipart POST of the file to the pre-signed form, really happens in-process.
moto does not enforce the POST policy (Content-Type, content-length-range); /complete/ checks the
object itself anyway, and the tests that need a wrong object put it with boto3.
"""

from __future__ import annotations

import hashlib
import re

import boto3
import pytest
import requests
from moto import mock_aws

from apps.verification.models import Document

pytestmark = pytest.mark.django_db

BUCKET = "movehub-test-documents"

METADATA = {
    "kind": "operating_licence",
    "number": "LIC-77",
    "issuer": "DREAL Auvergne-Rhône-Alpes",
    "issued_on": "2025-02-01",
    "expires_on": "2099-02-01",
}


@pytest.fixture
def s3(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.AWS_STORAGE_BUCKET_NAME = BUCKET
        settings.AWS_S3_REGION_NAME = "us-east-1"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        }
        yield client


def keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def start(client, company, *, content_type="application/pdf", size):
    return client.post(
        f"/api/v1/companies/{company.pk}/documents/upload-url/",
        {**METADATA, "content_type": content_type, "size": size, "original_name": "licence.pdf"},
        format="json",
    )


def post_form(form: dict, content: bytes, filename="licence.pdf") -> requests.Response:
    return requests.post(
        form["url"], data=form["fields"], files={"file": (filename, content)}, timeout=10
    )


def complete(client, company, document_id):
    return client.post(f"/api/v1/companies/{company.pk}/documents/{document_id}/complete/")


def test_presigned_upload_end_to_end(alice, s3, pdf_bytes):
    started = start(alice.owner_client, alice.company, size=len(pdf_bytes))
    assert started.status_code == 201
    body = started.json()
    document_id = body["document"]["id"]
    assert body["document"]["file"] is None
    assert body["expires_in"] == 600
    key = body["upload"]["fields"]["key"]
    assert re.fullmatch(rf"documents/{alice.company.pk}/[0-9a-f-]{{36}}\.pdf", key)
    assert body["upload"]["fields"]["Content-Type"] == "application/pdf"
    assert "policy" in body["upload"]["fields"]

    uploaded = post_form(body["upload"], pdf_bytes)
    assert uploaded.status_code in (200, 201, 204)

    completed = complete(alice.owner_client, alice.company, document_id)

    assert completed.status_code == 200
    assert completed.json()["file"] == {
        "original_name": "licence.pdf",
        "size": len(pdf_bytes),
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(pdf_bytes).hexdigest(),
        "url": f"/api/v1/companies/{alice.company.pk}/documents/{document_id}/file/",
    }
    document = Document.objects.get(pk=document_id)
    assert (document.status, document.file_key, document.is_uploaded) == ("pending", key, True)
    assert keys(s3) == [key]


def test_download_on_s3_redirects_to_a_short_lived_signed_url(alice, s3, pdf_bytes):
    started = start(alice.owner_client, alice.company, size=len(pdf_bytes)).json()
    post_form(started["upload"], pdf_bytes)
    complete(alice.owner_client, alice.company, started["document"]["id"])

    response = alice.owner_client.get(
        f"/api/v1/companies/{alice.company.pk}/documents/{started['document']['id']}/file/"
    )

    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(f"https://{BUCKET}.s3.amazonaws.com/documents/{alice.company.pk}/")
    assert "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=60&" in signed
    assert requests.get(signed, timeout=10).content == pdf_bytes


def test_a_png_uploaded_as_pdf_is_deleted_with_its_row_and_refused(alice, s3, png_bytes):
    started = start(alice.owner_client, alice.company, size=len(png_bytes)).json()
    post_form(started["upload"], png_bytes, filename="licence.pdf")
    assert len(keys(s3)) == 1

    response = complete(alice.owner_client, alice.company, started["document"]["id"])

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["details"]["file"] == [
        "The file was declared as application/pdf but its content is image/png."
    ]
    assert keys(s3) == []
    assert Document.objects.count() == 0


def test_an_executable_uploaded_as_pdf_is_deleted_and_refused(alice, s3):
    exe = b"MZ\x90\x00" + b"\x00" * 500
    started = start(alice.owner_client, alice.company, size=len(exe)).json()
    post_form(started["upload"], exe)

    response = complete(alice.owner_client, alice.company, started["document"]["id"])

    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG" in response.json()["error"]["details"]["file"][0]
    assert keys(s3) == []
    assert Document.objects.count() == 0


def test_an_object_of_another_size_than_declared_is_deleted_and_refused(alice, s3, pdf_bytes):
    started = start(alice.owner_client, alice.company, size=len(pdf_bytes)).json()
    # moto ignores the policy's content-length-range; S3 itself would refuse this POST.
    s3.put_object(Bucket=BUCKET, Key=started["upload"]["fields"]["key"], Body=pdf_bytes + b"xx")

    response = complete(alice.owner_client, alice.company, started["document"]["id"])

    assert response.status_code == 400
    assert response.json()["error"]["details"]["file"] == [
        f"Expected {len(pdf_bytes)} bytes, got {len(pdf_bytes) + 2}."
    ]
    assert keys(s3) == []
    assert Document.objects.count() == 0


def test_completing_before_uploading_is_400_and_keeps_the_pending_row(alice, s3, pdf_bytes):
    started = start(alice.owner_client, alice.company, size=len(pdf_bytes)).json()

    response = complete(alice.owner_client, alice.company, started["document"]["id"])

    assert response.status_code == 400
    assert response.json()["error"]["details"]["file"] == [
        "Nothing was uploaded for this document yet."
    ]
    assert Document.objects.get().uploaded_at is None


def test_completing_twice_is_a_409(alice, s3, pdf_bytes):
    started = start(alice.owner_client, alice.company, size=len(pdf_bytes)).json()
    post_form(started["upload"], pdf_bytes)
    complete(alice.owner_client, alice.company, started["document"]["id"])
    before = Document.objects.values_list("file_sha256", "uploaded_at").get()

    response = complete(alice.owner_client, alice.company, started["document"]["id"])

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert Document.objects.values_list("file_sha256", "uploaded_at").get() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"content_type": "application/x-msdownload"}, "content_type"),
        ({"size": 0}, "size"),
        ({"size": 11 * 1024 * 1024}, "size"),
    ],
)
def test_upload_url_refuses_bad_declarations_and_creates_nothing(alice, s3, fields, field):
    response = alice.owner_client.post(
        f"/api/v1/companies/{alice.company.pk}/documents/upload-url/",
        {**METADATA, "content_type": "application/pdf", "size": 100, **fields},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == [field]
    assert Document.objects.count() == 0
    assert keys(s3) == []


def test_upload_url_without_s3_storage_is_refused(alice):
    response = start(alice.owner_client, alice.company, size=100)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "need S3 storage" in response.json()["error"]["message"]
    assert Document.objects.count() == 0


INSURANCE_METADATA = {
    "kind": "insurance_policy",
    "number": "POL-9",
    "issuer": "Assurances Rhône",
    "issued_on": "2025-02-01",
    "expires_on": "2099-02-01",
    "coverage_amount": "1500000.00",
    "currency": "EUR",
    "content_type": "application/pdf",
    "size": 1000,
}


def test_an_upload_url_for_insurance_needs_no_policy_type(alice, s3):
    response = alice.owner_client.post(
        f"/api/v1/companies/{alice.company.pk}/documents/upload-url/",
        INSURANCE_METADATA,
        format="json",
    )

    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    assert (document.kind, document.policy_type, response.json()["document"]["policy_type"]) == (
        "insurance_policy",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("changes", "details"),
    [
        ({"size": "1000"}, {"size": ["Expected a number."]}),
        ({"size": True}, {"size": ["Expected a number."]}),
        ({"number": 77}, {"number": ["Expected a string."]}),
        (
            {"coverage_amount": True},
            {"coverage_amount": ['Expected a decimal as a string ("12.50") or a number.']},
        ),
        ({"coverage_amount": "0"}, {"coverage_amount": ["Must be greater than 0."]}),
        ({"currency": "XXX"}, {"currency": ["'XXX' is not an ISO 4217 currency code."]}),
        ({"colour": "red"}, {"colour": ["Unknown field."]}),
    ],
)
def test_the_upload_url_body_is_strict_json(alice, s3, changes, details):
    response = alice.owner_client.post(
        f"/api/v1/companies/{alice.company.pk}/documents/upload-url/",
        {**INSURANCE_METADATA, **changes},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == details
    assert Document.objects.count() == 0
    assert keys(s3) == []
