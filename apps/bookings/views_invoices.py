"""Dashboard pages of apps.bookings: the company's invoices (list and detail)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.bookings.delivery_selectors import invoice_get_for_company, invoice_list_for_company
from apps.companies.dashboard import MANAGER_ROLES, staff_page
from apps.core.errors import NotFound

PAGE_SIZE = 25


@staff_page(roles=MANAGER_ROLES)
@require_GET
def invoices(request: HttpRequest) -> HttpResponse:
    """The company's invoices, newest first, 25 a page."""
    company = request.staff.company  # type: ignore[attr-defined]
    paginator = Paginator(invoice_list_for_company(company=company), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "bookings/dashboard/invoices.html", {"page": page})


@staff_page(roles=MANAGER_ROLES)
@require_GET
def invoice(request: HttpRequest, number: int) -> HttpResponse:
    """One invoice with its lines and links to its printable page and PDF (the API's)."""
    company = request.staff.company  # type: ignore[attr-defined]
    try:
        found = invoice_get_for_company(company=company, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "bookings/dashboard/invoice_detail.html", {"invoice": found})
