"""Routes of the verification API under /api/v1/."""

from django.urls import path

from apps.verification.api import views

prefix = "companies/<int:company_id>/"

urlpatterns = [
    path(prefix + "documents/", views.DocumentListApi.as_view(), name="verification-document-list"),
    path(
        prefix + "documents/upload-url/",
        views.DocumentUploadUrlApi.as_view(),
        name="verification-document-upload-url",
    ),
    path(
        prefix + "documents/<int:document_id>/",
        views.DocumentDetailApi.as_view(),
        name="verification-document-detail",
    ),
    path(
        prefix + "documents/<int:document_id>/complete/",
        views.DocumentCompleteApi.as_view(),
        name="verification-document-complete",
    ),
    path(
        prefix + "documents/<int:document_id>/file/",
        views.DocumentFileApi.as_view(),
        name="verification-document-file",
    ),
    path(
        prefix + "verification/",
        views.CompanyVerificationApi.as_view(),
        name="verification-company-status",
    ),
]
