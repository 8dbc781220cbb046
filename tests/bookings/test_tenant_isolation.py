"""Tenant and customer isolation sweep of the bookings API: every endpoint, every method.

alice's customer Ada has a booking in each state, a move request with an open quote, an
invoice, a photo, a message, a review and a notification. To bob's owner, dispatcher and driver
and to another customer, each of those URLs answers 404 `not_found` and no row of the bookings
app (nor any company's counters) changes. Lists scoped to the caller show none of it. The table
is checked against the URL resolver: a new bookings endpoint fails the sweep until it is added.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver
from django.utils import timezone

from apps.bookings.api import urls as bookings_urls
from apps.bookings.lifecycle_services import booking_complete
from apps.bookings.message_services import booking_message_post
from apps.bookings.models import Booking, Notification
from apps.bookings.photo_services import booking_photo_upload
from apps.bookings.selectors import booking_get_for_user
from apps.companies.models import Company
from apps.verification.demo_files import tiny_png
from tests.accounts.factories import CustomerFactory
from tests.bookings.engagement_helpers import customer_with_email_and_phone
from tests.bookings.factories import BookingFactory, MoveRequestFactory, QuoteFactory
from tests.bookings.lifecycle_support import booking_in
from tests.bookings.review_factories import stored_review
from tests.bookings.scheduling import at, body, ready
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

Status = Booking.Status
PHOTO = "<photo>"  # a multipart upload of a small PNG
SLOT = (at(9, days=9), at(13, days=9))
WINDOW = urlencode({"start": SLOT[0].isoformat(), "end": SLOT[1].isoformat()})

# (method, path under /api/v1/, body, which of Ada's bookings `{booking}` is, who may call it).
# Placeholders: {booking}, {move_request}, {quote}, {photo}, {notification}, {company}.
OBJECT_ENDPOINTS: list[tuple[str, str, Any, str | None, str]] = [
    ("get", "move-requests/{move_request}/", None, None, "customer"),
    ("get", "move-requests/{move_request}/quotes/", None, None, "customer"),
    ("post", "quotes/{quote}/accept/", {}, None, "customer"),
    ("get", "bookings/{booking}/", None, "done", "customer"),
    ("get", "bookings/{booking}/events/", None, "done", "customer"),
    ("post", "bookings/{booking}/schedule/", "<schedule>", "confirmed", "owner"),
    ("get", "bookings/{booking}/suggestions/", None, "confirmed", "owner"),
    ("get", "companies/{company}/availability/?" + WINDOW, None, None, "owner"),
    ("post", "bookings/{booking}/start/", {}, "scheduled", "driver"),
    ("post", "bookings/{booking}/complete/", {"handover_note": "Left."}, "in_progress", "owner"),
    ("post", "bookings/{booking}/cancel/", {"reason": "No."}, "scheduled", "customer"),
    ("get", "bookings/{booking}/invoice/", None, "done", "customer"),
    ("get", "bookings/{booking}/photos/", None, "done", "customer"),
    ("post", "bookings/{booking}/photos/", PHOTO, "in_progress", "driver"),
    ("get", "bookings/{booking}/photos/{photo}/file/", None, "done", "customer"),
    ("get", "bookings/{booking}/review/", None, "done", "customer"),
    ("post", "bookings/{booking}/review/", {"rating": 5}, "reviewable", "customer"),
    ("post", "bookings/{booking}/review/reply/", {"reply": "Thanks."}, "done", "owner"),
    ("get", "bookings/{booking}/messages/", None, "done", "customer"),
    ("post", "bookings/{booking}/messages/", {"body": "Hello?"}, "done", "customer"),
    ("post", "notifications/{notification}/read/", {}, None, "customer"),
]
# Lists and actions over the caller's own rows: they name no object, so they answer 200, with
# nothing of Ada's in them.
SCOPED_ENDPOINTS: list[tuple[str, str, Any]] = [
    ("get", "move-requests/", None),
    ("get", "bookings/", None),
    ("get", "notifications/", None),
    ("post", "notifications/read-all/", {}),
]
# Endpoints outside the sweep, and why.
EXEMPT_ENDPOINTS: dict[tuple[str, str], str] = {
    ("post", "move-requests/"): "creates the caller's own request; names nothing of anyone's",
    ("get", "companies/{company}/reviews/"): "public: a verified company's reviews",
}
OBJECT_IDS = [f"{method} {path.split('?')[0]}" for method, path, *_ in OBJECT_ENDPOINTS]
OUTSIDERS = ("owner", "dispatcher", "driver", "customer")


@pytest.fixture
def world(alice, bob, settings, tmp_path) -> SimpleNamespace:
    """Ada's bookings with alice in every state, and everything a booking collects."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ready(alice)
    ada = customer_with_email_and_phone(name="Ada", email="ada@example.com")
    now = timezone.now()
    hours = [now + timedelta(hours=h) for h in (1, 6, 11)]
    scheduled = booking_in(
        Status.SCHEDULED, company=alice, start=hours[0], move_request__customer=ada
    )
    in_progress = booking_in(
        Status.IN_PROGRESS, company=alice, start=hours[1], move_request__customer=ada
    )
    done = booking_in(Status.IN_PROGRESS, company=alice, start=hours[2], move_request__customer=ada)
    photo = booking_photo_upload(
        booking=done, actor=alice.owner, file=_png(), declared_type="image/png"
    )
    booking_complete(booking=done, actor=alice.owner, handover_code=done.handover_code)
    stored_review(booking=done, rating=4, comment="Fine.")
    booking_message_post(access=booking_get_for_user(user=ada, booking_id=done.pk), body="Hi")
    move_request = MoveRequestFactory(customer=ada)
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        ada=ada,
        bookings={
            "confirmed": BookingFactory(company=alice.company, move_request__customer=ada),
            "scheduled": scheduled,
            "in_progress": in_progress,
            "done": done,
            "reviewable": BookingFactory(
                company=alice.company,
                move_request__customer=ada,
                status=Status.COMPLETED,
                completed_at=now,
            ),
        },
        move_request=move_request,
        quote=QuoteFactory(company=alice.company, move_request=move_request),
        photo=photo,
        notification=Notification.objects.filter(user=ada).earliest("id"),
        other_customer=CustomerFactory(),
    )


