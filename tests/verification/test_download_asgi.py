"""Document downloads under ASGI: an asynchronous body (no sync-iterator warning), a true schema."""

from __future__ import annotations

import warnings

import pytest
import yaml
from asgiref.sync import async_to_sync
from django.test import AsyncClient
from rest_framework_simplejwt.tokens import RefreshToken

from apps.verification.models import Document
from tests.verification.test_upload import documents_url, upload

pytestmark = pytest.mark.django_db

SYNC_ITERATOR_WARNING = "StreamingHttpResponse must consume synchronous iterators"


def _download_over_asgi(url: str, user) -> tuple[int, dict[str, str], bytes]:
    """GET `url` through Django's ASGI request path and read the body the way the ASGI handler
    does (`async for` over the response). Run from this sync test with async_to_sync, so the
    view's database work happens on this thread and sees the test's transaction."""

    token = RefreshToken.for_user(user).access_token

    async def run() -> tuple[int, dict[str, str], bytes]:
        response = await AsyncClient().get(url, headers={"Authorization": f"Bearer {token}"})
        if response.streaming:
            body = b"".join([part async for part in response])
        else:
            body = response.content
        return response.status_code, dict(response.headers), body

    return async_to_sync(run)()


def test_a_download_under_asgi_streams_the_exact_bytes_without_the_sync_iterator_warning(
    alice, pdf_bytes
):
    upload(alice.owner_client, alice.company, content=pdf_bytes, name="policy.pdf")
    document = Document.objects.get()
    url = f"{documents_url(alice.company)}{document.pk}/file/"

    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=SYNC_ITERATOR_WARNING)
        status, headers, body = _download_over_asgi(url, alice.owner)

    assert status == 200
    assert body == pdf_bytes
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Length"] == str(len(pdf_bytes))
    assert headers["Content-Disposition"] == 'inline; filename="policy.pdf"'
    assert headers["Cache-Control"] == "private, no-store"


def test_a_png_download_under_asgi_is_served_as_png(alice, png_bytes):
    upload(alice.owner_client, alice.company, content=png_bytes, name="scan.png", content_type="")
    document = Document.objects.get()
    url = f"{documents_url(alice.company)}{document.pk}/file/"

    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=SYNC_ITERATOR_WARNING)
        status, headers, body = _download_over_asgi(url, alice.dispatcher)

    assert (status, headers["Content-Type"], body) == (200, "image/png", png_bytes)


def test_under_asgi_another_company_still_gets_404_in_the_envelope(alice, bob, pdf_bytes):
    upload(alice.owner_client, alice.company, content=pdf_bytes)
    document = Document.objects.get()
    url = f"{documents_url(alice.company)}{document.pk}/file/"

    status, headers, body = _download_over_asgi(url, bob.owner)

    assert status == 404
    assert headers["Content-Type"] == "application/json"
    assert b'"code":"not_found"' in body.replace(b" ", b"")


def test_the_schema_names_the_content_types_the_download_really_serves(client):
    response = client.get("/api/schema/")

    schema = yaml.safe_load(response.content)
    operation = schema["paths"]["/api/v1/companies/{company_id}/documents/{document_id}/file/"]
    assert sorted(operation["get"]["responses"]["200"]["content"]) == [
        "application/pdf",
        "image/jpeg",
        "image/png",
    ]
    assert "302" in operation["get"]["responses"]
