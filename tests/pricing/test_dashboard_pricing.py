"""The owner's pricing pages: the rules editor, its live preview and the version history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from apps.pricing.examples import SMALL_LOCAL_MOVER
from apps.pricing.models import PricingConfig
from tests.pricing.conftest import pricing_rows
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/pricing/"
PREVIEW = "/dashboard/pricing/preview/"
HISTORY = "/dashboard/pricing/history/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def current_form(client: Client) -> dict[str, str]:
    """The editor's fields as the page shows them (the latest version)."""
    return dict(client.get(PAGE).context["form"].data)


def test_the_owner_sees_the_latest_rules_and_the_sample_move_priced_with_them(priced_alice):
    response = client_for(priced_alice.owner).get(PAGE)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.data["minimum_charge"] == "180.00"
    assert form.data["labour_productivity"] == "2.5"
    estimate = response.context["preview"]["estimate"]
    # 20 m3 -> 3 movers, 2.75 h x 130 = 357.50; travel 40; 5 km x 0.90; 2 flights x 15; carry 10
    assert [str(line.amount) for line in estimate.result.lines] == [
        "357.50",
        "40.00",
        "4.50",
        "30.00",
        "10.00",
    ]
    assert str(estimate.result.total) == "530.40"
    assert b"530.40 EUR" in response.content


@pytest.mark.parametrize("role", ["dispatcher", "driver_user"])
def test_only_the_owner_opens_the_pricing_pages(priced_alice, role):
    client = client_for(getattr(priced_alice, role))
    before = pricing_rows()

    for response in (
        client.get(PAGE),
        client.get(HISTORY),
        client.post(PAGE, {"tax_rate_percent": "5"}),
        client.post(PREVIEW, {"tax_rate_percent": "5"}),
    ):
        assert response.status_code == 403
        assert b"does not open this page" in response.content
    assert pricing_rows() == before


