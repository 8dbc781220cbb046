"""Lone UTF-16 surrogates in JSON bodies are refused with 400 `invalid`, never a 500."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.companies.models import Membership, Truck
from tests.server.conftest import assert_envelope, bearer

pytestmark = pytest.mark.django_db(transaction=True)

# JSON text, as a client would send it: `\ud800` is a lone (high) surrogate escape.
SURROGATE = "\\ud800"


def _cases(alice) -> list[tuple[str, str, str, object]]:
    """(method, path, JSON body, user) triples over several endpoints and both keys and values."""
    company = f"/api/v1/companies/{alice.company.id}"
    member = Membership.objects.get(user=alice.dispatcher)
    return [
        ("PATCH", "/api/v1/me/", f'{{"name": "x", "{SURROGATE}": 1}}', alice.owner),
        ("PATCH", "/api/v1/me/", f'{{"name": "x{SURROGATE}"}}', alice.owner),
        (
            "PATCH",
            f"{company}/trucks/{alice.truck.id}/",
            f'{{"status": "{SURROGATE}"}}',
            alice.owner,
        ),
        ("PATCH", f"{company}/members/{member.id}/", f'{{"role": "{SURROGATE}"}}', alice.owner),
        (
            "POST",
            f"{company}/documents/upload-url/",
            f'{{"kind": "{SURROGATE}", "content_type": "application/pdf"}}',
            alice.owner,
        ),
        (
            "POST",
            f"{company}/documents/upload-url/",
            f'{{"kind": "insurance", "content_type": "{SURROGATE}"}}',
            alice.owner,
        ),
        ("POST", "/api/v1/auth/otp/request/", f'{{"phone": "{SURROGATE}"}}', None),
        ("POST", "/api/v1/quotes/estimate/", f'{{"company": 1, "{SURROGATE}": [1]}}', None),
        ("POST", "/api/v1/companies/", f'{{"nested": {{"deep": ["{SURROGATE}"]}}}}', alice.owner),
    ]


@pytest.mark.parametrize("case", range(9))
def test_a_lone_surrogate_anywhere_in_the_json_is_400_invalid(asgi_server, alice, case):
    method, path, body, user = _cases(alice)[case]
    names_before = dict(User.objects.values_list("id", "name"))
    truck_status_before = alice.truck.status
    headers = {"Content-Type": "application/json", **(bearer(user) if user else {})}

    with asgi_server.client() as client:
        response = client.request(method, path, content=body.encode(), headers=headers)

    error = assert_envelope(response, status=400, code="invalid")
    assert error == {
        "code": "invalid",
        "message": "JSON strings must not contain lone surrogates (U+D800 to U+DFFF).",
        "details": {},
    }
    assert dict(User.objects.values_list("id", "name")) == names_before
    assert Truck.objects.get(pk=alice.truck.pk).status == truck_status_before
