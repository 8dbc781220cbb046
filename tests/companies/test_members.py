"""Members: owners invite by e-mail, change roles, deactivate; dispatchers cannot grant roles."""

from __future__ import annotations

import re

import pytest

from apps.accounts.models import User
from apps.companies.member_services import invitation_token_make
from apps.companies.models import Membership
from tests.accounts.factories import UserFactory
from tests.companies.conftest import db_state
from tests.companies.factories import MembershipFactory
from tests.conftest import auth_client_for
from tests.race import race

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "plum-orchard-47-lantern"


def members_url(company) -> str:
    return f"/api/v1/companies/{company.id}/members/"


def invite(client, company, capture, **body):
    with capture(execute=True):
        return client.post(members_url(company), body, format="json")


def token_from_mail(message) -> str:
    return re.search(r"Invitation token: (\S+)", message.body).group(1)


def accept(api_client, token: str, password: str = STRONG_PASSWORD):
    return api_client.post(
        "/api/v1/invitations/accept/", {"token": token, "password": password}, format="json"
    )


def test_owner_invites_a_new_person_who_sets_a_password_with_the_emailed_token(
    alice, api_client, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    response = invite(
        alice.owner_client,
        alice.company,
        django_capture_on_commit_callbacks,
        email="New.Dispatcher@Example.com",
        role="dispatcher",
        name="Nora",
    )

    assert response.status_code == 201
    user = User.objects.get(email="new.dispatcher@example.com")
    membership = Membership.objects.get(company=alice.company, user=user)
    assert response.json() == {
        "id": membership.id,
        "user_id": user.id,
        "email": "new.dispatcher@example.com",
        "name": "Nora",
        "role": "dispatcher",
        "is_active": True,
        "invitation_sent_at": None,
        "created_at": response.json()["created_at"],
    }
    assert not user.has_usable_password()
    membership.refresh_from_db()
    assert membership.invitation_sent_at is not None
    [mail] = mailoutbox
    assert mail.to == ["new.dispatcher@example.com"]
    assert mail.subject == "You are invited to join Alice on MoveHub"
    assert "Alice added you to its team on MoveHub as dispatcher." in mail.body

    accepted = accept(api_client, token_from_mail(mail))

    assert accepted.status_code == 200
    assert accepted.json() == {
        "user_id": user.id,
        "email": "new.dispatcher@example.com",
        "company_id": alice.company.id,
        "company_name": "Alice",
        "role": "dispatcher",
    }
    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD)


