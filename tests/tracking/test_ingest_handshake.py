"""Who may open /ws/driver/: active drivers only; everyone else is refused at the handshake."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from rest_framework_simplejwt.tokens import AccessToken

from apps.tracking.models import Position
from tests.accounts.factories import CustomerFactory, UserFactory
from tests.tracking.ingest_support import driver_socket, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def assert_refused(token: str | None) -> None:
    communicator = driver_socket(token)
    connected, code = await communicator.connect()
    assert connected is False
    assert code == 1000  # closed before accept: Channels answers the handshake with 403
    assert await sync_to_async(Position.objects.count)() == 0


async def test_no_token_is_refused():
    await assert_refused(None)


async def test_a_malformed_token_is_refused():
    await assert_refused("not-a-jwt")


async def test_an_expired_token_is_refused(alice):
    token = AccessToken.for_user(alice.driver_user)
    token.set_exp(lifetime=-timedelta(minutes=1))
    await assert_refused(str(token))


async def test_a_stranger_is_refused(db):
    user = await sync_to_async(UserFactory)()
    await assert_refused(token_for(user))


async def test_a_customer_is_refused(db):
    customer = await sync_to_async(CustomerFactory)()
    await assert_refused(token_for(customer))


async def test_an_owner_who_is_not_a_driver_is_refused(alice):
    await assert_refused(token_for(alice.owner))


async def test_a_driver_whose_membership_is_inactive_is_refused(alice):
    membership = alice.driver.membership
    membership.is_active = False
    await sync_to_async(membership.save)()
    await assert_refused(token_for(alice.driver_user))


async def test_an_active_driver_connects_with_the_token_in_the_query(alice):
    communicator = driver_socket(token_for(alice.driver_user))
    connected, subprotocol = await communicator.connect()
    assert connected is True
    assert subprotocol is None
    await communicator.disconnect()


async def test_the_bearer_subprotocol_is_selected_when_the_token_comes_that_way(alice):
    communicator = driver_socket(token_for(alice.driver_user), subprotocol=True)
    connected, subprotocol = await communicator.connect()
    assert connected is True
    assert subprotocol == "bearer"
    await communicator.disconnect()
