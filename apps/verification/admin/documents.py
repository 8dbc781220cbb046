"""The document review queue and review page: preview, history, approve/reject (single, bulk)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from apps.accounts.request_types import AuthenticatedHttpRequest
from apps.core.admin import ReadOnlyAdmin
from apps.core.errors import ApplicationError
from apps.verification.admin.common import (
    REVIEW_PERMISSION,
    ReasonForm,
    html_table,
    reason_page,
)
from apps.verification.files import document_file_response, served_over_asgi
from apps.verification.models import Document, DocumentReminder, DocumentReview
from apps.verification.selectors import company_verification_missing, verification_today
from apps.verification.services import document_approve, document_reject

REJECT_INTRO = "The reason is sent to the company's owners. Documents:"


class ExpiringWithinFilter(admin.SimpleListFilter):
    title = "expiring within"
    parameter_name = "expiring_within"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("7", "7 days"), ("30", "30 days"), ("90", "90 days")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        days = self.value()
        if days not in {"7", "30", "90"}:
            return queryset
        today = verification_today()
        return queryset.filter(
            status__in=[Document.Status.APPROVED, Document.Status.PENDING],
            expires_on__gt=today,
            expires_on__lte=today + timedelta(days=int(days)),
        )


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    change_form_template = "admin/verification/document/change_form.html"
    list_display = [
        "id",
        "company",
        "kind",
        "subject",
        "number",
        "status",
        "expires_on",
        "created_at",
    ]
    list_display_links = ["id", "number"]
    list_filter = [
        "status",
        "kind",
        ("company", admin.RelatedOnlyFieldListFilter),
        ExpiringWithinFilter,
    ]
    search_fields = ["company__name", "number"]
    list_select_related = ["company", "truck", "driver__membership__user"]
    # The queue: pending first, oldest first.
    ordering = [
        Case(When(status="pending", then=Value(0)), default=Value(1), output_field=IntegerField()),
        "created_at",
        "id",
    ]
    list_per_page = 50
    actions = ["approve_selected", "reject_selected"]
    fieldsets = [
        (
            "Document",
            {
                "fields": [
                    "company",
                    "kind",
                    "subject",
                    "number",
                    "issuer",
                    ("issued_on", "expires_on"),
                    ("coverage_amount", "currency", "policy_type"),
                ]
            },
        ),
        ("File", {"fields": ["file_preview", "file_details"]}),
        (
            "Review",
            {"fields": ["status", "reviewed_by", "reviewed_at", "rejection_reason"]},
        ),
        ("Review history", {"fields": ["review_history"]}),
        ("The company's other documents", {"fields": ["company_documents"]}),
    ]
    readonly_fields = [
        "company",
        "kind",
        "subject",
        "number",
        "issuer",
        "issued_on",
        "expires_on",
        "coverage_amount",
        "currency",
        "policy_type",
        "file_preview",
        "file_details",
        "status",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "review_history",
        "company_documents",
    ]

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    # --- columns and read-only fields --------------------------------------------------------

    @admin.display(description="subject")
    def subject(self, document: Document) -> str:
        if document.truck_id:
            return f"truck {document.truck}"
        if document.driver_id:
            return f"driver {document.driver}"
        return "company"

    def _file_url(self, document: Document) -> str:
        return reverse("admin:verification_document_file", args=[document.pk])

    @admin.display(description="preview")
    def file_preview(self, document: Document) -> str:
        if not document.is_uploaded:
            return "No file yet: the pre-signed upload has not been completed."
        url = self._file_url(document)
        if document.file_content_type == "application/pdf":
            return format_html(
                '<iframe src="{}" title="document" style="width:100%;min-width:700px;'
                'height:800px;border:1px solid #ccc"></iframe><p><a href="{}" target="_blank" '
                'rel="noopener">Open the PDF in a new tab</a></p>',
                url,
                url,
            )
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="document" '
            'style="max-width:100%;max-height:800px;border:1px solid #ccc"></a>',
            url,
            url,
        )

    @admin.display(description="file")
    def file_details(self, document: Document) -> str:
        return format_html(
            "{} — {} bytes, {} (sniffed), sha256 {}<br>uploaded {} by {}",
            document.file_original_name or "(no name)",
            document.file_size,
            document.file_content_type,
            document.file_sha256 or "-",
            document.uploaded_at or "-",
            document.uploaded_by or "-",
        )

    @admin.display(description="history")
    def review_history(self, document: Document) -> str:
        rows = [
            (
                formats.localize(timezone.localtime(r.created_at)),
                r.actor or "system",
                f"{r.from_status} → {r.to_status}",
                r.reason,
            )
            for r in document.reviews.select_related("actor").order_by("created_at", "id")
        ]
        return html_table(["when", "who", "from → to", "reason"], rows)

    @admin.display(description="documents")
    def company_documents(self, document: Document) -> str:
        others = (
            Document.objects.filter(company_id=document.company_id)
            .exclude(pk=document.pk)
            .select_related("truck", "driver__membership__user")
            .order_by("kind", "-created_at")
        )
        rows = [
            (
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:verification_document_change", args=[d.pk]),
                    d.pk,
                ),
                d.get_kind_display(),
                self.subject(d),
                d.number,
                d.get_status_display(),
                d.expires_on,
            )
            for d in others
        ]
        missing = company_verification_missing(company=document.company)
        status = format_html(
            "<p>Company status: <strong>{}</strong>; missing: {}</p>",
            document.company.get_verification_status_display(),
            ", ".join(m.code for m in missing) or "nothing",
        )
        return status + html_table(["id", "kind", "subject", "number", "status", "expires"], rows)

    # --- decisions -----------------------------------------------------------------------------

    def _decide(
        self, request: HttpRequest, documents: QuerySet[Document], decide: Callable, verb: str
    ) -> None:
        """Apply a decision to each document (one transaction each); report per document."""
        done = 0
        for document in documents.order_by("pk"):
            try:
                decide(document)
            except ApplicationError as exc:
                self.message_user(request, f"{document}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} document(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Approve selected documents", permissions=["review"])
    def approve_selected(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[Document]
    ) -> None:
        self._decide(
            request,
            queryset,
            lambda d: document_approve(document=d, actor=request.user),
            "approved",
        )

    @admin.action(description="Reject selected documents…", permissions=["review"])
    def reject_selected(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[Document]
    ) -> HttpResponse | None:
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide(
                request,
                queryset,
                lambda d: document_reject(document=d, actor=request.user, reason=reason),
                "rejected",
            )
            return None
        return reason_page(
            self,
            request,
            objects=list(queryset.select_related("company").order_by("pk")),
            form=form,
            action="reject_selected",
            title="Reject documents",
            intro=REJECT_INTRO,
            submit_label="Reject",
            back_url=reverse("admin:verification_document_changelist"),
        )

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:document_id>/file/",
                wrap(self.file_view),
                name="verification_document_file",
            ),
            path(
                "<int:document_id>/approve/",
                wrap(self.approve_view),
                name="verification_document_approve",
            ),
            path(
                "<int:document_id>/reject/",
                wrap(self.reject_view),
                name="verification_document_reject",
            ),
            *super().get_urls(),
        ]

    def _get_viewable(self, request: HttpRequest, document_id: int) -> Document:
        document = get_object_or_404(Document.objects.select_related("company"), pk=document_id)
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        return document

    @xframe_options_sameorigin  # prod sends X-Frame-Options: DENY; the review page frames this
    def file_view(self, request: HttpRequest, document_id: int) -> HttpResponseBase:
        document = self._get_viewable(request, document_id)
        if not document.is_uploaded:
            raise PermissionDenied
        return document_file_response(document, asynchronous=served_over_asgi(request))

    def _back_to_queue(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:verification_document_changelist"))

    @staticmethod
    def _require_review(request: HttpRequest) -> None:
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied

    def approve_view(self, request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
        return require_POST(self._approve)(request, document_id)

    def _approve(self, request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
        self._require_review(request)
        document = self._get_viewable(request, document_id)
        self._decide(
            request,
            Document.objects.filter(pk=document.pk),
            lambda d: document_approve(document=d, actor=request.user),
            "approved",
        )
        return self._back_to_queue()

    def reject_view(self, request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
        self._require_review(request)
        document = self._get_viewable(request, document_id)
        form = ReasonForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide(
                request,
                Document.objects.filter(pk=document.pk),
                lambda d: document_reject(document=d, actor=request.user, reason=reason),
                "rejected",
            )
            return self._back_to_queue()
        return reason_page(
            self,
            request,
            objects=[document],
            form=form,
            action="",
            title="Reject document",
            intro=REJECT_INTRO,
            submit_label="Reject",
            back_url=reverse("admin:verification_document_change", args=[document.pk]),
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_review": self.has_review_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(DocumentReview)
class DocumentReviewAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "document", "company", "from_status", "to_status", "actor"]
    list_filter = ["to_status"]
    search_fields = ["company__name", "document__number"]
    list_select_related = ["document__company", "company", "actor"]


@admin.register(DocumentReminder)
class DocumentReminderAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "document", "days_before", "sent_at", "attempts", "last_error"]
    list_filter = ["days_before", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["document__company"]
