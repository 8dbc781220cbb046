"""Pricing API: a company's rules (GET/PUT, versions) and the public quote estimate."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.companies.selectors import MANAGER_ROLES, OWNER_ONLY, company_get_for_staff
from apps.core.pagination import paginate
from apps.core.parsers import LimitedJSONParser
from apps.core.serializers import parse
from apps.pricing import selectors, services
from apps.pricing.api.schema import pricing_rules_openapi_schema
from apps.pricing.api.serializers import (
    EstimateInput,
    EstimateOutput,
    PricingConfigOutput,
    PricingConfigSummaryOutput,
    move_spec_from,
)


class PricingConfigApi(APIView):
    """The company's current rules: owner and dispatcher read them, only the owner saves."""

    parser_classes = [LimitedJSONParser]  # a rules document is JSON; a form post is a 415

    @extend_schema(responses=PricingConfigOutput)
    def get(self, request: Request, company_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        config = selectors.pricing_config_get_latest(company=company)
        return Response(PricingConfigOutput(config).data)

    @extend_schema(
        request={"application/json": pricing_rules_openapi_schema()},
        responses=PricingConfigOutput,
        description=(
            "Save a new version of the rules document (docs/pricing.md). `currency` may be "
            "left out and must otherwise be the company's. Answers the stored version."
        ),
    )
    def put(self, request: AuthenticatedRequest, company_id: int) -> Response:
        company = company_get_for_staff(user=request.user, company_id=company_id, roles=OWNER_ONLY)
        config = services.pricing_config_save(
            company=company, document=request.data, actor=request.user
        )
        return Response(PricingConfigOutput(config).data)


class PricingConfigVersionListApi(APIView):
    """Every saved version of the company's rules, newest first (owner, dispatcher)."""

    @extend_schema(responses=PricingConfigSummaryOutput(many=True))
    def get(self, request: Request, company_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        versions = selectors.pricing_config_list(company=company)
        return paginate(request, versions, PricingConfigSummaryOutput)


class PricingConfigVersionDetailApi(APIView):
    """One saved version, rules included: what an old quote was computed with."""

    @extend_schema(responses=PricingConfigOutput)
    def get(self, request: Request, company_id: int, version: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        config = selectors.pricing_config_get_version(company=company, version=version)
        return Response(PricingConfigOutput(config).data)


class QuoteEstimateApi(APIView):
    """Anyone: one verified company's itemised price for a move request's body. Nothing is stored.

    A pending or suspended company is 404 to everyone but its own staff, who may estimate.
    """

    permission_classes = [AllowAny]
    parser_classes = [LimitedJSONParser]

    @extend_schema(
        request=EstimateInput,
        responses={
            200: EstimateOutput,
            400: OpenApiResponse(description="invalid: details nested by field"),
            404: OpenApiResponse(
                description="not_found: no such company, or not verified (except to its staff)"
            ),
            409: OpenApiResponse(description="pricing_not_configured (no usable rules yet)"),
        },
    )
    def post(self, request: Request) -> Response:
        data = parse(EstimateInput, request.data)
        company = selectors.company_get_for_quote(user=request.user, company_id=data["company"])
        estimate = services.quote_estimate(
            company=company,
            origin=data["origin"],
            destination=data["destination"],
            move=move_spec_from(data),
            window_start=data.get("window_start"),
        )
        return Response(EstimateOutput(estimate.to_dict()).data)
