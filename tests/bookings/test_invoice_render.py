"""GET /bookings/{id}/invoice/: JSON, printable HTML and PDF; who may read it; the schema."""

from __future__ import annotations

import io

import pytest
import yaml
from pypdf import PdfReader

from apps.bookings.models import Booking, Invoice
from tests.accounts.factories import CustomerFactory
from tests.bookings.lifecycle_support import booking_in, url
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

Status = Booking.Status


@pytest.fixture
def completed(alice) -> Booking:
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    response = alice.driver_client.post(
        url(booking, "complete"),
        {
            "handover_code": booking.handover_code,
            "extras": [
                {"label": "<script>alert(1)</script> & boxes", "quantity": "2", "unit_price": "5"}
            ],
        },
        format="json",
    )
    assert response.status_code == 200
    return booking


def test_the_customer_reads_the_invoice_as_json(completed):
    response = auth_client_for(completed.customer).get(url(completed, "invoice"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    invoice = Invoice.objects.get(booking=completed)
    assert body["number"] == invoice.number == 1
    assert body["booking"] == completed.pk
    assert (body["subtotal"], body["tax"], body["total"], body["currency"]) == (
        "250.00",
        "50.00",
        "300.00",
        "EUR",
    )
    assert body["seller"]["name"] == "Alice"
    assert body["buyer"]["phone"] == completed.customer.phone
    assert [line["code"] for line in body["lines"]] == ["labour", "extra"]
    assert body["lines"][1] == {
        "position": 2,
        "source": "adjustment",
        "code": "extra",
        "label": "<script>alert(1)</script> & boxes",
        "quantity": "2.000",
        "unit_price": "5.00",
        "amount": "10.00",
    }


@pytest.mark.parametrize("role", ["owner_client", "dispatcher_client", "driver_client"])
def test_the_companys_staff_read_the_invoice(alice, completed, role):
    response = getattr(alice, role).get(url(completed, "invoice"))

    assert response.status_code == 200
    assert response.json()["number"] == 1


@pytest.mark.parametrize("how", [{"format": "pdf"}, {"HTTP_ACCEPT": "application/pdf"}])
def test_the_pdf_holds_the_invoice(completed, how):
    client = auth_client_for(completed.customer)
    query = {"format": how["format"]} if "format" in how else {}
    headers = {key: value for key, value in how.items() if key != "format"}

    response = client.get(url(completed, "invoice"), query, **headers)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="invoice-{completed.company_id}-1.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Invoice 1" in text
    assert "300.00 EUR" in text
    assert "<script>alert(1)</script> & boxes" in text  # shown as text, never interpreted


@pytest.mark.parametrize("how", [{"format": "html"}, {"HTTP_ACCEPT": "text/html"}])
def test_the_printable_page_escapes_user_text(completed, how):
    client = auth_client_for(completed.customer)
    query = {"format": how["format"]} if "format" in how else {}
    headers = {key: value for key, value in how.items() if key != "format"}

    response = client.get(url(completed, "invoice"), query, **headers)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "<h1>Invoice 1</h1>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; boxes" in page
    assert "<script>" not in page


def test_before_completion_there_is_no_invoice_even_as_pdf(alice):
    booking = booking_in(Status.IN_PROGRESS, company=alice)

    response = alice.owner_client.get(url(booking, "invoice"), {"format": "pdf"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_another_companys_staff_and_another_customer_get_404(bob, completed):
    stranger = auth_client_for(CustomerFactory())

    for client in (bob.owner_client, bob.dispatcher_client, bob.driver_client, stranger):
        response = client.get(url(completed, "invoice"), {"format": "pdf"})

        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_format_is_404_in_the_envelope(completed):
    response = auth_client_for(completed.customer).get(url(completed, "invoice"), {"format": "xml"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unacceptable_accept_header_is_406_in_the_envelope(completed):
    response = auth_client_for(completed.customer).get(
        url(completed, "invoice"), HTTP_ACCEPT="image/png"
    )

    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"


def test_the_schema_documents_the_three_content_types(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    operation = schema["paths"]["/api/v1/bookings/{booking_id}/invoice/"]["get"]
    assert sorted(operation["responses"]["200"]["content"]) == [
        "application/json",
        "application/pdf",
        "text/html",
    ]
    assert operation["responses"]["200"]["content"]["application/pdf"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    assert any(
        (parameter["name"], parameter["in"]) == ("format", "query")
        for parameter in operation["parameters"]
    )
