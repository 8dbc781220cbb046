"""Races: owners saving rules at the same moment get consecutive versions, never a 500."""

from __future__ import annotations

import pytest

from apps.pricing.examples import LONG_DISTANCE_SPECIALIST, SMALL_LOCAL_MOVER
from apps.pricing.models import PricingConfig
from tests.conftest import auth_client_for
from tests.pricing.factories import PricingConfigFactory, stored_rules
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


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
