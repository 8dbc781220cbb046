"""Request bodies through the real ASGI server: limits before reading, chunked, many fields."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.verification.models import Document
from tests.server.conftest import assert_envelope, bearer

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024
ESTIMATE_URL = "/api/v1/quotes/estimate/"
INSURANCE = {
    "kind": "insurance_policy",
    "number": "POL-2025-001",
    "issuer": "Assurances Rhone",
    "issued_on": "2025-01-01",
    "expires_on": "2099-01-01",
    "coverage_amount": "2000000.00",
    "currency": "EUR",
    "policy_type": "combined",
}


def head(method: str, path: str, *lines: str) -> bytes:
    return "\r\n".join([f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *lines, "", ""]).encode()


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


@pytest.mark.parametrize("declared", [30 * MB, 200 * MB])
def test_a_declared_oversized_json_body_is_refused_413_before_it_is_sent(asgi_server, declared):
    # Only the first KB is ever sent: a server that waits for the body times out this test.
    request = (
        head(
            "POST",
            ESTIMATE_URL,
            "Content-Type: application/json",
            f"Content-Length: {declared}",
            "Connection: close",
        )
        + b'{"company": 1, "notes": "'
        + b"x" * 1000
    )

    response = asgi_server.raw(request, timeout=5)

    error = assert_envelope(response, status=413, code="payload_too_large")
    assert error["message"] == f"The body is over {MB} bytes."


def test_a_chunked_json_body_over_the_limit_is_refused_while_it_streams(asgi_server):
    # 1 MB + 1 KB in 64 KB chunks and no final chunk: counted while it arrives, not afterwards.
    request = (
        head(
            "POST",
            ESTIMATE_URL,
            "Content-Type: application/json",
            "Transfer-Encoding: chunked",
            "Connection: close",
        )
        + b"".join(chunk(b"x" * (64 * 1024)) for _ in range(16))
        + chunk(b"x" * 1024)
    )

    response = asgi_server.raw(request, timeout=5)

    assert_envelope(response, status=413, code="payload_too_large")


def test_a_declared_multipart_body_over_the_upload_limit_is_refused_before_it_is_sent(
    asgi_server, settings
):
    declared = settings.VERIFICATION_MAX_UPLOAD_BODY_BYTES + 1
    request = (
        head(
            "POST",
            "/api/v1/companies/1/documents/",
            "Content-Type: multipart/form-data; boundary=b",
            f"Content-Length: {declared}",
            "Connection: close",
        )
        + b"--b\r\n"
    )

    response = asgi_server.raw(request, timeout=5)

    assert_envelope(response, status=413, code="payload_too_large")


def test_a_multipart_upload_over_the_json_limit_still_reaches_the_documents_view(
    asgi_server, alice
):
    pdf = b"%PDF-1.4\n" + b"x" * (3 * MB // 2)

    with asgi_server.client() as client:
        response = client.post(
            f"/api/v1/companies/{alice.company.id}/documents/",
            data=INSURANCE,
            files={"file": ("scan.pdf", pdf, "application/pdf")},
            headers=bearer(alice.owner),
        )

    assert response.status_code == 201, response.content
    document = Document.objects.get()
    assert (document.company_id, document.kind, document.file_size) == (
        alice.company.id,
        "insurance_policy",
        len(pdf),
    )


def test_a_chunked_patch_of_me_is_read_and_applied(asgi_server, alice):
    body = b'{"name": "Chunked Name"}'

    with asgi_server.client() as client:
        response = client.patch(
            "/api/v1/me/",
            content=iter([body[:10], body[10:]]),  # an iterator: httpx sends it chunked
            headers={"Content-Type": "application/json", **bearer(alice.owner)},
        )

    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Chunked Name"
    assert User.objects.get(pk=alice.owner.pk).name == "Chunked Name"


def test_five_thousand_multipart_fields_are_413_in_the_envelope(asgi_server, alice):
    fields = {f"field{index}": "x" for index in range(5000)}

    with asgi_server.client() as client:
        response = client.post(
            f"/api/v1/companies/{alice.company.id}/documents/",
            data=fields,
            files={"file": ("scan.pdf", b"%PDF-1.4\n", "application/pdf")},
            headers=bearer(alice.owner),
        )

    error = assert_envelope(response, status=413, code="payload_too_large")
    assert error["message"] == "The request has too many fields or files."
    assert Document.objects.count() == 0


def test_an_unknown_host_under_api_is_400_in_the_envelope(asgi_server, alice):
    with asgi_server.client() as client:
        response = client.get(
            "/api/v1/me/", headers={"Host": "evil.example", **bearer(alice.owner)}
        )
        page = client.get("/dashboard/login/", headers={"Host": "evil.example"})

    error = assert_envelope(response, status=400, code="invalid")
    assert error["message"] == "The Host header names a host this server does not serve."
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
