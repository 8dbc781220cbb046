"""Fixtures and helpers of the accounts tests: codes read back from the dev outbox."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from apps.core.models import OutboxMessage

CODE_IN_MESSAGE = re.compile(r"\b(\d{6})\b")


def last_code_sent_to(destination: str) -> str:
    """The code in the last message the outbox kept for `destination`."""
    message = OutboxMessage.objects.filter(to=destination).first()
    assert message is not None, f"nothing was sent to {destination}"
    match = CODE_IN_MESSAGE.search(message.body)
    assert match is not None, message.body
    return match.group(1)


def assert_envelope(response, *, status: int, code: str) -> dict:
    """The response is an error in the envelope; returns its `error` object."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


@pytest.fixture(autouse=True)
def _mail_to_outbox(settings):
    """Django's test runner swaps in the locmem e-mail backend; use the dev outbox, as in dev."""
    settings.EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"


@pytest.fixture
def request_code(api_client: APIClient):
    """POST /auth/otp/request/ for `phone` or `email`; returns the response."""

    def _request(**destination: str):
        return api_client.post("/api/v1/auth/otp/request/", destination, format="json")

    return _request
