"""The verification rules: verified iff nothing is missing; each missing piece is named exactly."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.companies.models import Company, Truck
from apps.verification.models import CompanyStatusChange, Document, DocumentReview
from apps.verification.selectors import (
    company_verification_missing,
    driver_is_assignable,
    drivers_assignable,
    truck_is_assignable,
    trucks_assignable,
)
from apps.verification.services import (
    company_suspend,
    company_unsuspend,
    company_verification_recompute,
    document_approve,
)
from tests.companies.factories import DriverFactory, TruckFactory
from tests.verification.factories import DocumentFactory, approved_set

pytestmark = pytest.mark.django_db

V = Company.VerificationStatus


def _pending(company: Company) -> Company:
    Company.objects.filter(pk=company.pk).update(verification_status=V.PENDING)
    company.refresh_from_db()
    return company


def _missing_codes(company) -> list[str]:
    return [m.code for m in company_verification_missing(company=company)]


def test_company_with_all_four_pieces_becomes_verified_and_the_change_is_recorded(alice):
    company = _pending(alice.company)
    approved_set(company, truck=alice.truck, driver=alice.driver)

    company_verification_recompute(company=company, reason="test")

    company.refresh_from_db()
    assert company.verification_status == "verified"
    assert _missing_codes(company) == []
    change = CompanyStatusChange.objects.get(company=company)
    assert (change.from_status, change.to_status, change.reason, change.missing) == (
        "pending",
        "verified",
        "test",
        [],
    )


def test_company_without_documents_is_pending_with_all_four_codes_in_order(alice):
    company = company_verification_recompute(company=alice.company, reason="test")

    assert company.verification_status == "pending"
    assert _missing_codes(company) == [
        "insurance_policy",
        "operating_licence",
        "truck_registration",
        "driver_licence",
    ]
    assert list(
        CompanyStatusChange.objects.filter(company=company).values_list(
            "from_status", "to_status", "missing"
        )
    ) == [
        (
            "verified",
            "pending",
            ["insurance_policy", "operating_licence", "truck_registration", "driver_licence"],
        )
    ]


def _drop_insurance(docs, alice):
    docs["insurance_policy"].delete()


def _insurance_below_minimum(docs, alice):
    Document.objects.filter(pk=docs["insurance_policy"].pk).update(
        coverage_amount=Decimal("999999.99")
    )


def _insurance_in_another_currency(docs, alice):
    Document.objects.filter(pk=docs["insurance_policy"].pk).update(currency="GBP")


def _insurance_pending(docs, alice):
    Document.objects.filter(pk=docs["insurance_policy"].pk).update(
        status="pending", reviewed_at=None
    )


def _insurance_expires_today(docs, alice):
    Document.objects.filter(pk=docs["insurance_policy"].pk).update(expires_on=timezone.localdate())


def _drop_licence(docs, alice):
    docs["operating_licence"].delete()


def _licence_rejected(docs, alice):
    Document.objects.filter(pk=docs["operating_licence"].pk).update(
        status="rejected", rejection_reason="blurry"
    )


def _drop_registration(docs, alice):
    docs["truck_registration"].delete()


def _truck_in_maintenance(docs, alice):
    Truck.objects.filter(pk=alice.truck.pk).update(status=Truck.Status.MAINTENANCE)


def _registration_expired(docs, alice):
    Document.objects.filter(pk=docs["truck_registration"].pk).update(status="expired")


def _drop_driver_licence(docs, alice):
    docs["driver_licence"].delete()


def _driver_membership_inactive(docs, alice):
    membership = alice.driver.membership
    membership.is_active = False
    membership.save(update_fields=["is_active"])


@pytest.mark.parametrize(
    ("break_it", "code"),
    [
        (_drop_insurance, "insurance_policy"),
        (_insurance_below_minimum, "insurance_policy"),
        (_insurance_in_another_currency, "insurance_policy"),
        (_insurance_pending, "insurance_policy"),
        (_insurance_expires_today, "insurance_policy"),
        (_drop_licence, "operating_licence"),
        (_licence_rejected, "operating_licence"),
        (_drop_registration, "truck_registration"),
        (_truck_in_maintenance, "truck_registration"),
        (_registration_expired, "truck_registration"),
        (_drop_driver_licence, "driver_licence"),
        (_driver_membership_inactive, "driver_licence"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_removing_one_piece_makes_the_company_pending_with_exactly_that_code(alice, break_it, code):
    docs = approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    assert company_verification_recompute(company=alice.company, reason="t").is_verified

    break_it(docs, alice)
    company = company_verification_recompute(company=alice.company, reason="piece removed")

    assert company.verification_status == "pending"
    assert _missing_codes(company) == [code]
    response = alice.owner_client.get(f"/api/v1/companies/{company.pk}/verification/")
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert [m["code"] for m in response.json()["missing"]] == [code]


def test_coverage_exactly_at_the_minimum_counts(alice, settings):
    settings.VERIFICATION_MIN_COVERAGE = Decimal("1500000.00")
    docs = approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    Document.objects.filter(pk=docs["insurance_policy"].pk).update(
        coverage_amount=Decimal("1500000.00")
    )

    assert _missing_codes(alice.company) == []


def test_verification_endpoint_lists_missing_codes_with_messages(alice, settings):
    settings.VERIFICATION_MIN_COVERAGE = Decimal("1000000.00")
    company = company_verification_recompute(company=alice.company, reason="t")

    response = alice.dispatcher_client.get(f"/api/v1/companies/{company.pk}/verification/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "pending",
        "missing": [
            {
                "code": "insurance_policy",
                "message": "An approved, unexpired insurance policy covering at least "
                "1,000,000.00 EUR is required.",
            },
            {
                "code": "operating_licence",
                "message": "An approved, unexpired operating licence is required.",
            },
            {
                "code": "truck_registration",
                "message": "At least one active truck with an approved, unexpired "
                "registration is required.",
            },
            {
                "code": "driver_licence",
                "message": "At least one driver with an approved, unexpired driving "
                "licence is required.",
            },
        ],
    }


def test_verification_endpoint_is_404_for_another_company_and_403_for_a_driver(alice, bob):
    url = f"/api/v1/companies/{alice.company.pk}/verification/"

    bob_response = bob.owner_client.get(url)
    driver_response = alice.driver_client.get(url)

    assert bob_response.status_code == 404
    assert bob_response.json()["error"]["code"] == "not_found"
    assert driver_response.status_code == 403
    assert driver_response.json()["error"]["code"] == "permission_denied"


def test_suspended_company_stays_suspended_whatever_its_documents(alice, superuser):
    approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    company_suspend(company=alice.company, actor=superuser, reason="fraud check")

    company = company_verification_recompute(company=alice.company, reason="documents")

    assert company.verification_status == "suspended"
    assert list(
        CompanyStatusChange.objects.filter(company=company).values_list(
            "from_status", "to_status", "reason", "actor"
        )
    ) == [("verified", "suspended", "fraud check", superuser.pk)]


def test_lifting_a_suspension_gives_the_status_the_documents_say(alice, superuser):
    company_suspend(company=alice.company, actor=superuser, reason="fraud check")

    company = company_unsuspend(company=alice.company, actor=superuser, reason="cleared")

    assert company.verification_status == "pending"
    assert CompanyStatusChange.objects.filter(company=company).count() == 2


def test_owners_are_emailed_on_a_status_change(
    alice, django_capture_on_commit_callbacks, celery_eager, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        company_verification_recompute(company=alice.company, reason="t")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [alice.owner.email]
    assert mail.subject == "[MoveHub] Alice: verification pending"
    assert "- An approved, unexpired operating licence is required." in mail.body


def test_trucks_and_drivers_without_valid_documents_are_not_assignable(alice):
    other_truck = TruckFactory(company=alice.company)
    other_driver = DriverFactory(company=alice.company)
    approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    DocumentFactory(
        company=alice.company,
        kind="truck_registration",
        truck=other_truck,
        approved=True,
        expires_on=timezone.localdate(),
    )

    assert truck_is_assignable(alice.truck) is True
    assert truck_is_assignable(other_truck) is False
    assert driver_is_assignable(alice.driver) is True
    assert driver_is_assignable(other_driver) is False
    assert list(trucks_assignable(company=alice.company)) == [alice.truck]
    assert list(drivers_assignable(company=alice.company)) == [alice.driver]


def test_approving_a_renewal_supersedes_the_old_approved_document(alice, superuser):
    docs = approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    renewal = DocumentFactory(
        company=alice.company, expires_on=timezone.localdate() + timedelta(days=700)
    )

    document_approve(document=renewal, actor=superuser)

    old = docs["insurance_policy"]
    old.refresh_from_db()
    renewal.refresh_from_db()
    assert (old.status, renewal.status) == ("superseded", "approved")
    assert list(
        DocumentReview.objects.order_by("id").values_list("document_id", "from_status", "to_status")
    ) == [(old.pk, "approved", "superseded"), (renewal.pk, "pending", "approved")]


def test_database_refuses_two_approved_documents_of_the_same_kind_and_subject(alice):
    DocumentFactory(company=alice.company, approved=True)
    second = DocumentFactory(company=alice.company)

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=second.pk).update(status="approved")


NOT_INSURANCE = {"coverage_amount": None, "currency": "", "policy_type": ""}


@pytest.mark.parametrize(
    ("fields", "with_truck", "with_driver"),
    [
        ({"kind": "truck_registration", **NOT_INSURANCE}, False, False),  # no truck
        ({"kind": "truck_registration", **NOT_INSURANCE}, True, True),  # and a driver
        ({"kind": "driver_licence", **NOT_INSURANCE}, True, False),  # a truck, no driver
        ({"kind": "operating_licence", **NOT_INSURANCE}, True, False),  # company-level + truck
        ({"kind": "operating_licence"}, False, False),  # insurance fields on a licence
        ({"coverage_amount": None}, False, False),  # insurance without coverage
        ({"status": "rejected", "rejection_reason": ""}, False, False),
        ({"uploaded_at": None, "status": "approved"}, False, False),  # decided without a file
    ],
)
def test_database_check_constraints_refuse_inconsistent_documents(
    alice, fields, with_truck, with_driver
):
    document = DocumentFactory(company=alice.company)
    subject = {
        "truck": alice.truck if with_truck else None,
        "driver": alice.driver if with_driver else None,
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(**fields, **subject)
    document.refresh_from_db()
    assert (document.kind, document.status, document.truck_id) == (
        "insurance_policy",
        "pending",
        None,
    )


def test_database_refuses_expiry_not_after_issue(alice):
    document = DocumentFactory(company=alice.company)

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(expires_on=document.issued_on)


def test_review_history_and_status_changes_are_append_only_in_the_database(alice, superuser):
    document = DocumentFactory(company=alice.company)
    document_approve(document=document, actor=superuser)
    review = DocumentReview.objects.get(document=document)
    change = CompanyStatusChange.objects.get(company=alice.company)

    for queryset, update in [
        (DocumentReview.objects.filter(pk=review.pk), {"reason": "rewritten"}),
        (CompanyStatusChange.objects.filter(pk=change.pk), {"reason": "rewritten"}),
    ]:
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            queryset.update(**update)
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            queryset.delete()
    assert DocumentReview.objects.get(pk=review.pk).reason == ""
    assert (
        CompanyStatusChange.objects.get(pk=change.pk).reason == f"Document {document.pk} approved."
    )


def test_database_accepts_an_insurance_policy_without_a_policy_type(alice):
    document = DocumentFactory(company=alice.company)

    Document.objects.filter(pk=document.pk).update(policy_type="")

    document.refresh_from_db()
    assert (document.kind, document.policy_type) == ("insurance_policy", "")


def test_the_rules_day_is_the_platforms_whatever_time_zone_is_active():
    """The dashboards activate the company's time zone; documents are still judged on the
    platform's day (settings.TIME_ZONE), so a page and the API agree around midnight."""
    from datetime import UTC, datetime
    from unittest import mock

    from django.utils import timezone as django_timezone

    from apps.verification.selectors import verification_today

    # 23:30 UTC on 30 November is already 1 December in Paris and in Tokyo
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    with mock.patch.object(django_timezone, "now", return_value=late):
        with django_timezone.override("Asia/Tokyo"):
            in_tokyo = verification_today()
        platform = verification_today()

    assert in_tokyo == platform == late.date()
