"""Company admin: list with search and filters, change page with inlines, read-only status."""

from __future__ import annotations

import pytest

from apps.companies.models import Company
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_lists_companies_with_search_and_filters(admin_client, alice, bob):
    response = admin_client.get(
        "/admin/companies/company/", {"q": "alice", "verification_status__exact": "verified"}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [alice.company]


def test_admin_searches_by_registration_number(admin_client, alice, bob):
    response = admin_client.get("/admin/companies/company/", {"q": bob.company.registration_number})

    assert list(response.context["cl"].result_list) == [bob.company]


def test_admin_change_page_shows_the_inlines_and_a_read_only_status(admin_client, alice):
    response = admin_client.get(f"/admin/companies/company/{alice.company.id}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert alice.truck.plate in content
    assert alice.driver.licence_number in content
    assert "65 vertices" in content
    assert 'name="verification_status"' not in content
    assert "openlayers" not in content.lower()


def _change_form_data(admin_client, company) -> dict:
    """The company's admin change form as the browser would post it back unchanged."""
    response = admin_client.get(f"/admin/companies/company/{company.id}/change/")
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for prefix, formset in (
        (inline.formset.prefix, inline.formset)
        for inline in response.context["inline_admin_formsets"]
    ):
        data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for index, inline_form in enumerate(formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[f"{prefix}-{index}-{name}"] = value
    return data


def test_admin_saving_a_company_cannot_change_its_verification_status(admin_client, alice):
    Company.objects.filter(id=alice.company.id).update(verification_status="pending")
    data = _change_form_data(admin_client, alice.company)
    data["base_location"] = "SRID=4326;POINT (4.85 45.75)"
    data["verification_status"] = "verified"

    saved = admin_client.post(f"/admin/companies/company/{alice.company.id}/change/", data)

    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    alice.company.refresh_from_db()
    assert alice.company.verification_status == "pending"
    assert (round(alice.company.base_location.y, 2), round(alice.company.base_location.x, 2)) == (
        45.75,
        4.85,
    )


def test_admin_retiring_the_only_registered_truck_makes_the_company_pending(admin_client, alice):
    from apps.verification.services import company_verification_recompute
    from tests.verification.factories import approved_set

    Company.objects.filter(id=alice.company.id).update(verification_status="pending")
    approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    company_verification_recompute(company=alice.company, reason="setup")
    data = _change_form_data(admin_client, alice.company)
    data["base_location"] = "SRID=4326;POINT (4.85 45.75)"
    truck_prefix = next(k[: -len("-0-id")] for k, v in data.items() if k.endswith("-0-id")
                        and v == alice.truck.id)  # fmt: skip
    data[f"{truck_prefix}-0-status"] = "retired"

    saved = admin_client.post(f"/admin/companies/company/{alice.company.id}/change/", data)

    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    alice.truck.refresh_from_db()
    alice.company.refresh_from_db()
    assert (alice.truck.status, alice.company.verification_status) == ("retired", "pending")