def test_inviting_an_existing_user_adds_them_and_mails_without_a_token(
    alice, newcomer, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    response = invite(
        alice.owner_client,
        alice.company,
        django_capture_on_commit_callbacks,
        email="NEWCOMER@example.com",
        role="driver",
    )

    assert response.status_code == 201
    assert Membership.objects.get(company=alice.company, user=newcomer).role == "driver"
    assert User.objects.filter(email__iexact="newcomer@example.com").count() == 1
    [mail] = mailoutbox
    assert mail.to == ["newcomer@example.com"]
    assert "Invitation token" not in mail.body
    assert "existing MoveHub password" in mail.body


def test_the_invitation_task_sends_once_even_when_it_runs_twice(alice, newcomer, mailoutbox):
    from apps.companies.tasks import membership_invitation_send_task

    membership = MembershipFactory(company=alice.company, user=newcomer, role="driver")

    first = membership_invitation_send_task(membership.id)
    second = membership_invitation_send_task(membership.id)

    assert (first, second) == (True, False)
    assert [mail.to for mail in mailoutbox] == [["newcomer@example.com"]]


def test_a_used_invitation_token_is_refused(
    alice, api_client, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    invite(
        alice.owner_client,
        alice.company,
        django_capture_on_commit_callbacks,
        email="once@example.com",
        role="driver",
    )
    token = token_from_mail(mailoutbox[-1])
    assert accept(api_client, token).status_code == 200
    before = db_state()

    again = accept(api_client, token, password="another-long-passphrase-9")

    assert again.status_code == 400
    assert again.json()["error"]["code"] == "invalid"
    assert list(again.json()["error"]["details"]) == ["token"]
    assert db_state() == before


def test_an_expired_invitation_token_is_refused(alice, api_client, settings):
    user = User.objects.create_user(email="late@example.com")
    membership = MembershipFactory(company=alice.company, user=user, role="driver")
    token = invitation_token_make(membership=membership)
    settings.COMPANY_INVITATION_MAX_AGE_SECONDS = -1
    before = db_state()

    response = accept(api_client, token)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"token": ["This invitation has expired."]}
    assert db_state() == before


@pytest.mark.parametrize("token", ["", "garbage", "eyJtIjoxfQ:1vX:forged"])
def test_a_forged_or_empty_token_is_refused(api_client, alice, token):
    before = db_state()

    response = accept(api_client, token)

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["token"]
    assert db_state() == before


def test_a_token_of_a_deactivated_membership_is_refused(alice, api_client):
    user = User.objects.create_user(email="gone@example.com")
    membership = MembershipFactory(company=alice.company, user=user, role="driver")
    token = invitation_token_make(membership=membership)
    Membership.objects.filter(id=membership.id).update(is_active=False)

    response = accept(api_client, token)

    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_weak_password_is_refused_and_the_token_stays_usable(alice, api_client):
    user = User.objects.create_user(email="weak@example.com")
    membership = MembershipFactory(company=alice.company, user=user, role="driver")
    token = invitation_token_make(membership=membership)

    weak = accept(api_client, token, password="123456")
    strong = accept(api_client, token)

    assert weak.status_code == 400
    assert list(weak.json()["error"]["details"]) == ["password"]
    assert strong.status_code == 200


def test_inviting_someone_already_in_the_company_is_a_409(alice):
    before = db_state()

    response = alice.owner_client.post(
        members_url(alice.company),
        {"email": alice.dispatcher.email.upper(), "role": "owner"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_exists"
    assert list(response.json()["error"]["details"]) == ["email"]
    assert db_state() == before


@pytest.mark.parametrize("role", ["owner", "dispatcher", "driver"])
def test_dispatcher_granting_any_role_is_403_and_nothing_changes(alice, role):
    before = db_state()

    response = alice.dispatcher_client.post(
        members_url(alice.company), {"email": "friend@example.com", "role": role}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert db_state() == before


def test_dispatcher_promoting_themselves_to_owner_is_403(alice):
    own = Membership.objects.get(company=alice.company, user=alice.dispatcher)
    before = db_state()

    response = alice.dispatcher_client.patch(
        f"{members_url(alice.company)}{own.id}/", {"role": "owner"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert db_state() == before


def test_dispatcher_sees_the_member_list_but_a_driver_does_not(alice):
    dispatcher = alice.dispatcher_client.get(members_url(alice.company))
    driver = alice.driver_client.get(members_url(alice.company))

    assert dispatcher.status_code == 200
    assert [member["role"] for member in dispatcher.json()["results"]] == [
        "owner",
        "dispatcher",
        "driver",
    ]
    assert driver.status_code == 403


def test_owner_promotes_a_dispatcher_to_owner(alice):
    member = Membership.objects.get(company=alice.company, user=alice.dispatcher)

    response = alice.owner_client.patch(
        f"{members_url(alice.company)}{member.id}/", {"role": "owner"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["role"] == "owner"
    member.refresh_from_db()
    assert member.role == "owner"


@pytest.mark.parametrize(
    ("method", "body"),
    [("patch", {"role": "dispatcher"}), ("patch", {"is_active": False}), ("delete", None)],
)
def test_the_last_owner_cannot_be_demoted_or_removed(alice, method, body):
    own = Membership.objects.get(company=alice.company, user=alice.owner)
    before = db_state()

    response = getattr(alice.owner_client, method)(
        f"{members_url(alice.company)}{own.id}/", body, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert db_state() == before


def test_an_owner_may_step_down_when_another_owner_remains(alice):
    MembershipFactory(company=alice.company, role="owner")
    own = Membership.objects.get(company=alice.company, user=alice.owner)

    response = alice.owner_client.patch(
        f"{members_url(alice.company)}{own.id}/", {"role": "dispatcher"}, format="json"
    )

    assert response.status_code == 200
    own.refresh_from_db()
    assert own.role == "dispatcher"


def test_deleting_a_member_deactivates_them_and_they_lose_access(alice):
    member = Membership.objects.get(company=alice.company, user=alice.dispatcher)

    response = alice.owner_client.delete(f"{members_url(alice.company)}{member.id}/")

    assert response.status_code == 204
    member.refresh_from_db()
    assert member.is_active is False
    assert (
        alice.dispatcher_client.get(f"/api/v1/companies/{alice.company.id}/trucks/").status_code
        == 404
    )


def test_owner_reactivates_a_member(alice):
    member = Membership.objects.get(company=alice.company, user=alice.dispatcher)
    Membership.objects.filter(id=member.id).update(is_active=False)

    response = alice.owner_client.patch(
        f"{members_url(alice.company)}{member.id}/", {"is_active": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is True


def test_a_member_with_a_driver_profile_keeps_the_driver_role_until_it_is_deleted(alice):
    member = alice.driver.membership
    before = db_state()

    response = alice.owner_client.patch(
        f"{members_url(alice.company)}{member.id}/", {"role": "dispatcher"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert db_state() == before


def test_an_unknown_role_is_a_400(alice):
    before = db_state()

    response = alice.owner_client.post(
        members_url(alice.company), {"email": "x@example.com", "role": "admin"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["role"]
    assert db_state() == before


@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_exactly_one_owner(alice):
    second_owner = UserFactory()
    second = MembershipFactory(company=alice.company, user=second_owner, role="owner")
    first = Membership.objects.get(company=alice.company, user=alice.owner)
    plans = [
        (auth_client_for(alice.owner), second.id),
        (auth_client_for(second_owner), first.id),
    ]

    def demote(client, membership_id):
        return lambda: client.patch(
            f"{members_url(alice.company)}{membership_id}/", {"role": "dispatcher"}, format="json"
        )

    responses = race([demote(client, membership_id) for client, membership_id in plans])
    statuses = sorted(response.status_code for response in responses)

    # The loser is refused either by the last-owner rule (409) or, if the winner committed
    # before its role check, because it is no longer an owner (403).
    assert statuses[0] == 200
    assert statuses[1] in (403, 409)
    assert (
        Membership.objects.filter(company=alice.company, role="owner", is_active=True).count() == 1
    )
