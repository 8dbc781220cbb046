"""Idempotency-Key (apps/core/idempotency.py) on accept and on move requests: replay, reuse,
in progress, per-user scope, 24 h expiry, pruning, key limits."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from apps.bookings.models import Booking, MoveRequest, Quote
from apps.core.idempotency import idempotency_lock_try, idempotency_records_prune
from apps.core.models import IdempotencyRecord
from apps.core.tasks import idempotency_prune_task
from tests.accounts.factories import CustomerFactory
from tests.bookings.quoting import URL, body, bookings_rows, create_request
from tests.conftest import auth_client_for
from tests.race import race

pytestmark = pytest.mark.django_db


def accept(client, quote_id: int, key: str | None, data: dict | None = None):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(f"/api/v1/quotes/{quote_id}/accept/", data, format="json", **headers)


@pytest.fixture
def quotes(priced, customer_client):
    return create_request(customer_client)["quotes"]


def test_a_retry_with_the_same_key_replays_the_first_answer(quotes, customer_client):
    first = accept(customer_client, quotes[0]["id"], "key-1")

    again = accept(customer_client, quotes[0]["id"], "key-1")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Booking.objects.count() == 1


def test_a_refusal_is_replayed_too(quotes, customer_client):
    Quote.objects.filter(pk=quotes[0]["id"]).update(expires_at=timezone.now())
    first = accept(customer_client, quotes[0]["id"], "key-1")
    Quote.objects.filter(pk=quotes[0]["id"]).update(expires_at=timezone.now() + timedelta(hours=1))

    again = accept(customer_client, quotes[0]["id"], "key-1")

    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()
    assert again.json()["error"]["code"] == "quote_expired"
    assert Booking.objects.count() == 0


def test_the_same_key_with_another_request_is_refused_with_422(quotes, customer_client):
    accept(customer_client, quotes[0]["id"], "key-1")
    before = bookings_rows()

    other_quote = accept(customer_client, quotes[1]["id"], "key-1")
    other_body = accept(customer_client, quotes[0]["id"], "key-1", {"note": "x"})
    other_endpoint = customer_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    for response in (other_quote, other_body, other_endpoint):
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert bookings_rows() == before


def test_keys_are_scoped_to_the_caller(priced, customer_client):
    other_client = auth_client_for(CustomerFactory())
    mine = create_request(customer_client)["quotes"][0]
    theirs = create_request(other_client)["quotes"][0]

    first = accept(customer_client, mine["id"], "shared-key")
    second = accept(other_client, theirs["id"], "shared-key")

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert not second.has_header("Idempotent-Replayed")
    assert Booking.objects.count() == 2


def test_a_key_is_forgotten_after_its_ttl(quotes, customer_client, settings):
    settings.IDEMPOTENCY_KEY_TTL_HOURS = 24
    accept(customer_client, quotes[0]["id"], "key-1")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))

    reused = customer_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert reused.status_code == 201  # a new request, not a 422 against the forgotten one
    assert MoveRequest.objects.count() == 2
    assert IdempotencyRecord.objects.get().response_status == 201
    assert IdempotencyRecord.objects.get().created_at > timezone.now() - timedelta(minutes=1)


def test_a_key_is_still_honoured_just_before_its_ttl(quotes, customer_client):
    accept(customer_client, quotes[0]["id"], "key-1")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=23, minutes=59))

    again = accept(customer_client, quotes[0]["id"], "key-1")

    assert again["Idempotent-Replayed"] == "true"


def test_prune_deletes_only_expired_keys(quotes, customer_client):
    accept(customer_client, quotes[0]["id"], "old")
    create_request(customer_client, notes="x")  # no key: nothing stored
    customer_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="fresh")
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=25)
    )

    assert idempotency_prune_task() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    assert idempotency_records_prune(now=timezone.now() + timedelta(hours=25)) == 1


@pytest.mark.parametrize(
    ("key", "message"), [("", "Must not be empty."), ("k" * 256, "At most 255 characters.")]
)
def test_an_empty_or_too_long_key_is_refused(quotes, customer_client, key, message):
    before = bookings_rows()

    response = accept(customer_client, quotes[0]["id"], key)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"Idempotency-Key": [message]}
    assert bookings_rows() == before


def test_a_key_of_255_characters_and_the_quoted_form_are_accepted(quotes, customer_client):
    long_key = "k" * 255

    first = accept(customer_client, quotes[0]["id"], long_key)
    quoted = accept(customer_client, quotes[0]["id"], f'"{long_key}"')  # sf-string form

    assert first.status_code == 201
    assert quoted["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.get().key == long_key


def test_move_request_retried_with_its_key_is_created_once(priced, customer_client):
    first = customer_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="mr-1")

    again = customer_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="mr-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert MoveRequest.objects.count() == 1
    assert Quote.objects.count() == 2


def test_invalid_input_with_a_key_is_answered_and_replayed_but_stores_no_request(
    priced, customer_client
):
    bad = body(stairs_origin=31)

    first = customer_client.post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="bad-1")
    again = customer_client.post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="bad-1")

    assert first.status_code == again.status_code == 400
    assert again.json() == first.json()
    assert MoveRequest.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_retry_while_the_first_still_runs_gets_409_request_in_progress(priced, customer):
    client = auth_client_for(customer)
    quote = create_request(client)["quotes"][0]
    locked, release = threading.Event(), threading.Event()

    def hold_the_key() -> None:  # the first request, still running
        try:
            with transaction.atomic():
                assert idempotency_lock_try(user_id=customer.pk, key="key-1")
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    first = threading.Thread(target=hold_the_key)
    first.start()
    assert locked.wait(timeout=30)
    try:
        response = accept(client, quote["id"], "key-1")
    finally:
        release.set()
        first.join(timeout=30)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "request_in_progress"
    assert Booking.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0
    assert accept(client, quote["id"], "key-1").status_code == 201  # once the first is gone


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_make_one_booking_and_the_rest_wait_or_replay(priced, customer):
    quote = create_request(auth_client_for(customer))["quotes"][0]
    clients = [auth_client_for(customer) for _ in range(6)]

    responses = race([lambda c=c: accept(c, quote["id"], "dup-key") for c in clients])

    assert Booking.objects.count() == 1
    created = [r for r in responses if r.status_code == 201]
    others = [r for r in responses if r.status_code != 201]
    assert created  # the first, and any replays of it
    assert all(r.content == created[0].content for r in created)
    assert sum(not r.has_header("Idempotent-Replayed") for r in created) == 1
    assert all(r.status_code == 409 for r in others)
    assert {r.json()["error"]["code"] for r in others} <= {"request_in_progress"}
    assert IdempotencyRecord.objects.count() == 1
