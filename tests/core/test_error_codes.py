"""Every error code of the contract has its ApplicationError subclass in apps.core.errors."""

from __future__ import annotations

import pytest

from apps.core import errors

CONTRACT_CODES = {
    "invalid": 400,
    "not_found": 404,
    "permission_denied": 403,
    "payload_too_large": 413,
    "slot_taken": 409,
    "invalid_transition": 409,
    "quote_expired": 409,
    "capacity_exhausted": 409,
    "company_not_verified": 409,
    "resource_not_assignable": 409,
    "already_exists": 409,
    "pricing_not_configured": 409,
    "request_in_progress": 409,
    "idempotency_key_reused": 422,
    "delivery_failed": 503,
    "service_unavailable": 503,
}


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


@pytest.mark.parametrize(("code", "status"), sorted(CONTRACT_CODES.items()))
def test_each_contract_code_is_an_application_error_in_core(code, status):
    in_core = [
        cls
        for cls in _subclasses(errors.ApplicationError)
        if cls.__module__ == "apps.core.errors" and cls.code == code
    ]

    assert [cls.status_code for cls in in_core] == [status]


def test_service_unavailable_renders_in_the_envelope():
    exc = errors.ServiceUnavailable()

    response = errors.api_exception_handler(exc, {})

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.data == {
        "error": {
            "code": "service_unavailable",
            "message": "A service this request needs is unavailable. Try again shortly.",
            "details": {},
        }
    }