def _png() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", tiny_png(), content_type="image/png")


def _url(world: SimpleNamespace, path: str, booking: str | None) -> str:
    return "/api/v1/" + path.format(
        booking=world.bookings[booking].pk if booking else "",
        move_request=world.move_request.pk,
        quote=world.quote.pk,
        photo=world.photo.pk,
        notification=world.notification.pk,
        company=world.alice.company.pk,
    )


def _call(client, world: SimpleNamespace, method: str, url: str, payload: Any):
    if payload is None:
        return getattr(client, method)(url)
    if payload == PHOTO:
        return client.post(url, {"file": _png()}, format="multipart")
    if payload == "<schedule>":
        payload = body(world.alice.truck, [world.alice.driver], *SLOT)
    return getattr(client, method)(url, payload, format="json")


def _outsider_client(world: SimpleNamespace, who: str):
    if who == "customer":
        return auth_client_for(world.other_customer)
    return getattr(world.bob, f"{who}_client")


def _rightful_client(world: SimpleNamespace, who: str):
    return (
        auth_client_for(world.ada) if who == "customer" else getattr(world.alice, f"{who}_client")
    )


def bookings_state() -> dict[str, list[dict]]:
    """Every row of every bookings model, and the companies (their review counters)."""
    state = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("bookings").get_models()
    }
    state["companies"] = list(Company.objects.order_by("pk").values())
    return state


@pytest.mark.parametrize(
    ("method", "path", "payload", "booking", "who"), OBJECT_ENDPOINTS, ids=OBJECT_IDS
)
def test_adas_objects_are_404_to_bobs_staff_and_another_customer_and_nothing_changes(
    world, method, path, payload, booking, who
):
    url = _url(world, path, booking)
    before = bookings_state()

    answers = {
        outsider: _call(_outsider_client(world, outsider), world, method, url, payload)
        for outsider in OUTSIDERS
    }

    for outsider, response in answers.items():
        assert response.status_code == 404, (outsider, url, response.content[:200])
        assert response.json()["error"]["code"] == "not_found", outsider
    assert bookings_state() == before


@pytest.mark.parametrize(
    ("method", "path", "payload", "booking", "who"), OBJECT_ENDPOINTS, ids=OBJECT_IDS
)
def test_the_sweeps_urls_are_real_their_rightful_caller_is_not_refused(
    world, method, path, payload, booking, who
):
    url = _url(world, path, booking)

    response = _call(_rightful_client(world, who), world, method, url, payload)

    assert response.status_code in (200, 201), (url, response.content[:300])


@pytest.mark.parametrize(("method", "path", "payload"), SCOPED_ENDPOINTS)
def test_the_callers_own_lists_show_nothing_of_adas_and_change_nothing(
    world, method, path, payload
):
    url = _url(world, path, None)
    before = bookings_state()
    adas = {
        "move-requests/": {world.move_request.pk}
        | {b.move_request_id for b in world.bookings.values()},
        "bookings/": {b.pk for b in world.bookings.values()},
        "notifications/": set(
            Notification.objects.filter(user=world.ada).values_list("pk", flat=True)
        ),
    }

    for outsider in OUTSIDERS:
        response = _call(_outsider_client(world, outsider), world, method, url, payload)

        assert response.status_code == 200, (outsider, url)
        if method == "get":
            listed = {item["id"] for item in response.json()["results"]}
            assert listed & adas[path] == set(), (outsider, url)
        else:
            assert response.json() == {"count": 0}, outsider
    assert bookings_state() == before


def _routes(patterns: list, prefix: str = "") -> list[tuple[str, Any]]:
    routes: list[tuple[str, Any]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            routes.append((prefix + str(entry.pattern), entry.callback.view_class))
    return routes


def _template(route: str) -> str:
    """ "bookings/<int:booking_id>/" -> "bookings/{booking}/"."""
    for name in ("booking", "move_request", "quote", "photo", "notification", "company"):
        route = route.replace(f"<int:{name}_id>", "{" + name + "}")
    return route


def test_the_sweep_covers_every_bookings_endpoint_and_method():
    served = {
        (method, _template(route))
        for route, view in _routes(bookings_urls.urlpatterns)
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(view, method)
    }
    swept = {(method, path.split("?")[0]) for method, path, *_ in OBJECT_ENDPOINTS}
    swept |= {(method, path) for method, path, _ in SCOPED_ENDPOINTS}
    swept |= set(EXEMPT_ENDPOINTS)

    assert served - swept == set(), "add these endpoints to the sweep's tables"
    assert swept - served == set(), "these sweep rows name no endpoint"
