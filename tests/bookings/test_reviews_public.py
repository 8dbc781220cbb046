"""A company's public reviews, its rating in detail and search, and the reviews admin."""

from __future__ import annotations

from datetime import timedelta

import pytest

from apps.bookings.api.views_reviews import public_customer_name
from apps.bookings.models import Review
from apps.companies.models import Company
from tests.accounts.factories import UserFactory
from tests.bookings.review_factories import completed_booking, review_state, stored_review
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db


def reviews_url(company: Company) -> str:
    return f"/api/v1/companies/{company.id}/reviews/"


def named_review(*, company: Company, name: str, rating: int, comment: str = "") -> Review:
    booking = completed_booking(company=company)
    booking.customer.name = name
    booking.customer.save(update_fields=["name"])
    return stored_review(booking=booking, rating=rating, comment=comment)


def test_anyone_reads_a_company_reviews_newest_first_without_the_customer_identity(
    api_client, alice, bob
):
    older = named_review(company=alice.company, name="Jean Martin", rating=5, comment="Great.")
    Review.objects.filter(pk=older.pk).update(created_at=older.created_at - timedelta(days=2))
    newer = named_review(company=alice.company, name="Ana", rating=2, comment="Late.")
    Review.objects.filter(pk=newer.pk).update(
        reply="We are sorry.", replied_at=newer.created_at, replied_by=alice.owner
    )
    named_review(company=bob.company, name="Other Person", rating=1)
    older.refresh_from_db()
    newer.refresh_from_db()

    response = api_client.get(reviews_url(alice.company))

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert body["results"] == [
        {
            "id": newer.id,
            "rating": 2,
            "comment": "Late.",
            "created_at": newer.created_at.isoformat().replace("+00:00", "Z"),
            "reply": "We are sorry.",
            "replied_at": newer.replied_at.isoformat().replace("+00:00", "Z"),
            "customer_name": "Ana",
        },
        {
            "id": older.id,
            "rating": 5,
            "comment": "Great.",
            "created_at": older.created_at.isoformat().replace("+00:00", "Z"),
            "reply": None,
            "replied_at": None,
            "customer_name": "Jean M.",
        },
    ]


def test_the_review_list_is_paginated(api_client, alice):
    for rating in (1, 2, 3):
        named_review(company=alice.company, name="A B", rating=rating)

    response = api_client.get(reviews_url(alice.company), {"page_size": 2, "page": 2})

    assert response.json()["count"] == 3
    assert [row["rating"] for row in response.json()["results"]] == [1]


def test_a_company_without_reviews_has_an_empty_list(api_client, alice):
    response = api_client.get(reviews_url(alice.company))

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_an_unverified_company_reviews_are_404_to_outsiders_and_visible_to_its_staff(
    api_client, alice, bob, status
):
    named_review(company=alice.company, name="A B", rating=4)
    Company.objects.filter(pk=alice.company.pk).update(verification_status=status)
    customer = auth_client_for(UserFactory())

    outsiders = [api_client.get(reviews_url(alice.company))]
    outsiders += [client.get(reviews_url(alice.company)) for client in (customer, bob.owner_client)]
    staff = alice.driver_client.get(reviews_url(alice.company))

    assert [response.status_code for response in outsiders] == [404, 404, 404]
    assert {response.json()["error"]["code"] for response in outsiders} == {"not_found"}
    assert staff.status_code == 200
    assert staff.json()["count"] == 1


def test_an_unknown_company_is_404(api_client, db):
    response = api_client.get("/api/v1/companies/999999999/reviews/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Marie-Claire Dupont", "Marie-Claire D."),
        ("Jean de la Fontaine", "Jean F."),
        ("  jean   martin ", "jean M."),
        ("Cher", "Cher"),
        ("Émile Ñúñez", "Émile Ñ."),
        ("", "Customer"),
        ("   ", "Customer"),
    ],
)
def test_the_public_sees_the_first_name_and_the_last_name_initial(name, shown):
    assert public_customer_name(name) == shown


# --- the company's rating comes from its reviews -----------------------------------------------


def test_reviews_through_the_api_set_the_rating_in_detail_and_search(api_client, alice):
    for rating in (5, 4, 4):
        booking = completed_booking(company=alice.company)
        response = auth_client_for(booking.customer).post(
            f"/api/v1/bookings/{booking.id}/review/", {"rating": rating}, format="json"
        )
        assert response.status_code == 201

    detail = api_client.get(f"/api/v1/companies/{alice.company.id}/").json()
    found = api_client.get("/api/v1/companies/", {"near": "45.764,4.8357"}).json()["results"]

    assert (detail["rating"], detail["review_count"]) == (4.33, 3)
    assert [(row["id"], row["rating"], row["review_count"]) for row in found] == [
        (alice.company.id, 4.33, 3)
    ]


def test_an_unrated_company_shows_a_null_rating_and_no_reviews(api_client, alice):
    detail = api_client.get(f"/api/v1/companies/{alice.company.id}/").json()

    assert (detail["rating"], detail["review_count"]) == (None, 0)


# --- admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_reviews_filtered_by_rating_and_company(admin_client, alice, bob):
    low = named_review(company=alice.company, name="A B", rating=1, comment="Broken lamp")
    named_review(company=alice.company, name="C D", rating=5)
    named_review(company=bob.company, name="E F", rating=1)

    response = admin_client.get(
        "/admin/bookings/review/", {"rating": "1", "company__id__exact": alice.company.id}
    )
    searched = admin_client.get("/admin/bookings/review/", {"q": "lamp"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [low]
    assert list(searched.context["cl"].result_list) == [low]


def test_reviews_are_read_only_in_the_admin(admin_client, alice):
    review = named_review(company=alice.company, name="A B", rating=3, comment="Fine")
    before = review_state()

    change = admin_client.get(f"/admin/bookings/review/{review.id}/change/")
    post = admin_client.post(f"/admin/bookings/review/{review.id}/change/", {"rating": 5})
    add = admin_client.get("/admin/bookings/review/add/")
    delete = admin_client.post(f"/admin/bookings/review/{review.id}/delete/", {"post": "yes"})

    assert change.status_code == 200
    assert 'name="rating"' not in change.content.decode()
    assert (post.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    assert review_state() == before
