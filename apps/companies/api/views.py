"""Companies API: public search and detail, registration, profile, trucks and service areas."""

from __future__ import annotations

import math

from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.companies import selectors, services
from apps.companies.api.serializers import (
    CompanyCreateInput,
    CompanyOutput,
    CompanySearchOutput,
    CompanyUpdateInput,
    ServiceAreaInput,
    ServiceAreaOutput,
    TruckInput,
    TruckOutput,
)
from apps.companies.selectors import MANAGER_ROLES, OWNER_ONLY, membership_require_role
from apps.core.errors import Invalid
from apps.core.geo import parse_lat_lng_param
from apps.core.pagination import WindowCountPagination, paginate
from apps.core.serializers import parse

MAX_SEARCH_RADIUS_KM = 1000.0

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "serves", str, description="`lat,lng`: one of the company's service areas covers it."
    ),
    OpenApiParameter(
        "near", str, description="`lat,lng`: order by distance from here to the base location."
    ),
    OpenApiParameter(
        "radius_km",
        float,
        description=(
            f"With `near`: base location within this many km (0 < r <= {MAX_SEARCH_RADIUS_KM:g})."
        ),
    ),
    OpenApiParameter(
        "ordering",
        str,
        enum=list(selectors.SEARCH_ORDERINGS),
        description=(
            "`distance` (the default: nearest first; by name without a point, and then "
            "`distance` needs `near` or `serves`) or `rating` (highest rating first, unrated "
            "companies last, then nearest first)."
        ),
    ),
]


def search_params(query: QueryDict) -> dict:
    """serves / near / radius_km / ordering of the search query string; a bad one is a 400
    naming it."""
    params: dict = {"serves": None, "near": None, "radius_km": None, "ordering": "distance"}
    for name in ("serves", "near"):
        if name in query:
            params[name] = parse_lat_lng_param(query.get(name, ""), name=name)
    if "radius_km" in query:
        if params["near"] is None:
            raise Invalid(details={"radius_km": ["radius_km needs near=<lat>,<lng>."]})
        try:
            radius_km = float(query.get("radius_km", ""))
        except ValueError as exc:
            raise Invalid(details={"radius_km": ["Expected a number of kilometres."]}) from exc
        if not (math.isfinite(radius_km) and 0 < radius_km <= MAX_SEARCH_RADIUS_KM):
            raise Invalid(
                details={
                    "radius_km": [
                        f"Must be greater than 0 and at most {MAX_SEARCH_RADIUS_KM:g} km."
                    ]
                }
            )
        params["radius_km"] = radius_km
    if "ordering" in query:
        ordering = query.get("ordering", "")
        if ordering not in selectors.SEARCH_ORDERINGS:
            choices = " or ".join(selectors.SEARCH_ORDERINGS)
            raise Invalid(details={"ordering": [f"Expected {choices}."]})
        if ordering == "distance" and params["near"] is None and params["serves"] is None:
            needs_point = "ordering=distance needs near=<lat>,<lng> or serves=<lat>,<lng>."
            raise Invalid(details={"ordering": [needs_point]})
        params["ordering"] = ordering
    return params


class CompanyListCreateApi(APIView):
    """Public search of verified companies (GET); a signed-in user registers a company (POST)."""

    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=CompanySearchOutput(many=True))
    def get(self, request: Request) -> Response:
        companies = selectors.company_search(**search_params(request.query_params))
        return paginate(
            request, companies, CompanySearchOutput, pagination_class=WindowCountPagination
        )

    @extend_schema(request=CompanyCreateInput, responses={201: CompanyOutput})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = parse(CompanyCreateInput, request.data)
        company = services.company_register(owner=request.user, **data)
        return Response(CompanyOutput(company).data, status=status.HTTP_201_CREATED)


