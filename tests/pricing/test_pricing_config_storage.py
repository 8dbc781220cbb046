"""Stored rules versions: validated before saving, numbered per company, immutable in the DB."""

from __future__ import annotations

import copy

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from apps.companies.models import Company
from apps.core.errors import Invalid
from apps.pricing.engine.rules import rules_parse
from apps.pricing.examples import LONG_DISTANCE_SPECIALIST, SMALL_LOCAL_MOVER
from apps.pricing.models import PricingConfig
from apps.pricing.services import pricing_config_save
from tests.pricing.conftest import pricing_rows
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = pytest.mark.django_db


def test_saving_numbers_versions_per_company(alice, bob):
    PricingConfigFactory(company=bob.company, version=1)
    PricingConfigFactory(company=bob.company, version=2)

    first = pricing_config_save(
        company=alice.company, document=SMALL_LOCAL_MOVER, actor=alice.owner
    )
    second = pricing_config_save(company=alice.company, document=SMALL_LOCAL_MOVER, actor=None)

    assert (first.version, second.version) == (1, 2)
    assert second.created_by is None
    assert list(
        PricingConfig.objects.order_by("company_id", "version").values_list("company_id", "version")
    ) == sorted(
        [(alice.company.id, 1), (alice.company.id, 2), (bob.company.id, 1), (bob.company.id, 2)]
    )


def test_the_stored_rules_are_the_validated_dump_and_parse_back_to_the_same_rules(alice):
    config = pricing_config_save(
        company=alice.company, document=LONG_DISTANCE_SPECIALIST, actor=alice.owner
    )

    config.refresh_from_db()
    assert config.rules == rules_parse(LONG_DISTANCE_SPECIALIST).model_dump(mode="json")
    assert rules_parse(config.rules) == rules_parse(LONG_DISTANCE_SPECIALIST)
    assert config.currency == "EUR"


def test_a_document_that_fails_validation_is_never_saved(alice):
    PricingConfigFactory(company=alice.company, version=1)
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    document["minimum_charge"] = "-1"
    document["surcharges"].append({"type": "early_booking_discount", "min_days": 7, "percent": "5"})
    before = pricing_rows()

    with pytest.raises(Invalid) as caught:
        pricing_config_save(company=alice.company, document=document, actor=alice.owner)

    assert caught.value.details == {
        "minimum_charge": ["Input should be greater than or equal to 0"]
    }
    assert pricing_rows() == before


def test_a_second_early_booking_discount_is_refused_at_the_service(alice):
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    document["surcharges"].append({"type": "early_booking_discount", "min_days": 7, "percent": "5"})

    with pytest.raises(Invalid) as caught:
        pricing_config_save(company=alice.company, document=document, actor=alice.owner)

    assert caught.value.details == {
        "surcharges": [
            {},
            {},
            {},
            {},
            {},
            {},
            {"type": ["Only one early_booking_discount rule per document."]},
        ]
    }
    assert not PricingConfig.objects.exists()


def test_a_currency_that_is_not_iso_4217_is_refused(alice):
    Company.objects.filter(pk=alice.company.pk).update(currency="XYZ")  # not via the API
    document = {key: value for key, value in SMALL_LOCAL_MOVER.items() if key != "currency"}

    with pytest.raises(Invalid) as caught:
        pricing_config_save(company=alice.company, document=document, actor=None)

    assert caught.value.details == {"currency": ["Not an ISO 4217 currency in circulation."]}
    assert not PricingConfig.objects.exists()


def test_the_database_refuses_to_update_a_version():
    config = PricingConfigFactory(version=1)

    with (
        pytest.raises(IntegrityError, match="pricing config versions are immutable"),
        transaction.atomic(),
    ):
        PricingConfig.objects.filter(pk=config.pk).update(rules={"currency": "EUR"})

    config.refresh_from_db()
    assert config.rules == stored_rules(SMALL_LOCAL_MOVER)


def test_the_database_refuses_to_delete_a_version():
    config = PricingConfigFactory(version=1)

    with (
        pytest.raises(IntegrityError, match="pricing config versions are immutable"),
        transaction.atomic(),
    ):
        PricingConfig.objects.filter(pk=config.pk).delete()

    assert PricingConfig.objects.filter(pk=config.pk).exists()


def test_the_database_refuses_a_duplicate_or_zero_version():
    config = PricingConfigFactory(version=1)

    with pytest.raises(IntegrityError, match="pricing_config_version_unique"), transaction.atomic():
        PricingConfigFactory(company=config.company, version=1)
    with pytest.raises(IntegrityError, match="pricing_config_version_gte_1"), transaction.atomic():
        PricingConfigFactory(company=config.company, version=0)

    assert list(PricingConfig.objects.values_list("version", flat=True)) == [1]


def test_a_company_with_pricing_versions_cannot_be_deleted(alice):
    PricingConfigFactory(company=alice.company, version=1)

    with pytest.raises(ProtectedError), transaction.atomic():
        alice.company.delete()

    assert PricingConfig.objects.filter(company=alice.company).count() == 1
