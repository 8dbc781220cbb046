"""Share links over REST and the public page: create, revoke, and who gets a 404."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.bookings.models import Booking
from apps.tracking.models import ShareLink
from tests.bookings.lifecycle_support import booking_in
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

Status = Booking.Status


@pytest.fixture
def job(alice) -> Booking:
    return booking_in(Status.IN_PROGRESS, company=alice)


def links_url(booking: Booking) -> str:
    return f"/api/v1/bookings/{booking.pk}/share-links/"


def links_state() -> list[dict]:
    return list(ShareLink.objects.order_by("id").values())


def test_customer_creates_a_link_shown_once_and_stored_hashed(job, settings):
    settings.TRACKING_SHARE_LINK_DEFAULT_MINUTES = 240
    before = timezone.now()
    response = auth_client_for(job.customer).post(links_url(job), {}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "url", "expires_at"}
    token = body["token"]
    assert len(token) == 43  # 32 random bytes, URL-safe base64
    assert body["url"] == f"http://testserver/t/{token}/"
    link = ShareLink.objects.get()
    assert link.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert link.booking_id == job.pk
    assert link.created_by_id == job.customer_id
    assert before + timedelta(minutes=240) <= link.expires_at
    assert link.expires_at <= timezone.now() + timedelta(minutes=240)
    assert body["expires_at"] == link.expires_at.isoformat().replace("+00:00", "Z")
    assert token not in str(links_state())


def test_staff_create_a_link_with_their_own_lifetime(job, alice):
    response = alice.dispatcher_client.post(
        links_url(job), {"expires_in_minutes": 30}, format="json"
    )
    assert response.status_code == 201
    link = ShareLink.objects.get()
    assert abs(link.expires_at - link.created_at - timedelta(minutes=30)) < timedelta(seconds=1)
    assert link.created_by_id == alice.dispatcher.pk


def test_a_lifetime_over_the_maximum_is_refused(job, settings):
    settings.TRACKING_SHARE_LINK_MAX_MINUTES = 60
    response = auth_client_for(job.customer).post(
        links_url(job), {"expires_in_minutes": 61}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "expires_in_minutes" in response.json()["error"]["details"]
    assert links_state() == []


def test_an_unknown_field_is_refused(job):
    response = auth_client_for(job.customer).post(links_url(job), {"token": "x"}, format="json")
    assert response.status_code == 400
    assert links_state() == []


def test_a_stranger_gets_404_and_no_link(job, bob):
    response = bob.owner_client.post(links_url(job), {}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert links_state() == []


def test_anonymous_gets_401_and_no_link(job, api_client):
    response = api_client.post(links_url(job), {}, format="json")
    assert response.status_code == 401
    assert links_state() == []


def test_no_link_once_the_job_is_over(alice):
    done = booking_in(Status.COMPLETED, company=alice)
    response = auth_client_for(done.customer).post(links_url(done), {}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert links_state() == []


def create_link(job: Booking) -> str:
    return auth_client_for(job.customer).post(links_url(job), {}, format="json").json()["token"]


def test_revoking_marks_the_link_and_is_idempotent(job, alice):
    token = create_link(job)
    response = alice.owner_client.delete(f"{links_url(job)}{token}/")
    assert response.status_code == 204
    revoked_at = ShareLink.objects.get().revoked_at
    assert revoked_at is not None
    assert alice.owner_client.delete(f"{links_url(job)}{token}/").status_code == 204
    assert ShareLink.objects.get().revoked_at == revoked_at


def test_revoking_an_unknown_token_or_anothers_booking_is_404(job, alice, bob):
    token = create_link(job)
    other = booking_in(Status.SCHEDULED, company=alice, start=job.scheduled_end)
    client = auth_client_for(job.customer)
    assert client.delete(f"{links_url(job)}not-a-token/").status_code == 404
    assert auth_client_for(other.customer).delete(f"{links_url(other)}{token}/").status_code == 404
    assert bob.owner_client.delete(f"{links_url(job)}{token}/").status_code == 404
    assert ShareLink.objects.get().revoked_at is None


def test_the_page_shows_the_live_map_with_vendored_leaflet(job, client, settings):
    settings.TRACKING_SHARE_TILE_URL = ""
    token = create_link(job)
    response = client.get(f"/t/{token}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'data-socket-path="/ws/share/{token}/"' in html
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in html
    assert 'href="/static/vendor/leaflet/leaflet.css"' in html
    assert 'data-tile-url=""' in html
    assert "unpkg" not in html and "cdn" not in html.lower()
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/tracking/share.js").status_code == 200


@pytest.mark.parametrize("state", ["unknown", "expired", "revoked"])
def test_the_page_is_404_for_an_unknown_expired_or_revoked_link(job, client, state):
    token = create_link(job)
    if state == "unknown":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif state == "expired":
        ShareLink.objects.update(
            expires_at=timezone.now() - timedelta(seconds=1),
            created_at=timezone.now() - timedelta(hours=1),
        )
    else:
        ShareLink.objects.update(revoked_at=timezone.now())
    response = client.get(f"/t/{token}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
