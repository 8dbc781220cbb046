"""Staff API lockout through the real ASGI server (django-axes takes its async path there)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.server.conftest import assert_envelope

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN_URL = "/api/v1/auth/token/"


def test_fifth_wrong_password_and_then_the_right_one_answer_429_with_retry_after(asgi_server):
    staff = UserFactory()
    with asgi_server.client() as client:
        first_four = [
            client.post(TOKEN_URL, json={"email": staff.email, "password": "wrong"}).status_code
            for _ in range(4)
        ]
        fifth = client.post(TOKEN_URL, json={"email": staff.email, "password": "wrong"})
        right = client.post(TOKEN_URL, json={"email": staff.email, "password": TEST_PASSWORD})

    assert first_four == [401, 401, 401, 401]
    for response in (fifth, right):
        error = assert_envelope(response, status=429, code="throttled")
        assert response.headers["retry-after"] == "900"
        assert error["details"] == {"retry_after": 900}
    assert "access" not in right.json()
    assert AccessAttempt.objects.get(username=staff.email).failures_since_start == 6
