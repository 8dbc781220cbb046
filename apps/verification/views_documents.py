"""Documents page of the dashboards: the company's documents (status, rejection reasons, expiry
countdown), the upload form and the file download, for owners and dispatchers as in the API.

The upload is parsed by the API's DocumentUploadInput and stored by the same `document_upload`
service (content sniffing, size limit, random storage key, status recompute).
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.companies.dashboard import (
    MANAGER_ROLES,
    form_error_from,
    staff_object_or_404,
    staff_page,
)
from apps.companies.dashboard_forms import form_parse
from apps.core.errors import ApplicationError
from apps.core.middleware import request_content_length
from apps.verification.api.serializers import DocumentUploadInput, metadata_from
from apps.verification.dashboard_forms import DocumentFilterForm, DocumentUploadForm
from apps.verification.dashboard_selectors import document_rows, documents_with_days
from apps.verification.files import document_file_response, served_over_asgi
from apps.verification.models import Document
from apps.verification.selectors import company_verification_missing
from apps.verification.upload_services import document_upload

RENAMES = {"subject_id": "subject"}


@staff_page(roles=MANAGER_ROLES)
def documents(request: HttpRequest) -> HttpResponse:
    """The list (filter by kind and status) and what the company still lacks to be verified."""
    company = request.staff.company  # type: ignore[attr-defined]
    filters = DocumentFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = document_rows(
        company=company, kind=chosen.get("kind") or None, status=chosen.get("status") or None
    )
    return render(
        request,
        "verification/dashboard/documents.html",
        {
            "filters": filters,
            "rows": documents_with_days(list(rows[:200])),
            "missing": company_verification_missing(company=company),
        },
    )


@staff_page(roles=MANAGER_ROLES)
def document_upload_page(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    limit = settings.VERIFICATION_MAX_UPLOAD_BODY_BYTES
    if request.method == "POST" and request_content_length(request) > limit:
        form = DocumentUploadForm(company=staff.company)
        form.add_error(
            None, f"The file is too large: at most {settings.VERIFICATION_MAX_FILE_BYTES} bytes."
        )
        return render(
            request, "verification/dashboard/document_upload.html", {"form": form}, status=413
        )
    form = DocumentUploadForm(request.POST or None, request.FILES or None, company=staff.company)
    if request.method == "POST" and form.is_valid():
        data = form_parse(
            form, DocumentUploadInput, extra={"subject_id": form.subject_id()}, renames=RENAMES
        )
        if data is not None:
            upload = data["file"]
            try:
                document = document_upload(
                    company=staff.company,
                    meta=metadata_from(data),
                    file=upload,
                    original_name=upload.name or "",
                    declared_type=upload.content_type,
                    actor=staff.user,
                )
            except ApplicationError as error:
                form_error_from(form, error, renames=RENAMES)
            else:
                label = f"{document.get_kind_display()} {document.number}"
                messages.success(request, f"{label} uploaded: it waits for review.")
                return redirect("dashboard:documents")
    return render(request, "verification/dashboard/document_upload.html", {"form": form})


@staff_page(roles=MANAGER_ROLES)
def document_file(request: HttpRequest, document_id: int) -> HttpResponse:
    """The uploaded file, for the company's owner and dispatchers (another company's: 404)."""
    company = request.staff.company  # type: ignore[attr-defined]
    document = staff_object_or_404(
        Document.objects.filter(uploaded_at__isnull=False), company=company, id=document_id
    )
    response = document_file_response(document, asynchronous=served_over_asgi(request))
    return cast(HttpResponse, response)  # a streamed file or a redirect: staff_page passes it on
