"""Admin: pricing versions are read-only, rules pretty-printed; the catalogue is editable."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.pricing.models import InventoryItem, PricingConfig
from tests.accounts.factories import UserFactory
from tests.pricing.conftest import pricing_rows
from tests.pricing.factories import InventoryItemFactory, PricingConfigFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_versions_are_listed_per_company_and_searchable(admin_client, alice, bob):
    PricingConfigFactory(company=alice.company, version=1)
    PricingConfigFactory(company=alice.company, version=2)
    PricingConfigFactory(company=bob.company, version=1)

    response = admin_client.get("/admin/pricing/pricingconfig/", {"q": "alice"})

    assert response.status_code == 200
    assert [(row.company_id, row.version) for row in response.context["cl"].result_list] == [
        (alice.company.id, 2),
        (alice.company.id, 1),
    ]


def test_a_version_page_shows_the_rules_pretty_printed_and_nothing_editable(admin_client, alice):
    config = PricingConfigFactory(company=alice.company, version=1, created_by=alice.owner)

    response = admin_client.get(f"/admin/pricing/pricingconfig/{config.id}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<pre style="white-space: pre-wrap">{\n  &quot;' in html  # indented JSON
    assert "\n  &quot;currency&quot;: &quot;EUR&quot;" in html
    assert "\n      &quot;per_flight&quot;: &quot;15.00&quot;" in html
    assert 'name="_save"' not in html  # no save button: read-only
    assert "Delete" not in html


def test_versions_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, alice):
    config = PricingConfigFactory(company=alice.company, version=1)
    before = pricing_rows()

    add = admin_client.get("/admin/pricing/pricingconfig/add/")
    change = admin_client.post(f"/admin/pricing/pricingconfig/{config.id}/change/", {"version": 5})
    delete = admin_client.post(f"/admin/pricing/pricingconfig/{config.id}/delete/", {"post": "yes"})

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert pricing_rows() == before
    assert PricingConfig.objects.get().version == 1


def test_catalogue_volumes_and_activity_are_edited_from_the_list(admin_client):
    InventoryItem.objects.all().delete()
    lamp = InventoryItemFactory(code="lamp", label="Floor lamp", volume_m3=Decimal("0.100"))
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(lamp.id),
        "form-0-volume_m3": "0.150",  # and is_active left unchecked: deactivated
        "_save": "Save",
    }

    response = admin_client.post("/admin/pricing/inventoryitem/", data)

    assert response.status_code == 302
    lamp.refresh_from_db()
    assert (lamp.volume_m3, lamp.is_active) == (Decimal("0.150"), False)


def test_the_catalogue_admin_refuses_a_zero_volume_with_a_form_error(admin_client):
    lamp = InventoryItemFactory(code="lamp_test", label="Lamp", volume_m3=Decimal("0.100"))

    response = admin_client.post(
        f"/admin/pricing/inventoryitem/{lamp.id}/change/",
        {"code": "lamp_test", "label": "Lamp", "volume_m3": "0", "is_active": "on"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "volume_m3": ["Ensure this value is greater than or equal to 0.001."]
    }
    lamp.refresh_from_db()
    assert lamp.volume_m3 == Decimal("0.100")


def test_the_catalogue_list_filters_by_activity_and_searches(admin_client):
    InventoryItem.objects.all().delete()
    InventoryItemFactory(code="piano_upright", label="Upright piano")
    InventoryItemFactory(code="piano_grand", label="Grand piano", is_active=False)

    response = admin_client.get(
        "/admin/pricing/inventoryitem/", {"q": "piano", "is_active__exact": "1"}
    )

    assert response.status_code == 200
    assert [item.code for item in response.context["cl"].result_list] == ["piano_upright"]
