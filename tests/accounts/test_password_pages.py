"""Dashboard password pages: reset by e-mail, and a first password for an owner without one."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY

from apps.accounts.models import User
from apps.accounts.passwords import password_set_url
from apps.companies.models import Membership
from apps.core.models import OutboxMessage
from tests.accounts.factories import TEST_PASSWORD, CustomerFactory, UserFactory
from tests.companies.factories import MembershipFactory
from tests.companies.test_companies import REGISTRATION
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

RESET_URL = "/dashboard/password-reset/"
NEW_PASSWORD = "plum-orchard-47-lantern"


def sent_mail() -> list[OutboxMessage]:
    """E-mails the dev outbox kept (the e-mail backend of the test settings), oldest first."""
    return list(OutboxMessage.objects.filter(channel="email").order_by("id"))


def link_in(message) -> str:
    return re.search(r"http://[^/\s]+(/dashboard/password-reset/\S+/\S+/)", message.body).group(1)


def passwordless(user: User) -> User:
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def set_password(client, link: str, **body):
    page = client.get(link, follow=True)  # Django moves the token into the session first
    return client.post(page.redirect_chain[-1][0], body)


def test_the_reset_mail_carries_a_link_that_sets_the_password_once(client, alice):
    # Given alice's dispatcher asks for a reset
    response = client.post(RESET_URL, {"email": alice.dispatcher.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/password-reset/sent/"
    assert [m.to for m in sent_mail()] == [alice.dispatcher.email]
    assert sent_mail()[0].subject == "Choose your MoveHub password"
    link = link_in(sent_mail()[0])

    # When they choose a new password through the link
    done = set_password(client, link, new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD)

    # Then it is saved, they sign in with it, and the link is dead
    assert done.status_code == 302
    assert done["Location"] == "/dashboard/password-reset/done/"
    alice.dispatcher.refresh_from_db()
    assert alice.dispatcher.check_password(NEW_PASSWORD)
    login = client.post(
        "/dashboard/login/", {"username": alice.dispatcher.email, "password": NEW_PASSWORD}
    )
    assert client.session[SESSION_KEY] == str(alice.dispatcher.pk)
    assert login["Location"] == "/dashboard/"
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert b"This link is not valid any more" in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(RESET_URL, {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/password-reset/sent/"
    assert sent_mail() == []


def test_staff_without_password_get_the_link_and_customers_without_one_do_not(client, alice):
    # Given an owner who signed in with a code (no password) and a plain customer alike
    owner = passwordless(UserFactory(email="coded.owner@example.com"))
    MembershipFactory(company=alice.company, user=owner, role=Membership.Role.OWNER)
    customer = passwordless(UserFactory(email="customer@example.com"))

    client.post(RESET_URL, {"email": owner.email})
    client.post(RESET_URL, {"email": customer.email})

    assert [m.to for m in sent_mail()] == [owner.email]


def test_a_mismatched_password_is_shown_inline_and_changes_nothing(client, alice):
    client.post(RESET_URL, {"email": alice.owner.email})
    before = User.objects.get(pk=alice.owner.pk).password

    response = set_password(
        client, link_in(sent_mail()[0]), new_password1=NEW_PASSWORD, new_password2="other-47-pass"
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "new_password2": ["The two password fields didn\u2019t match."]
    }
    assert User.objects.get(pk=alice.owner.pk).password == before


def test_a_forged_link_is_refused_and_changes_nothing(client, alice):
    before = User.objects.get(pk=alice.owner.pk).password

    response = client.get(f"/dashboard/password-reset/{alice.owner.pk}/abc-forged/")

    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert User.objects.get(pk=alice.owner.pk).password == before


def test_registering_a_company_without_a_password_sends_the_link_to_choose_one(
    celery_eager, django_capture_on_commit_callbacks
):
    # Given a customer who signed in with a one-time e-mail code (no password)
    owner = passwordless(UserFactory(email="coded@example.com"))

    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client_for(owner).post("/api/v1/companies/", REGISTRATION, format="json")

    assert response.status_code == 201
    assert [m.to for m in sent_mail()] == ["coded@example.com"]
    assert sent_mail()[0].subject == "Choose your MoveHub password"
    assert password_set_url(user=owner) in sent_mail()[0].body


def test_registering_a_company_with_a_password_sends_no_link(
    celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client_for(UserFactory()).post(
            "/api/v1/companies/", REGISTRATION, format="json"
        )

    assert response.status_code == 201
    assert sent_mail() == []


def test_a_phone_only_owner_gives_an_email_with_the_password_then_signs_in(client, alice):
    # Given an owner who registered with an SMS code: a phone, no e-mail, no password
    owner = passwordless(CustomerFactory())
    MembershipFactory(company=alice.company, user=owner, role=Membership.Role.OWNER)
    link = password_set_url(user=owner).removeprefix("http://localhost:8000")

    response = set_password(
        client,
        link,
        email="Phone.Owner@Example.com",
        new_password1=NEW_PASSWORD,
        new_password2=NEW_PASSWORD,
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.email == "phone.owner@example.com"
    assert owner.check_password(NEW_PASSWORD)
    client.post(
        "/dashboard/login/", {"username": "phone.owner@example.com", "password": NEW_PASSWORD}
    )
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_a_phone_only_owner_cannot_take_someone_elses_email(client, alice):
    owner = passwordless(CustomerFactory())
    MembershipFactory(company=alice.company, user=owner, role=Membership.Role.OWNER)
    link = password_set_url(user=owner).removeprefix("http://localhost:8000")

    response = set_password(
        client,
        link,
        email=alice.dispatcher.email,
        new_password1=NEW_PASSWORD,
        new_password2=NEW_PASSWORD,
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Another account uses this e-mail address."]
    }
    owner.refresh_from_db()
    assert (owner.email, owner.has_usable_password()) == (None, False)
    assert User.objects.get(pk=alice.dispatcher.pk).check_password(TEST_PASSWORD)


def test_reset_mails_per_address_are_limited_and_the_answer_stays_the_same(client, alice, bob):
    # Given the limit is 2 reset mails per address
    from django.test import override_settings

    with override_settings(THROTTLE_PASSWORD_RESET="2/hour"):
        # When alice's dispatcher is sent 4 resets (in any case), and bob's owner 1
        answers = [
            client.post(RESET_URL, {"email": email})
            for email in (
                alice.dispatcher.email,
                alice.dispatcher.email.upper(),
                alice.dispatcher.email,
                alice.dispatcher.email,
                bob.owner.email,
            )
        ]

    # Then every answer is the same page, and only 2 mails went to alice's dispatcher
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/dashboard/password-reset/sent/")
    }
    assert [m.to for m in sent_mail()] == [
        alice.dispatcher.email,
        alice.dispatcher.email,
        bob.owner.email,
    ]


def test_while_redis_is_down_no_reset_mail_is_sent_and_the_page_answers(client, alice, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }

    response = client.post(RESET_URL, {"email": alice.dispatcher.email})

    assert response.status_code == 302
    assert sent_mail() == []
