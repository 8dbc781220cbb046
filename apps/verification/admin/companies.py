"""Company verification in the admin: status, what is missing, history, suspend/unsuspend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html_join

from apps.accounts.request_types import AuthenticatedHttpRequest
from apps.core.admin import ReadOnlyAdmin
from apps.verification.admin.common import (
    SUSPEND_PERMISSION,
    ReasonForm,
    reason_page,
)
from apps.verification.models import CompanyStatusChange, CompanyVerification
from apps.verification.selectors import company_verification_missing
from apps.verification.services import company_suspend, company_unsuspend

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _PendingCount(TypedDict):
    pending_count: int


class CompanyStatusChangeInline(admin.TabularInline):
    model = CompanyStatusChange
    fields: ClassVar[tuple[str, ...]] = (
        "created_at",
        "from_status",
        "to_status",
        "reason",
        "missing",
        "actor",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CompanyVerification)
class CompanyVerificationAdmin(ReadOnlyAdmin):
    list_display = ["name", "verification_status", "verification_changed_at", "pending_documents"]
    list_filter = ["verification_status"]
    search_fields = ["name", "legal_name", "registration_number"]
    fields: ClassVar[tuple[str, ...]] = (
        "name",
        "legal_name",
        "registration_number",
        "verification_status",
        "missing",
    )
    readonly_fields = fields
    inlines = [CompanyStatusChangeInline]
    actions = ["suspend_selected", "unsuspend_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(pending_count=Count("documents", filter=Q(documents__status="pending")))
        )

    def has_suspend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(SUSPEND_PERMISSION)

    @admin.display(description="pending documents", ordering="pending_count")
    def pending_documents(
        self, company: WithAnnotations[CompanyVerification, _PendingCount]
    ) -> int:
        return company.pending_count

    @admin.display(description="missing")
    def missing(self, company: CompanyVerification) -> str:
        missing = company_verification_missing(company=company)
        return format_html_join("", "<p>{}: {}</p>", ((m.code, m.message) for m in missing)) or "-"

    @admin.action(description="Suspend selected companies…", permissions=["suspend"])
    def suspend_selected(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for company in queryset.order_by("pk"):
                company_suspend(
                    company=company, actor=request.user, reason=form.cleaned_data["reason"]
                )
            self.message_user(request, f"{queryset.count()} company(ies) suspended.")
            return None
        return reason_page(
            self,
            request,
            objects=list(queryset.order_by("pk")),
            form=form,
            action="suspend_selected",
            title="Suspend companies",
            intro="Suspended companies cannot be found, quoted or booked, whatever their "
            "documents. The reason is sent to their owners. Companies:",
            submit_label="Suspend",
            back_url=reverse("admin:verification_companyverification_changelist"),
        )

    @admin.action(description="Lift the suspension of selected companies", permissions=["suspend"])
    def unsuspend_selected(self, request: AuthenticatedHttpRequest, queryset: QuerySet) -> None:
        for company in queryset.order_by("pk"):
            company_unsuspend(
                company=company, actor=request.user, reason=f"Suspension lifted by {request.user}."
            )
        self.message_user(request, "Suspensions lifted; statuses follow the documents again.")