class CompanyDetailApi(APIView):
    """A company: verified ones are public, others 404 except to their staff; owners PATCH it."""

    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(responses=CompanyOutput)
    def get(self, request: Request, company_id: int) -> Response:
        company = selectors.company_get_visible(user=request.user, company_id=company_id)
        return Response(CompanyOutput(company).data)

    @extend_schema(request=CompanyUpdateInput, responses=CompanyOutput)
    def patch(self, request: Request, company_id: int) -> Response:
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=OWNER_ONLY
        )
        data = parse(CompanyUpdateInput, request.data, partial=True)
        company = services.company_update(company=membership.company, data=dict(data))
        return Response(CompanyOutput(company).data)


class TruckListCreateApi(APIView):
    """The company's trucks (owner, dispatcher)."""

    @extend_schema(responses=TruckOutput(many=True))
    def get(self, request: Request, company_id: int) -> Response:
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        return paginate(request, selectors.truck_list(company=membership.company), TruckOutput)

    @extend_schema(request=TruckInput, responses={201: TruckOutput})
    def post(self, request: Request, company_id: int) -> Response:
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        data = parse(TruckInput, request.data)
        truck = services.truck_create(company=membership.company, **data)
        return Response(TruckOutput(truck).data, status=status.HTTP_201_CREATED)


class TruckDetailApi(APIView):
    """One truck of the company (owner, dispatcher); another company's truck id is 404."""

    def _truck(self, request: Request, company_id: int, truck_id: int):
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        return selectors.truck_get_in_company(company=membership.company, truck_id=truck_id)

    @extend_schema(responses=TruckOutput)
    def get(self, request: Request, company_id: int, truck_id: int) -> Response:
        return Response(TruckOutput(self._truck(request, company_id, truck_id)).data)

    @extend_schema(request=TruckInput(partial=True), responses=TruckOutput)
    def patch(self, request: Request, company_id: int, truck_id: int) -> Response:
        truck = self._truck(request, company_id, truck_id)
        data = parse(TruckInput, request.data, partial=True)
        return Response(TruckOutput(services.truck_update(truck=truck, data=dict(data))).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, company_id: int, truck_id: int) -> Response:
        services.truck_delete(truck=self._truck(request, company_id, truck_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ServiceAreaListCreateApi(APIView):
    """The company's service areas: create from GeoJSON or centre + radius_km."""

    @extend_schema(responses=ServiceAreaOutput(many=True))
    def get(self, request: Request, company_id: int) -> Response:
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        areas = selectors.service_area_list(company=membership.company)
        return paginate(request, areas, ServiceAreaOutput)

    @extend_schema(request=ServiceAreaInput, responses={201: ServiceAreaOutput})
    def post(self, request: Request, company_id: int) -> Response:
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        data = parse(ServiceAreaInput, request.data)
        area = services.service_area_create(company=membership.company, **data)
        return Response(ServiceAreaOutput(area).data, status=status.HTTP_201_CREATED)


class ServiceAreaDetailApi(APIView):
    """One service area of the company (owner, dispatcher)."""

    def _area(self, request: Request, company_id: int, service_area_id: int):
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        return selectors.service_area_get_in_company(
            company=membership.company, service_area_id=service_area_id
        )

    @extend_schema(responses=ServiceAreaOutput)
    def get(self, request: Request, company_id: int, service_area_id: int) -> Response:
        return Response(ServiceAreaOutput(self._area(request, company_id, service_area_id)).data)

    @extend_schema(request=ServiceAreaInput(partial=True), responses=ServiceAreaOutput)
    def patch(self, request: Request, company_id: int, service_area_id: int) -> Response:
        area = self._area(request, company_id, service_area_id)
        data = parse(ServiceAreaInput, request.data, partial=True)
        area = services.service_area_update(service_area=area, data=dict(data))
        return Response(ServiceAreaOutput(area).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, company_id: int, service_area_id: int) -> Response:
        services.service_area_delete(service_area=self._area(request, company_id, service_area_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
