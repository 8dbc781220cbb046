"""Review decisions in the admin: approve/reject (single, bulk), permissions, suspension."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from apps.companies.models import Company
from apps.verification.models import CompanyStatusChange, Document, DocumentReview
from tests.accounts.factories import UserFactory
from tests.verification.conftest import MODEL_BACKEND
from tests.verification.factories import DocumentFactory, approved_set

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/verification/document/"


def snapshot() -> list[tuple]:
    return list(
        Document.objects.order_by("pk").values_list(
            "pk", "status", "number", "reviewed_by", "rejection_reason"
        )
    )


def action(client: Client, name: str, documents, **extra):
    return client.post(
        CHANGELIST,
        {"action": name, "_selected_action": [d.pk for d in documents], "index": 0, **extra},
    )


@pytest.fixture
def ready(alice):
    """Alice has approved licence, registration and driver licence; her insurance is pending."""
    docs = approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    docs["insurance_policy"].delete()
    Company.objects.filter(pk=alice.company.pk).update(verification_status="pending")
    return DocumentFactory(company=alice.company, number="POL-1")


@pytest.fixture
def staff_without_review(db) -> Client:
    """A platform admin who may view documents but not review them."""
    user = UserFactory(is_staff=True, email="helpdesk@movehub.test")
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_reviewers_group_has_exactly_the_review_and_view_permissions(db):
    group = Group.objects.get(name="Reviewers")

    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "review_document",
        "view_companystatuschange",
        "view_companyverification",
        "view_document",
        "view_documentreminder",
        "view_documentreview",
    ]


def test_reviewer_approves_through_the_changelist_action_and_the_company_is_verified(
    alice,
    ready,
    reviewer,
    reviewer_client,
    django_capture_on_commit_callbacks,
    celery_eager,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = action(reviewer_client, "approve_selected", [ready])

    assert response.status_code == 302
    ready.refresh_from_db()
    assert (ready.status, ready.reviewed_by) == ("approved", reviewer)
    review = DocumentReview.objects.get(document=ready)
    assert (review.from_status, review.to_status, review.actor) == ("pending", "approved", reviewer)
    alice.company.refresh_from_db()
    assert alice.company.verification_status == "verified"
    assert sorted(m.subject for m in mailoutbox) == [
        "[MoveHub] Alice: verification verified",
        "[MoveHub] Approved: insurance policy POL-1",
    ]
    assert all(m.to == [alice.owner.email] for m in mailoutbox)


def test_bulk_reject_asks_for_a_reason_then_rejects_each_document(
    alice, reviewer_client, reviewer, django_capture_on_commit_callbacks, celery_eager, mailoutbox
):
    first = DocumentFactory(company=alice.company, number="POL-A")
    second = DocumentFactory(company=alice.company, number="POL-B")

    form = action(reviewer_client, "reject_selected", [first, second])
    assert form.status_code == 200
    assert b'name="reason"' in form.content
    assert snapshot() == [
        (first.pk, "pending", "POL-A", None, ""),
        (second.pk, "pending", "POL-B", None, ""),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        done = reviewer_client.post(
            CHANGELIST,
            {
                "action": "reject_selected",
                "_selected_action": [first.pk, second.pk],
                "apply": "yes",
                "reason": "The scan is unreadable.",
            },
        )

    assert done.status_code == 302
    assert snapshot() == [
        (first.pk, "rejected", "POL-A", reviewer.pk, "The scan is unreadable."),
        (second.pk, "rejected", "POL-B", reviewer.pk, "The scan is unreadable."),
    ]
    assert DocumentReview.objects.filter(to_status="rejected").count() == 2
    rejections = [m for m in mailoutbox if m.subject.startswith("[MoveHub] Rejected")]
    assert len(rejections) == 2
    assert "Reason: The scan is unreadable." in rejections[0].body


def test_bulk_reject_without_a_reason_changes_nothing(alice, reviewer_client):
    document = DocumentFactory(company=alice.company, number="POL-A")
    before = snapshot()

    response = reviewer_client.post(
        CHANGELIST,
        {
            "action": "reject_selected",
            "_selected_action": [document.pk],
            "apply": "yes",
            "reason": "   ",
        },
    )

    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert snapshot() == before
    assert DocumentReview.objects.count() == 0


def test_single_approve_and_reject_from_the_document_page(alice, reviewer_client, reviewer):
    to_approve = DocumentFactory(company=alice.company, number="POL-A")
    to_reject = DocumentFactory(
        company=alice.company,
        kind="operating_licence",
        coverage_amount=None,
        currency="",
        policy_type="",
        number="L-1",
    )

    approved = reviewer_client.post(f"{CHANGELIST}{to_approve.pk}/approve/")
    reject_form = reviewer_client.get(f"{CHANGELIST}{to_reject.pk}/reject/")
    rejected = reviewer_client.post(f"{CHANGELIST}{to_reject.pk}/reject/", {"reason": "Expired."})

    assert (approved.status_code, reject_form.status_code, rejected.status_code) == (302, 200, 302)
    assert approved["Location"] == CHANGELIST
    assert snapshot() == [
        (to_approve.pk, "approved", "POL-A", reviewer.pk, ""),
        (to_reject.pk, "rejected", "L-1", reviewer.pk, "Expired."),
    ]


def test_approving_an_already_decided_document_is_refused_with_a_message(alice, reviewer_client):
    document = DocumentFactory(company=alice.company, approved=True)
    before = snapshot()

    response = reviewer_client.post(f"{CHANGELIST}{document.pk}/approve/", follow=True)

    assert b"only pending documents can be reviewed" in response.content
    assert snapshot() == before
    assert DocumentReview.objects.count() == 0


def test_staff_without_the_review_permission_cannot_approve_or_reject(
    alice, ready, staff_without_review
):
    before = snapshot()

    via_action = action(staff_without_review, "approve_selected", [ready])
    via_reject_action = action(
        staff_without_review, "reject_selected", [ready], apply="yes", reason="no"
    )
    via_view = staff_without_review.post(f"{CHANGELIST}{ready.pk}/approve/")
    via_reject_view = staff_without_review.post(f"{CHANGELIST}{ready.pk}/reject/", {"reason": "x"})
    changelist = staff_without_review.get(CHANGELIST)

    assert via_view.status_code == 403
    assert via_reject_view.status_code == 403
    # An action the user may not use is not offered, so Django just shows the changelist.
    assert (via_action.status_code, via_reject_action.status_code) == (200, 200)
    assert changelist.status_code == 200
    assert b"approve_selected" not in changelist.content
    assert snapshot() == before
    assert DocumentReview.objects.count() == 0
    assert CompanyStatusChange.objects.count() == 0


def test_a_non_staff_user_is_sent_to_the_admin_login(alice, ready):
    user = UserFactory(is_staff=False)
    user.groups.add(Group.objects.get(name="Reviewers"))
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)

    response = client.post(f"{CHANGELIST}{ready.pk}/approve/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    ready.refresh_from_db()
    assert ready.status == "pending"


def test_a_reviewer_cannot_change_metadata(alice, ready, reviewer_client):
    before = snapshot()

    page = reviewer_client.get(f"{CHANGELIST}{ready.pk}/change/")
    post = reviewer_client.post(
        f"{CHANGELIST}{ready.pk}/change/",
        {"number": "FORGED", "expires_on": "2199-01-01", "status": "approved"},
    )

    assert page.status_code == 200
    assert b'name="number"' not in page.content
    assert b'name="expires_on"' not in page.content
    assert b'name="_save"' not in page.content
    assert post.status_code == 403
    assert snapshot() == before


def test_suspending_a_company_from_the_admin_requires_a_reason(alice, superuser):
    client = Client()
    client.force_login(superuser, backend=MODEL_BACKEND)
    url = "/admin/verification/companyverification/"
    approved_set(alice.company, truck=alice.truck, driver=alice.driver)

    form = client.post(
        url, {"action": "suspend_selected", "_selected_action": [alice.company.pk], "index": 0}
    )
    done = client.post(
        url,
        {
            "action": "suspend_selected",
            "_selected_action": [alice.company.pk],
            "apply": "yes",
            "reason": "Insurance fraud under investigation.",
        },
    )
    alice.company.refresh_from_db()
    status_after_suspend = alice.company.verification_status
    client.post(
        url, {"action": "unsuspend_selected", "_selected_action": [alice.company.pk], "index": 0}
    )
    alice.company.refresh_from_db()

    assert (form.status_code, done.status_code) == (200, 302)
    assert status_after_suspend == "suspended"
    assert alice.company.verification_status == "verified"
    assert list(CompanyStatusChange.objects.order_by("id").values_list("to_status", "reason")) == [
        ("suspended", "Insurance fraud under investigation."),
        ("verified", f"Suspension lifted by {superuser}."),
    ]


def test_a_reviewer_cannot_suspend_companies(alice, reviewer_client):
    response = reviewer_client.post(
        "/admin/verification/companyverification/",
        {
            "action": "suspend_selected",
            "_selected_action": [alice.company.pk],
            "apply": "yes",
            "reason": "x",
            "index": 0,
        },
    )

    alice.company.refresh_from_db()
    assert response.status_code == 200
    assert b"suspend_selected" not in response.content
    assert alice.company.verification_status == "verified"
    assert CompanyStatusChange.objects.count() == 0
