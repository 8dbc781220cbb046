"""Verification API views (thin: parse, call a selector or service, render)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.companies.selectors import MANAGER_ROLES, company_get_for_staff
from apps.core.middleware import refuse_body_over
from apps.core.pagination import paginate
from apps.core.serializers import parse
from apps.verification.api.serializers import (
    DocumentListFilterInput,
    DocumentOutput,
    DocumentPageOutput,
    DocumentUploadInput,
    DocumentUploadUrlInput,
    UploadUrlOutput,
    VerificationOutput,
    metadata_from,
)
from apps.verification.files import ACCEPTED_TYPES, document_file_response, served_over_asgi
from apps.verification.selectors import (
    company_verification_missing,
    document_get_for_download,
    document_get_in_company,
    document_list_for_company,
)
from apps.verification.upload_services import (
    document_upload,
    document_upload_complete,
    document_upload_url_create,
)


class DocumentListApi(APIView):
    """The company's documents (owner, dispatcher); upload one as multipart."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="v1_companies_documents_list",
        parameters=[
            DocumentListFilterInput,
            OpenApiParameter("page", int, description="page number, from 1"),
            OpenApiParameter("page_size", int, description="up to 100 (default 20)"),
        ],
        responses={200: DocumentPageOutput},
    )
    def get(self, request: Request, company_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        filters = parse(DocumentListFilterInput, request.query_params)
        documents = document_list_for_company(company=company, **filters)
        return paginate(request, documents, DocumentOutput)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadInput}, responses={201: DocumentOutput}
    )
    def post(self, request: AuthenticatedRequest, company_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        refuse_body_over(
            request,
            limit=settings.VERIFICATION_MAX_UPLOAD_BODY_BYTES,
            what=f"files may be at most {settings.VERIFICATION_MAX_FILE_BYTES} bytes",
        )
        data = parse(DocumentUploadInput, request.data)
        upload = data["file"]
        document = document_upload(
            company=company,
            meta=metadata_from(data),
            file=upload,
            original_name=upload.name or "",
            declared_type=upload.content_type,
            actor=request.user,
        )
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class DocumentUploadUrlApi(APIView):
    """Start a pre-signed S3 upload: a pending document and the form to POST the file to S3."""

    @extend_schema(request=DocumentUploadUrlInput, responses={201: UploadUrlOutput})
    def post(self, request: AuthenticatedRequest, company_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        data = parse(DocumentUploadUrlInput, request.data)
        document, form = document_upload_url_create(
            company=company,
            meta=metadata_from(data),
            content_type=data["content_type"],
            size=data["size"],
            original_name=data["original_name"],
            actor=request.user,
        )
        output = {
            "document": DocumentOutput(document).data,
            "upload": {"url": form["url"], "fields": form["fields"]},
            "expires_in": settings.VERIFICATION_UPLOAD_URL_EXPIRES_SECONDS,
        }
        return Response(output, status=status.HTTP_201_CREATED)


class DocumentDetailApi(APIView):
    @extend_schema(responses={200: DocumentOutput})
    def get(self, request: Request, company_id: int, document_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        document = document_get_in_company(company=company, document_id=document_id)
        return Response(DocumentOutput(document).data)


class DocumentCompleteApi(APIView):
    """Finish a pre-signed upload: the object is checked (size, type by content) and hashed."""

    @extend_schema(request=None, responses={200: DocumentOutput})
    def post(self, request: AuthenticatedRequest, company_id: int, document_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        document = document_get_in_company(company=company, document_id=document_id)
        document = document_upload_complete(document=document, actor=request.user)
        return Response(DocumentOutput(document).data)


class DocumentFileApi(APIView):
    """The file itself, for the company's owner/dispatcher and platform admins (never public).

    Streamed from local storage, or a redirect to a short-lived signed URL on S3. The body is
    served with the type measured at upload: one of ACCEPTED_TYPES.
    """

    @extend_schema(
        responses={
            **{
                (200, content_type): OpenApiResponse(
                    response=OpenApiTypes.BINARY, description="the file (PDF, JPEG or PNG)"
                )
                for content_type in ACCEPTED_TYPES
            },
            302: OpenApiResponse(description="redirect to a short-lived signed S3 URL"),
        }
    )
    def get(self, request: Request, company_id: int, document_id: int) -> HttpResponseBase:
        document = document_get_for_download(
            user=request.user, company_id=company_id, document_id=document_id
        )
        return document_file_response(document, asynchronous=served_over_asgi(request))


class CompanyVerificationApi(APIView):
    """The company's verification status and exactly what is missing (machine-readable codes)."""

    @extend_schema(responses={200: VerificationOutput})
    def get(self, request: Request, company_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        missing = company_verification_missing(company=company)
        return Response(
            VerificationOutput(
                {"status": company.verification_status, "missing": [m.as_dict() for m in missing]}
            ).data
        )
