"""Every API error leaves in the envelope of DESIGN.md, framework errors included."""

from __future__ import annotations

import pytest
from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.core.errors import SlotTaken
from movehub.urls import urlpatterns as project_urlpatterns


class _Input(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=500)


class _EchoApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        data = _Input(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(data.validated_data)


class _TwoPerMinute(AnonRateThrottle):
    rate = "2/min"


class _ThrottledApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [_TwoPerMinute]

    def get(self, request):
        return Response({"ok": True})


class _ConflictApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        raise SlotTaken("Truck T-12 is already booked 09:00-13:00.")


class _CrashApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("boom")


urlpatterns = [
    path("api/test/echo/", _EchoApi.as_view()),
    path("api/test/throttled/", _ThrottledApi.as_view()),
    path("api/test/conflict/", _ConflictApi.as_view()),
    path("api/test/crash/", _CrashApi.as_view()),
    *project_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def assert_envelope(response, *, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_unknown_api_path_is_404_in_envelope(api_client):
    assert_envelope(api_client.get("/api/v1/no-such-thing/"), status=404, code="not_found")


def test_wrong_method_is_405_in_envelope(api_client):
    assert_envelope(api_client.get("/api/test/echo/"), status=405, code="method_not_allowed")


def test_validation_error_is_400_with_field_details(api_client):
    error = assert_envelope(
        api_client.post("/api/test/echo/", {"quantity": 0}, format="json"),
        status=400,
        code="invalid",
    )
    assert list(error["details"]) == ["quantity"]
    assert error["details"]["quantity"] == ["Ensure this value is greater than or equal to 1."]


def test_throttled_request_is_429_with_retry_after(api_client):
    assert api_client.get("/api/test/throttled/").status_code == 200
    assert api_client.get("/api/test/throttled/").status_code == 200
    response = api_client.get("/api/test/throttled/")
    error = assert_envelope(response, status=429, code="throttled")
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60
    assert error["details"] == {"retry_after": retry_after}


def test_unauthenticated_is_401_in_envelope(api_client):
    assert_envelope(api_client.get("/api/v1/me/"), status=401, code="not_authenticated")


def test_domain_conflict_is_409_with_its_code(api_client):
    error = assert_envelope(api_client.post("/api/test/conflict/"), status=409, code="slot_taken")
    assert error["message"] == "Truck T-12 is already booked 09:00-13:00."


def test_malformed_json_is_400_invalid(api_client):
    response = api_client.post("/api/test/echo/", data="{not json", content_type="application/json")
    assert_envelope(response, status=400, code="invalid")


def test_deeply_nested_json_is_400_not_500(api_client):
    body = "[" * 5000 + "]" * 5000
    response = api_client.post("/api/test/echo/", data=body, content_type="application/json")
    assert_envelope(response, status=400, code="invalid")


def test_body_over_one_megabyte_is_413(api_client):
    body = '{"quantity": 1, "pad": "' + "x" * (1024 * 1024) + '"}'
    response = api_client.post("/api/test/echo/", data=body, content_type="application/json")
    assert_envelope(response, status=413, code="payload_too_large")


def test_unsupported_media_type_is_415(api_client):
    response = api_client.post("/api/test/echo/", data="quantity=1", content_type="text/plain")
    assert_envelope(response, status=415, code="unsupported_media_type")


def test_unexpected_error_is_500_in_envelope_without_internals(api_client):
    api_client.raise_request_exception = False
    error = assert_envelope(api_client.get("/api/test/crash/"), status=500, code="server_error")
    assert "boom" not in error["message"]


def test_every_response_carries_a_request_id(api_client):
    response = api_client.get("/api/v1/no-such-thing/", HTTP_X_REQUEST_ID="client-chosen-id-1")
    assert response["X-Request-ID"] == "client-chosen-id-1"
    generated = api_client.get("/health/")["X-Request-ID"]
    assert len(generated) == 32


def test_garbage_bearer_token_is_401_with_a_sentence_not_a_repr(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    error = assert_envelope(api_client.get("/api/v1/me/"), status=401, code="not_authenticated")
    assert error["message"] == "Given token not valid for any token type"


def test_form_encoded_body_is_415_the_api_takes_json(api_client):
    response = api_client.post(
        "/api/test/echo/", data="quantity=1", content_type="application/x-www-form-urlencoded"
    )
    assert_envelope(response, status=415, code="unsupported_media_type")