def test_a_valid_change_is_saved_as_the_next_version(priced_alice):
    client = client_for(priced_alice.owner)
    data = current_form(client) | {"minimum_charge": "600.00"}

    response = client.post(PAGE, data, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert b"Pricing saved as version 2." in response.content
    saved = PricingConfig.objects.get(company=priced_alice.company, version=2)
    assert saved.rules == stored_rules(SMALL_LOCAL_MOVER | {"minimum_charge": "600.00"})
    assert saved.created_by == priced_alice.owner
    assert response.context["preview"]["estimate"].result.total == 720  # 600 + 20 % tax


def test_a_refused_value_is_shown_on_its_field_and_nothing_is_saved(priced_alice):
    client = client_for(priced_alice.owner)
    before = pricing_rows()
    data = current_form(client) | {"minimum_charge": "-5"}

    response = client.post(PAGE, data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "minimum_charge": ["Input should be greater than or equal to 0"]
    }
    assert b'id="id_minimum_charge-errors"' in response.content
    assert b"Input should be greater than or equal to 0" in response.content
    assert pricing_rows() == before


def test_an_error_inside_a_surcharge_names_the_rule_on_the_surcharges_field(priced_alice):
    client = client_for(priced_alice.owner)
    before = pricing_rows()
    data = current_form(client)
    data["surcharges"] = '[{"type": "stairs", "per_flight": "-1"}, {"type": "nonsense"}]'

    response = client.post(PAGE, data)

    errors = response.context["form"].errors
    assert list(errors) == ["surcharges"]
    assert errors["surcharges"][0] == "item 1, per_flight: Input should be greater than 0"
    assert errors["surcharges"][1].startswith("item 2, type: Unknown rule type 'nonsense'")
    assert pricing_rows() == before


def test_a_crew_band_inconsistency_lands_on_the_crew_bands_field(priced_alice):
    client = client_for(priced_alice.owner)
    before = pricing_rows()
    data = current_form(client)
    data["labour_crew_bands"] = (
        '[{"up_to_m3": "15", "crew_size": 2}, {"up_to_m3": null, "crew_size": 5}]'
    )

    response = client.post(PAGE, data)

    assert response.context["form"].errors == {
        "labour_hourly_rates": ["5: Field required: crew_bands.1 sends 5 movers."]
    }
    assert pricing_rows() == before


def test_malformed_json_is_refused_by_the_form_and_nothing_is_saved(priced_alice):
    client = client_for(priced_alice.owner)
    before = pricing_rows()
    data = current_form(client) | {"surcharges": "[{"}

    response = client.post(PAGE, data)

    assert response.status_code == 200
    assert response.context["form"].errors["surcharges"][0].startswith("Not valid JSON:")
    assert pricing_rows() == before


def test_the_preview_prices_the_unsaved_rules_and_stores_nothing(priced_alice):
    client = client_for(priced_alice.owner)
    before = pricing_rows()
    data = current_form(client) | {"travel_fee": "100.00"}

    response = client.post(PREVIEW, data)

    assert response.status_code == 200
    assert response.context["preview"]["estimate"].result.total == Decimal("602.40")
    assert b"602.40 EUR" in response.content
    # every field's error box is swapped out of band (emptied when the field is fine)
    assert b'id="id_travel_fee-errors" class="field-errors" hx-swap-oob="true"></div>' in (
        response.content
    )
    assert pricing_rows() == before


def test_the_preview_of_refused_rules_shows_the_errors_on_the_fields(priced_alice):
    client = client_for(priced_alice.owner)
    before = pricing_rows()
    data = current_form(client) | {"tax_rate_percent": "101"}

    response = client.post(PREVIEW, data)

    assert response.status_code == 200
    assert response.context["preview"]["estimate"] is None
    assert b"No price: fix the errors marked on the form." in response.content
    assert (
        b'<div id="id_tax_rate_percent-errors" class="field-errors" hx-swap-oob="true">'
        b'<ul class="errorlist"><li>Input should be less than or equal to 100</li></ul></div>'
    ) in response.content
    assert pricing_rows() == before


def test_the_preview_is_post_only_and_csrf_protected(priced_alice):
    client = client_for(priced_alice.owner)
    assert client.get(PREVIEW).status_code == 405

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(priced_alice.owner)
    before = pricing_rows()
    assert strict.post(PAGE, current_form(client) | {"minimum_charge": "1"}).status_code == 403
    assert pricing_rows() == before


def test_a_company_without_rules_starts_from_the_example(alice, catalogue):
    response = client_for(alice.owner).get(PAGE)

    assert response.status_code == 200
    assert b"No rules saved yet" in response.content
    assert response.context["form"].data["minimum_charge"] == "180.00"
    assert response.context["preview"]["estimate"].config.version == 1


def test_the_history_diffs_two_versions(priced_alice):
    PricingConfigFactory(
        company=priced_alice.company,
        version=2,
        rules=stored_rules(SMALL_LOCAL_MOVER | {"minimum_charge": "600.00"}),
    )
    client = client_for(priced_alice.owner)

    latest_two = client.get(HISTORY)
    chosen = client.get(HISTORY, {"old": "1", "new": "2"})

    for response in (latest_two, chosen):
        assert response.status_code == 200
        assert response.context["old"].version == 1
        assert response.context["new"].version == 2
        changed = [line for kind, line in response.context["diff"] if kind in {"add", "remove"}]
        assert changed == ['-  "minimum_charge": "180.00",', '+  "minimum_charge": "600.00",']


def test_the_history_never_compares_another_companys_versions(priced_alice, bob):
    PricingConfigFactory(company=bob.company, version=2)
    client = client_for(priced_alice.owner)

    response = client.get(HISTORY, {"old": "1", "new": "2"})

    assert response.status_code == 200
    assert [v.version for v in response.context["versions"]] == [1]
    assert response.context["diff"] is None
    assert b"Choose two saved versions to compare." in response.content
