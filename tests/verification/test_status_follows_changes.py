"""The verification status is right right after every change it depends on (explicit hook)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from apps.companies import hooks
from apps.companies.hooks import company_changed, company_changed_hooks
from apps.companies.member_services import (
    driver_add,
    driver_delete,
    driver_update,
    membership_deactivate,
    membership_update,
)
from apps.companies.models import Company, Driver, Membership, Truck
from apps.companies.services import company_update, truck_create, truck_delete, truck_update
from apps.core.errors import InvalidTransition
from apps.verification.models import CompanyStatusChange, Document
from apps.verification.services import (
    company_changed_recompute,
    company_documents_expire,
    company_suspend,
    company_verification_recompute,
    document_approve,
    document_reject,
)
from tests.companies.factories import DriverFactory, MembershipFactory, TruckFactory
from tests.verification.factories import DocumentFactory, approved_set

pytestmark = pytest.mark.django_db


def _status(company: Company) -> str:
    return Company.objects.values_list("verification_status", flat=True).get(pk=company.pk)


def _last_change(company: Company) -> tuple[str, str, str, list[str]]:
    change = CompanyStatusChange.objects.filter(company=company).latest("created_at", "id")
    return (change.from_status, change.to_status, change.reason, change.missing)


@pytest.fixture
def verified(alice):
    """Alice with the four approved documents and the status they give: verified (one change
    row, pending -> verified, recorded by the setup)."""
    Company.objects.filter(pk=alice.company.pk).update(verification_status="pending")
    documents = approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    company_verification_recompute(company=alice.company, reason="setup")
    assert _status(alice.company) == "verified"
    alice.documents = documents
    return alice


@pytest.fixture
def stale(alice):
    """Alice as the factory makes her: stored `verified` with no document at all (stale)."""
    assert _status(alice.company) == "verified"
    return alice


# --- the hook itself ---------------------------------------------------------------------------


def test_verification_registers_its_recompute_into_the_companies_hook():
    assert company_changed_hooks()["verification.status"] is company_changed_recompute


@pytest.mark.django_db(transaction=True)
def test_the_hook_refuses_to_run_outside_a_transaction(alice):
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        company_changed(company=alice.company, reason="no transaction")
    assert CompanyStatusChange.objects.count() == 0


def test_a_failing_hook_rolls_the_change_back(verified, monkeypatch):
    # A second, test-only hook that fails: the truck change and the recompute go together.
    def failing_hook(*, company: Company, reason: str) -> None:
        raise RuntimeError("hook failed")

    monkeypatch.setitem(hooks._hooks, "test.failing", failing_hook)

    with pytest.raises(RuntimeError, match="hook failed"):
        truck_update(truck=verified.truck, data={"status": Truck.Status.RETIRED})

    assert Truck.objects.get(pk=verified.truck.pk).status == Truck.Status.ACTIVE
    assert _status(verified.company) == "verified"
    assert CompanyStatusChange.objects.filter(company=verified.company).count() == 1  # setup


# --- company -----------------------------------------------------------------------------------


def test_changing_the_currency_away_from_the_insurances_makes_the_company_pending(verified):
    company = company_update(company=verified.company, data={"currency": "GBP"})

    assert company.verification_status == "pending"  # the returned object is up to date too
    assert _status(company) == "pending"
    assert _last_change(company) == (
        "verified",
        "pending",
        "Company profile changed.",
        ["insurance_policy"],
    )


def test_fixing_the_currency_makes_a_pending_company_verified_at_once(verified):
    company_update(company=verified.company, data={"currency": "GBP"})

    company_update(company=verified.company, data={"currency": "EUR"})

    assert _status(verified.company) == "verified"
    assert _last_change(verified.company)[:2] == ("pending", "verified")


def test_currency_change_through_the_api_answers_with_the_new_status(verified):
    response = verified.owner_client.patch(
        f"/api/v1/companies/{verified.company.pk}/", {"currency": "GBP"}, format="json"
    )

    assert response.status_code == 200
    assert _status(verified.company) == "pending"


def test_a_name_change_of_a_verified_company_records_no_status_change(verified):
    company_update(company=verified.company, data={"name": "Alice Moves"})

    assert _status(verified.company) == "verified"
    assert CompanyStatusChange.objects.filter(company=verified.company).count() == 1  # setup


# --- trucks ------------------------------------------------------------------------------------


def test_retiring_the_only_registered_truck_makes_the_company_pending(verified):
    truck_update(truck=verified.truck, data={"status": Truck.Status.RETIRED})

    assert _status(verified.company) == "pending"
    assert _last_change(verified.company) == (
        "verified",
        "pending",
        f"Truck {verified.truck.plate} changed.",
        ["truck_registration"],
    )


def test_retiring_it_through_the_api_makes_the_company_pending(verified):
    response = verified.owner_client.patch(
        f"/api/v1/companies/{verified.company.pk}/trucks/{verified.truck.pk}/",
        {"status": "retired"},
        format="json",
    )

    assert response.status_code == 200
    assert _status(verified.company) == "pending"


def test_reactivating_the_truck_makes_the_company_verified_again(verified):
    truck_update(truck=verified.truck, data={"status": Truck.Status.RETIRED})

    truck_update(truck=verified.truck, data={"status": Truck.Status.ACTIVE})

    assert _status(verified.company) == "verified"


def test_creating_a_truck_recomputes_a_stale_status(stale):
    truck_create(company=stale.company, plate="new-1", capacity_m3=Decimal("20"), payload_kg=3000)

    assert _status(stale.company) == "pending"
    assert _last_change(stale.company) == (
        "verified",
        "pending",
        "Truck NEW-1 added.",
        ["insurance_policy", "operating_licence", "truck_registration", "driver_licence"],
    )


def test_deleting_a_truck_recomputes_a_stale_status(stale):
    spare = TruckFactory(company=stale.company)

    truck_delete(truck=spare)

    assert not Truck.objects.filter(pk=spare.pk).exists()
    assert _status(stale.company) == "pending"


def test_a_refused_truck_deletion_changes_nothing(verified):
    with pytest.raises(InvalidTransition):
        truck_delete(truck=verified.truck)  # it has its registration document

    assert Truck.objects.filter(pk=verified.truck.pk).exists()
    assert _status(verified.company) == "verified"
    assert CompanyStatusChange.objects.filter(company=verified.company).count() == 1


# --- drivers and memberships -------------------------------------------------------------------


def test_deactivating_the_only_licensed_driver_makes_the_company_pending(verified):
    membership_deactivate(membership=verified.driver.membership)

    assert _status(verified.company) == "pending"
    assert _last_change(verified.company)[1:] == (
        "pending",
        f"Membership {verified.driver.membership_id} changed.",
        ["driver_licence"],
    )


def test_reactivating_the_driver_makes_the_company_verified_again(verified):
    membership_deactivate(membership=verified.driver.membership)

    membership_update(membership=verified.driver.membership, is_active=True)

    assert _status(verified.company) == "verified"


def test_adding_a_driver_recomputes_a_stale_status(stale):
    driver = driver_add(
        company=stale.company, email="new.driver@example.com", licence_number="DL-1", phone="+33"
    )

    assert Driver.objects.filter(pk=driver.pk).exists()
    assert _status(stale.company) == "pending"


def test_editing_a_driver_recomputes_a_stale_status(stale):
    driver_update(driver=stale.driver, data={"phone": "+33600000000"})

    assert _status(stale.company) == "pending"


def test_deleting_a_driver_recomputes_a_stale_status(stale):
    spare = DriverFactory(company=stale.company)

    driver_delete(driver=spare)

    assert not Driver.objects.filter(pk=spare.pk).exists()
    assert _status(stale.company) == "pending"


def test_a_role_change_recomputes_a_stale_status(stale):
    member = MembershipFactory(company=stale.company, role=Membership.Role.DISPATCHER)

    membership_update(membership=member, role=Membership.Role.OWNER)

    assert _status(stale.company) == "pending"


def test_a_suspended_company_stays_suspended_when_its_trucks_change(verified, superuser):
    company_suspend(company=verified.company, actor=superuser, reason="audit")

    truck_update(truck=verified.truck, data={"status": Truck.Status.RETIRED})

    assert _status(verified.company) == "suspended"


# --- documents ---------------------------------------------------------------------------------


def test_approving_the_last_missing_document_verifies_the_company(verified, superuser):
    Document.objects.filter(pk=verified.documents["operating_licence"].pk).update(
        status="superseded"
    )
    company_verification_recompute(company=verified.company, reason="setup")
    assert _status(verified.company) == "pending"
    renewal = DocumentFactory(company=verified.company, kind="operating_licence", currency="",
                              coverage_amount=None, policy_type="")  # fmt: skip

    document_approve(document=renewal, actor=superuser)

    assert _status(verified.company) == "verified"
    assert _last_change(verified.company)[:3] == (
        "pending",
        "verified",
        f"Document {renewal.pk} approved.",
    )


def test_rejecting_a_document_recomputes_a_stale_status(stale, superuser):
    pending = DocumentFactory(company=stale.company)

    document_reject(document=pending, actor=superuser, reason="Unreadable scan.")

    assert _status(stale.company) == "pending"
    assert _last_change(stale.company)[2] == f"Document {pending.pk} rejected."


def test_expiry_makes_the_company_pending_in_the_same_transaction(verified):
    today = timezone.localdate()
    Document.objects.filter(pk=verified.documents["insurance_policy"].pk).update(
        issued_on=today - timedelta(days=400), expires_on=today
    )

    with transaction.atomic():
        expired = company_documents_expire(company_id=verified.company.pk, today=today)
        status_inside = _status(verified.company)

    assert (expired, status_inside) == (1, "pending")
    assert _last_change(verified.company)[3] == ["insurance_policy"]
