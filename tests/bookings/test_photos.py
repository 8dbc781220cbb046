"""Proof-of-delivery photos: upload (checked like documents), list and download; who may."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.bookings.models import Booking, BookingPhoto
from apps.verification.demo_files import tiny_pdf, tiny_png
from tests.accounts.factories import CustomerFactory
from tests.bookings.lifecycle_support import booking_in, db_state, url
from tests.companies.factories import DriverFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

Status = Booking.Status


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Each test stores files in its own directory, so 'nothing stored' can be checked exactly."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def tiny_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def upload(client, booking: Booking, content: bytes, *, name="photo.png", content_type=None):
    file = SimpleUploadedFile(
        name, content, content_type=content_type or "application/octet-stream"
    )
    return client.post(url(booking, "photos"), {"file": file}, format="multipart")


@pytest.fixture
def job(alice) -> Booking:
    return booking_in(Status.IN_PROGRESS, company=alice)


def test_the_assigned_driver_uploads_a_photo_and_the_customer_sees_it(alice, job, settings):
    content = tiny_png()

    response = upload(alice.driver_client, job, content, content_type="image/png")

    assert response.status_code == 201, response.json()
    photo = BookingPhoto.objects.get(booking=job)
    body = response.json()
    assert body["id"] == photo.pk
    assert (body["content_type"], body["size"], body["uploaded_by"]) == (
        "image/png",
        len(content),
        alice.driver_user.pk,
    )
    assert body["url"] == f"/api/v1/bookings/{job.pk}/photos/{photo.pk}/file/"
    assert photo.file_key.startswith(f"bookings/{alice.company.pk}/{job.pk}/")
    assert photo.file_key.endswith(".png")
    assert stored_files(settings) == [photo.file_key]

    customer = auth_client_for(job.customer)
    listing = customer.get(url(job, "photos"))
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert listing.json()["results"] == [body]
    download = customer.get(body["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == content


def test_a_manager_adds_a_jpeg_after_completion(alice):
    booking = booking_in(Status.COMPLETED, company=alice)

    response = upload(alice.dispatcher_client, booking, tiny_jpeg(), name="x.jpg")

    assert response.status_code == 201
    assert response.json()["content_type"] == "image/jpeg"
    assert BookingPhoto.objects.get(booking=booking).file_key.endswith(".jpg")


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (
            tiny_pdf(),
            "application/pdf",
            "Only JPEG and PNG images are accepted (judged by content).",
        ),
        (
            b"GIF89a" + b"\0" * 40,
            None,
            "Only JPEG and PNG images are accepted (judged by content).",
        ),
        (b"", None, "The submitted file is empty."),
        (
            tiny_png(),
            "image/jpeg",
            "The file was declared as image/jpeg but its content is image/png.",
        ),
    ],
)
def test_files_that_are_not_photos_are_refused_and_nothing_is_stored(
    alice, job, settings, content, content_type, message
):
    before = db_state()

    response = upload(alice.driver_client, job, content, content_type=content_type)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"file": [message]}
    assert db_state() == before
    assert stored_files(settings) == []


def test_a_photo_over_the_size_limit_is_refused(alice, job, settings):
    settings.BOOKING_PHOTO_MAX_BYTES = 1000
    before = db_state()

    response = upload(alice.driver_client, job, tiny_png() + b"\0" * 1200)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"file": ["The file is larger than 1000 bytes."]}
    assert db_state() == before
    assert stored_files(settings) == []


def test_a_body_far_over_the_limit_is_413_before_it_is_read(alice, job, settings):
    settings.BOOKING_PHOTO_MAX_BYTES = 100

    response = upload(alice.driver_client, job, tiny_png() + b"\0" * 400)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert BookingPhoto.objects.count() == 0


def test_a_missing_file_is_400(alice, job):
    response = alice.driver_client.post(url(job, "photos"), {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"file": ["No file was submitted."]}


def test_no_more_than_the_setting_allows_per_booking(alice, job, settings):
    settings.BOOKING_PHOTO_MAX_PER_BOOKING = 1
    assert upload(alice.driver_client, job, tiny_png()).status_code == 201

    response = upload(alice.driver_client, job, tiny_png())

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"file": ["A booking has at most 1 photos."]}
    assert BookingPhoto.objects.count() == 1
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.SCHEDULED, Status.CANCELLED])
def test_photos_are_refused_before_the_job_starts_or_once_cancelled(alice, settings, status):
    booking = booking_in(status, company=alice)

    response = upload(alice.owner_client, booking, tiny_png())

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert BookingPhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_the_customer_and_other_drivers_may_not_upload(alice, job, settings):
    other_driver = auth_client_for(DriverFactory(company=alice.company).membership.user)

    for client in (auth_client_for(job.customer), other_driver):
        response = upload(client, job, tiny_png())

        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    assert BookingPhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_another_companys_staff_and_another_customer_get_404_everywhere(alice, bob, job, settings):
    assert upload(alice.driver_client, job, tiny_png()).status_code == 201
    photo = BookingPhoto.objects.get()
    stranger = auth_client_for(CustomerFactory())

    for client in (bob.owner_client, bob.dispatcher_client, bob.driver_client, stranger):
        assert upload(client, job, tiny_png()).status_code == 404
        assert client.get(url(job, "photos")).status_code == 404
        assert client.get(f"/api/v1/bookings/{job.pk}/photos/{photo.pk}/file/").status_code == 404
    assert BookingPhoto.objects.count() == 1
    assert len(stored_files(settings)) == 1


def test_a_photo_of_another_booking_is_404_under_this_bookings_url(alice, job):
    other = booking_in(Status.COMPLETED, company=alice, start=job.scheduled_end)
    assert upload(alice.owner_client, other, tiny_png()).status_code == 201
    photo = BookingPhoto.objects.get(booking=other)

    response = alice.owner_client.get(f"/api/v1/bookings/{job.pk}/photos/{photo.pk}/file/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_photo_whose_stored_file_is_gone_is_404_in_the_envelope(alice, job, settings):
    response = upload(alice.driver_client, job, tiny_png(), content_type="image/png")
    photo = BookingPhoto.objects.get(booking=job)
    (settings.MEDIA_ROOT / photo.file_key).unlink()  # a lost volume, a restore without media

    download = auth_client_for(job.customer).get(response.json()["url"])

    assert download.status_code == 404
    assert download.json()["error"]["code"] == "not_found"
