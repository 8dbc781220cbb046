"""One pagination for every list: {count, next, previous, results}, page_size up to 100."""

from __future__ import annotations

import pytest

from tests.pricing.factories import PricingConfigFactory
from tests.verification.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lister", ["trucks", "members", "documents", "pricing-versions"])
def test_every_list_pages_the_same_way(alice, lister):
    company = alice.company
    url = {
        "trucks": f"/api/v1/companies/{company.id}/trucks/",
        "members": f"/api/v1/companies/{company.id}/members/",
        "documents": f"/api/v1/companies/{company.id}/documents/",
        "pricing-versions": f"/api/v1/companies/{company.id}/pricing/versions/",
    }[lister]
    if lister == "documents":
        DocumentFactory.create_batch(3, company=company)
    if lister == "pricing-versions":
        for version in (1, 2, 3):
            PricingConfigFactory(company=company, version=version)
    if lister == "trucks":
        from tests.companies.factories import TruckFactory

        TruckFactory.create_batch(2, company=company)

    first = alice.owner_client.get(url, {"page_size": 1})
    second = alice.owner_client.get(url, {"page_size": 1, "page": 2})
    past_the_end = alice.owner_client.get(url, {"page_size": 1, "page": 10**12})

    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] >= 3 and len(body["results"]) == 1
    assert body["previous"] is None and "page=2" in body["next"]
    assert second.json()["results"] != body["results"]
    assert past_the_end.status_code == 404
    assert past_the_end.json()["error"]["code"] == "not_found"


def test_page_size_is_capped_at_100(alice):
    response = alice.owner_client.get(
        f"/api/v1/companies/{alice.company.id}/members/", {"page_size": 1000}
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == response.json()["count"] <= 100
