"""The staff Bookings list and a booking's page: filters, search, paging, reads, who may see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from apps.bookings.models import Booking, BookingMessage, Notification
from apps.companies.models import Membership
from tests.accounts.factories import CustomerFactory
from tests.bookings.dashboard_support import action, client_for, page
from tests.bookings.factories import BookingFactory, MoveRequestFactory
from tests.bookings.lifecycle_support import booking_in, db_state
from tests.companies.factories import MembershipFactory, TruckFactory

pytestmark = pytest.mark.django_db

LIST = "/dashboard/bookings/"
Status = Booking.Status


def booking_on(alice, day: date, **request_fields) -> Booking:
    return BookingFactory(
        company=alice.company,
        move_request=MoveRequestFactory(move_date=day, **request_fields),
    )


def listed(response) -> list[int]:
    return [booking.id for booking in response.context["page"].object_list]


def test_the_list_is_the_companys_latest_move_first(alice, bob):
    early = booking_on(alice, date(2031, 5, 1))
    late = booking_on(alice, date(2031, 6, 1))
    booking_on(bob, date(2031, 5, 15))

    response = client_for(alice.dispatcher).get(LIST)

    assert response.status_code == 200
    assert listed(response) == [late.id, early.id]


def test_filters_narrow_by_status_move_dates_and_truck(alice):
    scheduled = booking_in(Status.SCHEDULED, company=alice)
    scheduled.move_request.move_date = date(2031, 5, 10)
    scheduled.move_request.save(update_fields=["move_date"])
    other_truck = TruckFactory(company=alice.company)
    on_other = booking_in(
        Status.SCHEDULED,
        company=alice,
        crew=(other_truck, alice.driver),
        start=scheduled.scheduled_start + timedelta(days=1),
    )
    on_other.move_request.move_date = date(2031, 5, 11)
    on_other.move_request.save(update_fields=["move_date"])
    booking_on(alice, date(2031, 5, 10))  # confirmed
    client = client_for(alice.owner)

    by_truck = client.get(LIST, {"status": "scheduled", "truck": alice.truck.id})
    by_dates = client.get(
        LIST, {"status": "scheduled", "date_from": "2031-05-11", "date_to": "2031-05-11"}
    )

    assert listed(by_truck) == [scheduled.id]
    assert listed(by_dates) == [on_other.id]


@pytest.mark.parametrize("query", ["dupont", "Gambetta", "+33612", "#REF"])
def test_search_finds_customer_address_or_reference(alice, query):
    customer = CustomerFactory(name="Marie Dupont", phone="+33612345678")
    wanted = BookingFactory(
        company=alice.company,
        move_request=MoveRequestFactory(
            customer=customer, destination_address="12 Cours Gambetta, Lyon"
        ),
    )
    BookingFactory(
        company=alice.company,
        move_request=MoveRequestFactory(destination_address="3 Rue de la Paix, Paris"),
    )

    response = client_for(alice.owner).get(LIST, {"q": query.replace("REF", str(wanted.id))})

    assert listed(response) == [wanted.id]


def test_a_bare_number_is_a_reference_or_text_and_a_hash_number_only_a_reference(alice):
    wanted = BookingFactory(company=alice.company)
    in_phone = BookingFactory(
        company=alice.company,
        move_request=MoveRequestFactory(customer=CustomerFactory(phone=f"+336{wanted.id:08d}")),
    )
    client = client_for(alice.owner)

    bare = client.get(LIST, {"q": str(wanted.id)})
    hashed = client.get(LIST, {"q": f"#{wanted.id}"})
    nonsense = client.get(LIST, {"q": "#99999999999999999999999"})

    assert sorted(listed(bare)) == sorted([wanted.id, in_phone.id])
    assert listed(hashed) == [wanted.id]
    assert listed(nonsense) == []


def test_an_invalid_filter_is_shown_and_ignored(alice):
    booking = booking_on(alice, date(2031, 5, 1))

    response = client_for(alice.owner).get(LIST, {"date_from": "someday", "status": "lost"})

    assert listed(response) == [booking.id]
    assert set(response.context["form"].errors) == {"date_from", "status"}


def test_pages_keep_the_filters_in_their_links(alice):
    for offset in range(26):
        booking_on(alice, date(2031, 1, 1) + timedelta(days=offset))

    response = Client()
    response.force_login(alice.owner)
    first = response.get(LIST, {"status": "confirmed"})
    second = response.get(LIST, {"status": "confirmed", "page": "2"})

    assert len(listed(first)) == 25
    assert b'href="?status=confirmed&amp;page=2"' in first.content
    assert len(listed(second)) == 1
    assert b'href="?status=confirmed&amp;page=1"' in second.content


@pytest.mark.parametrize("path", [LIST, "/dashboard/schedule/"])
def test_a_driver_gets_the_403_page(alice, path):
    response = client_for(alice.driver_user).get(path)

    assert response.status_code == 403
    assert b"does not open this page" in response.content


def test_the_booking_page_shows_quote_timeline_and_thread(alice):
    booking = booking_in(Status.SCHEDULED, company=alice)
    booking.events.create(kind="scheduled", actor=alice.dispatcher, data={})
    BookingMessage.objects.create(booking=booking, author=booking.customer, body="Is 9am ok?")

    response = client_for(alice.dispatcher).get(page(booking))

    assert response.status_code == 200
    detail = response.context["page"]
    assert (detail.truck, detail.drivers) == (alice.truck, [alice.driver])
    assert [e.kind for e in detail.events] == ["scheduled"]
    assert [(m.author_role, m.body) for m in detail.messages] == [("customer", "Is 9am ok?")]
    assert (detail.can_schedule, detail.can_start, detail.can_complete, detail.can_cancel) == (
        True,
        True,
        False,
        True,
    )
    html = response.content.decode()
    assert "Crew of 2, 3.00 h" in html and "288.00 EUR" in html and "Is 9am ok?" in html
    assert booking.handover_code not in html  # staff never see the customer's code


def test_another_companys_booking_is_404_on_the_page_and_its_actions(alice, bob):
    theirs = booking_in(Status.SCHEDULED, company=bob)
    client = client_for(alice.owner)
    before = db_state()

    assert client.get(page(theirs)).status_code == 404
    for name in ("schedule", "start", "complete", "cancel", "messages"):
        assert client.post(action(theirs, name), {"body": "hi"}).status_code == 404
    assert db_state() == before
    assert BookingMessage.objects.count() == 0


def test_a_member_of_both_sees_the_other_companys_booking_only_after_switching(alice, bob):
    MembershipFactory(company=bob.company, user=alice.owner, role=Membership.Role.DISPATCHER)
    theirs = BookingFactory(company=bob.company)
    client = client_for(alice.owner)

    assert client.get(page(theirs)).status_code == 404
    client.post("/dashboard/switch/", {"company": bob.company.id})
    assert client.get(page(theirs)).status_code == 200


@pytest.mark.parametrize("name", ["schedule", "start", "complete", "cancel", "messages"])
def test_actions_are_post_only(alice, name):
    booking = booking_in(Status.SCHEDULED, company=alice)

    assert client_for(alice.owner).get(action(booking, name)).status_code == 405


def test_actions_need_the_csrf_token(alice):
    booking = booking_in(Status.SCHEDULED, company=alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice.owner)
    before = db_state()

    response = client.post(action(booking, "cancel"), {"reason": "x"})

    assert response.status_code == 403
    assert db_state() == before


def test_a_driver_cannot_act_from_the_managers_page(alice):
    booking = booking_in(Status.SCHEDULED, company=alice)
    before = db_state()

    response = client_for(alice.driver_user).post(action(booking, "cancel"))

    assert response.status_code == 403
    assert db_state() == before


def test_a_message_goes_to_the_thread_and_tells_the_customer(alice):
    booking = BookingFactory(company=alice.company)

    response = client_for(alice.dispatcher).post(
        action(booking, "messages"), {"body": "We arrive at 9."}
    )

    assert response.status_code == 302
    message = BookingMessage.objects.get(booking=booking)
    assert (message.author_id, message.body) == (alice.dispatcher.id, "We arrive at 9.")
    assert Notification.objects.filter(user=booking.customer, kind="message").count() == 1


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "This field is required."),
        ("x" * 2001, "Ensure this field has no more than 2000 characters."),
    ],
)
def test_a_bad_message_is_shown_inline_and_sends_nothing(alice, body, error):
    booking = BookingFactory(company=alice.company)

    response = client_for(alice.dispatcher).post(action(booking, "messages"), {"body": body})

    assert response.status_code == 200
    assert response.context["forms"]["message"].errors == {"body": [error]}
    assert BookingMessage.objects.count() == 0
