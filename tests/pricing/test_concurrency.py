"""Races: owners saving rules at the same moment get consecutive versions, never a 500."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from apps.pricing.examples import LONG_DISTANCE_SPECIALIST, SMALL_LOCAL_MOVER
from apps.pricing.models import PricingConfig
from tests.conftest import auth_client_for
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = pytest.mark.django_db(transaction=True)


def race(actions: list) -> list:
    """Run each action in its own thread, released together by a barrier; their responses."""
    barrier = threading.Barrier(len(actions))
    responses: list = [None] * len(actions)
    errors: list[BaseException] = []

    def run(index: int, action) -> None:
        try:
            barrier.wait(timeout=10)
            responses[index] = action()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return responses


ROUNDS = 5  # a lost race shows up within a few rounds when the company row is not locked


def test_two_owners_saving_at_once_get_versions_n_plus_1_and_n_plus_2(alice):
    PricingConfigFactory(company=alice.company, version=1)
    url = f"/api/v1/companies/{alice.company.id}/pricing/"
    documents = [SMALL_LOCAL_MOVER, LONG_DISTANCE_SPECIALIST]
    clients = [auth_client_for(alice.owner), auth_client_for(alice.owner)]

    for latest in range(1, 1 + 2 * ROUNDS, 2):
        responses = race(
            [
                lambda client=client, document=document: client.put(url, document, format="json")
                for client, document in zip(clients, documents, strict=True)
            ]
        )

        assert [response.status_code for response in responses] == [200, 200]
        versions = sorted(response.json()["version"] for response in responses)
        assert versions == [latest + 1, latest + 2]
        stored = {
            config.version: config.rules
            for config in PricingConfig.objects.filter(company=alice.company, version__in=versions)
        }
        # Each answer names the version that holds its own document.
        for response, document in zip(responses, documents, strict=True):
            assert stored[response.json()["version"]] == stored_rules(document)
    assert PricingConfig.objects.filter(company=alice.company).count() == 1 + 2 * ROUNDS
