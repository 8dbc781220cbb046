"""Dashboard pages of apps.pricing: the owner's rules editor, its live preview, version history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from apps.companies.dashboard import OWNER_ONLY, staff_page
from apps.core.errors import Invalid
from apps.pricing import selectors, services
from apps.pricing.dashboard_forms import (
    PricingRulesForm,
    SampleMove,
    form_errors_from,
    form_initial_from,
    rules_diff,
    sample_move,
)
from apps.pricing.examples import SMALL_LOCAL_MOVER
from apps.pricing.models import PricingConfig


def _sample(request: HttpRequest) -> SampleMove:
    return sample_move(today=timezone.localdate())  # the company's zone (staff_page)


def _preview(request: HttpRequest, form: PricingRulesForm) -> dict[str, Any]:
    """The sample move priced with the form's document, or the form's errors."""
    sample = _sample(request)
    context: dict[str, Any] = {"sample": sample, "estimate": None}
    if not form.is_valid():
        return context
    try:
        context["estimate"] = services.quote_preview(
            company=request.staff.company,  # type: ignore[attr-defined]
            document=form.document(),
            move=sample.move,
            distance_km=sample.distance_km,
        )
    except Invalid as error:
        form_errors_from(form, error)
    return context


@staff_page(roles=OWNER_ONLY)
@require_http_methods(["GET", "POST"])
def pricing(request: HttpRequest) -> HttpResponse:
    """Edit the rules: GET shows the latest version; POST saves a new version."""
    company = request.staff.company  # type: ignore[attr-defined]
    latest = selectors.pricing_config_latest(company=company)
    if request.method == "POST":
        form = PricingRulesForm(request.POST)
        if form.is_valid():
            try:
                config = services.pricing_config_save(
                    company=company,
                    document=form.document(),
                    actor=request.staff.user,  # type: ignore[attr-defined]
                )
            except Invalid as error:
                form_errors_from(form, error)
            else:
                messages.success(request, f"Pricing saved as version {config.version}.")
                return redirect("dashboard:pricing")
        return render(
            request,
            "pricing/dashboard/pricing.html",
            {"form": form, "latest": latest, "preview": {"sample": _sample(request)}},
        )
    document = latest.rules if latest is not None else SMALL_LOCAL_MOVER
    form = PricingRulesForm(data=form_initial_from(document))
    return render(
        request,
        "pricing/dashboard/pricing.html",
        {"form": form, "latest": latest, "preview": _preview(request, form)},
    )


@staff_page(roles=OWNER_ONLY)
@require_POST
def pricing_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the sample move priced with the posted (unsaved) rules, field errors out of band."""
    form = PricingRulesForm(request.POST)
    preview = _preview(request, form)
    return render(request, "pricing/dashboard/_preview.html", {"form": form, "preview": preview})


def _version(versions: list[PricingConfig], raw: str | None) -> PricingConfig | None:
    return next((v for v in versions if str(v.version) == (raw or "").strip()), None)


@staff_page(roles=OWNER_ONLY)
@require_http_methods(["GET"])
def pricing_history(request: HttpRequest) -> HttpResponse:
    """Every saved version; the diff of the two chosen (default: the last two)."""
    company = request.staff.company  # type: ignore[attr-defined]
    versions = list(selectors.pricing_config_list(company=company))
    old = _version(versions, request.GET.get("old"))
    new = _version(versions, request.GET.get("new"))
    if old is None and new is None and len(versions) >= 2:
        new, old = versions[0], versions[1]
    error = ""
    if ("old" in request.GET or "new" in request.GET) and (old is None or new is None):
        error = "Choose two saved versions to compare."
    diff = rules_diff(old=old.rules, new=new.rules) if old and new else None
    return render(
        request,
        "pricing/dashboard/history.html",
        {"versions": versions, "old": old, "new": new, "diff": diff, "error": error},
    )
