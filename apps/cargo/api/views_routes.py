"""Route search API: `GET /api/v1/cargo/routes/` (public, cached, paginated)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cargo.api.serializers_routes import ItineraryOutput, RoutesQueryInput
from apps.cargo.route_cache import routes_cached
from apps.cargo.search import hubs_get_for_search, routes_search
from apps.core.pagination import PageNumberPagination
from apps.core.serializers import parse

ROUTE_PARAMETERS = [
    OpenApiParameter("origin", str, required=True, description="Origin hub code (BER)."),
    OpenApiParameter("destination", str, required=True, description="Destination hub code."),
    OpenApiParameter(
        "date",
        str,
        required=True,
        description="YYYY-MM-DD: the first leg's local departure date at the origin hub.",
    ),
    OpenApiParameter("volume_m3", str, required=True, description="In (0, 200], 3 decimals."),
    OpenApiParameter("weight_kg", str, required=True, description="In (0, 40000], 3 decimals."),
]


class RouteSearchApi(APIView):
    """Direct and one-stop itineraries with room for the goods, earliest arrival first.

    At most apps.cargo.search.MAX_RESULTS itineraries, paginated like every list.
    """

    permission_classes = [AllowAny]

    @extend_schema(parameters=ROUTE_PARAMETERS, responses=ItineraryOutput(many=True))
    def get(self, request: Request) -> Response:
        query = parse(RoutesQueryInput, request.query_params)
        origin, destination = hubs_get_for_search(
            origin_code=query["origin"], destination_code=query["destination"]
        )
        search: dict[str, Any] = {
            "origin": origin,
            "destination": destination,
            "date": query["date"],
            "volume_m3": query["volume_m3"],
            "weight_kg": query["weight_kg"],
        }

        def compute() -> list[dict[str, Any]]:
            itineraries = routes_search(**search)
            context = {"volume_m3": query["volume_m3"]}
            return list(ItineraryOutput(itineraries, many=True, context=context).data)

        results = routes_cached(**search, compute=compute)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(results, request, view=self)  # a list pages too
        return paginator.get_paginated_response(page)
