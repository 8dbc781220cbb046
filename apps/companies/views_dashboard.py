"""Dashboard views of apps.companies: the company switcher."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.companies.dashboard import staff_page


@require_POST
@staff_page()
def company_switch(request: HttpRequest) -> HttpResponse:
    """POST `company`: work in another company you are an active member of (else 404)."""
    try:
        company_id = int(request.POST.get("company", ""))
    except ValueError:
        raise Http404("Not found.") from None
    if company_id not in {m.company_id for m in request.staff_memberships}:  # type: ignore[attr-defined]
        raise Http404("Not found.")
    request.session[settings.DASHBOARD_COMPANY_SESSION_KEY] = company_id
    target = request.POST.get("next") or "/dashboard/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/dashboard/"
    return redirect(target)
