"""Driver profiles: managers add and edit them; a driver reads only their own."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.companies.models import Company, Driver, Membership
from tests.companies.conftest import db_state
from tests.companies.factories import DriverFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEW_DRIVER = {
    "email": "Dave@Example.com",
    "name": "Dave Driver",
    "licence_number": "DL-77",
    "phone": "+33 6 12 34 56 78",
}


def status_as_documents_say(company) -> None:
    """The factory marks companies verified without documents; these tests are about e-mails,
    so start from the status the rows give (pending) and no status-change e-mail is due."""
    Company.objects.filter(pk=company.pk).update(verification_status="pending")


def drivers_url(company) -> str:
    return f"/api/v1/companies/{company.id}/drivers/"


def test_dispatcher_adds_a_new_person_as_driver_and_they_are_invited(
    alice, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    status_as_documents_say(alice.company)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.dispatcher_client.post(
            drivers_url(alice.company), NEW_DRIVER, format="json"
        )

    assert response.status_code == 201
    user = User.objects.get(email="dave@example.com")
    driver = Driver.objects.get(membership__user=user)
    assert response.json() == {
        "id": driver.id,
        "membership_id": driver.membership_id,
        "user_id": user.id,
        "email": "dave@example.com",
        "name": "Dave Driver",
        "licence_number": "DL-77",
        "phone": "+33612345678",
        "is_active": True,
    }
    assert (driver.membership.role, driver.company) == ("driver", alice.company)
    assert [mail.to for mail in mailoutbox] == [["dave@example.com"]]
    assert "Invitation token: " in mailoutbox[0].body


def test_a_member_invited_as_driver_gets_a_profile_without_a_second_invitation(
    alice, newcomer, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    membership = MembershipFactory(company=alice.company, user=newcomer, role="driver")
    status_as_documents_say(alice.company)

    with django_capture_on_commit_callbacks(execute=True):
        response = alice.owner_client.post(
            drivers_url(alice.company), {**NEW_DRIVER, "email": newcomer.email}, format="json"
        )

    assert response.status_code == 201
    assert response.json()["membership_id"] == membership.id
    assert mailoutbox == []


def test_making_a_dispatcher_a_driver_is_a_409_role_changes_are_the_owners(alice):
    before = db_state()

    response = alice.dispatcher_client.post(
        drivers_url(alice.company), {**NEW_DRIVER, "email": alice.owner.email}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_exists"
    assert response.json()["error"]["details"] == {
        "email": [f"{alice.owner.email} is already a member of this company as owner."]
    }
    assert db_state() == before


def test_a_duplicate_licence_number_in_one_company_is_a_409(alice):
    before = db_state()

    response = alice.dispatcher_client.post(
        drivers_url(alice.company),
        {**NEW_DRIVER, "licence_number": alice.driver.licence_number},
        format="json",
    )

    assert response.status_code == 409
    assert list(response.json()["error"]["details"]) == ["licence_number"]
    assert db_state() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "06 12 34 56 78"), ("phone", "+999 1"), ("email", "nope"), ("licence_number", "")],
)
def test_invalid_driver_field_is_a_400_naming_it(alice, field, value):
    before = db_state()

    response = alice.dispatcher_client.post(
        drivers_url(alice.company), {**NEW_DRIVER, field: value}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == [field]
    assert db_state() == before


def test_a_driver_listing_the_drivers_is_403(alice):
    DriverFactory(company=alice.company)

    response = alice.driver_client.get(drivers_url(alice.company))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_driver_reads_their_own_profile_by_id_and_as_me(alice):
    by_id = alice.driver_client.get(f"{drivers_url(alice.company)}{alice.driver.id}/")
    me = alice.driver_client.get(f"{drivers_url(alice.company)}me/")

    assert by_id.status_code == 200
    assert by_id.json() == me.json()
    assert me.json()["id"] == alice.driver.id
    assert me.json()["licence_number"] == alice.driver.licence_number


def test_a_driver_reading_another_drivers_profile_is_403(alice):
    colleague = DriverFactory(company=alice.company)

    response = alice.driver_client.get(f"{drivers_url(alice.company)}{colleague.id}/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_driver_cannot_edit_even_their_own_profile(alice):
    before = db_state()

    response = alice.driver_client.patch(
        f"{drivers_url(alice.company)}{alice.driver.id}/", {"phone": "+33612345670"}, format="json"
    )

    assert response.status_code == 403
    assert db_state() == before


def test_drivers_me_without_a_driver_profile_is_404(alice):
    response = alice.dispatcher_client.get(f"{drivers_url(alice.company)}me/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_dispatcher_lists_edits_and_deletes_driver_profiles(alice):
    listing = alice.dispatcher_client.get(drivers_url(alice.company))
    editing = alice.dispatcher_client.patch(
        f"{drivers_url(alice.company)}{alice.driver.id}/",
        {"phone": "+44 20 7946 0958", "licence_number": "DL-NEW"},
        format="json",
    )
    deleting = alice.dispatcher_client.delete(f"{drivers_url(alice.company)}{alice.driver.id}/")

    assert [driver["id"] for driver in listing.json()["results"]] == [alice.driver.id]
    assert editing.status_code == 200
    assert (editing.json()["phone"], editing.json()["licence_number"]) == (
        "+442079460958",
        "DL-NEW",
    )
    assert deleting.status_code == 204
    assert not Driver.objects.filter(id=alice.driver.id).exists()
    assert Membership.objects.get(id=alice.driver.membership_id).role == "driver"
