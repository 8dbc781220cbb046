"""The one way to paginate an API list: `paginate(request, queryset, serializer_class)`.

Every list answers {"count", "next", "previous", "results": [...]}, `?page=` from 1 and
`?page_size=` up to 100 (20 by default). A page past the end is a 404 `not_found`.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Count, QuerySet, Window
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination as _DrfPageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

# The OFFSET is computed in SQL as a bigint: a page far past any real result is refused (404)
# before it can overflow.
MAX_PAGE_NUMBER = 10**9


class BoundedPaginator(DjangoPaginator):
    """Django's paginator, refusing page numbers past MAX_PAGE_NUMBER before any query."""

    def validate_page_number(self, number: Any) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > MAX_PAGE_NUMBER:
            raise EmptyPage(self.error_messages["no_results"])
        return number


class WindowCountPaginator(BoundedPaginator):
    """A paginator that reads the total from `COUNT(*) OVER ()` on the page's own rows.

    The default paginator runs the query twice (COUNT, then the page). For an expensive query
    (the spatial company search evaluates ST_Covers on every candidate area) one query instead
    of two halves the database work. An empty page past the first falls back to a COUNT to tell
    "no such page" (404) from "no results".
    """

    object_list: QuerySet[Any]  # a queryset here (Paginator accepts any sequence)

    def page(self, number: Any):
        number = self.validate_page_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(window_total=Window(Count("*")))[
                bottom : bottom + self.per_page
            ]
        )
        if rows:
            self.__dict__["count"] = rows[0].window_total
        elif number == 1:
            self.__dict__["count"] = 0
        elif number > self.num_pages:  # COUNT fallback, only on an empty page past the first
            raise EmptyPage(self.error_messages["no_results"])
        return Page(rows, number, self)


class PageNumberPagination(_DrfPageNumberPagination):
    """DRF's page-number pagination with the API's page sizes (the DEFAULT_PAGINATION_CLASS)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = BoundedPaginator


class WindowCountPagination(PageNumberPagination):
    """The standard page shape, counted in the page query itself (see WindowCountPaginator)."""

    django_paginator_class = WindowCountPaginator


def paginate(
    request: Request,
    queryset: QuerySet[Any],
    serializer_class: type[serializers.Serializer],
    *,
    pagination_class: type[PageNumberPagination] = PageNumberPagination,
    context: dict[str, Any] | None = None,
) -> Response:
    """One page of `queryset` rendered with `serializer_class` (given `context`, if any), in
    the list shape above."""
    paginator = pagination_class()
    page = paginator.paginate_queryset(queryset, request)
    data = serializer_class(page, many=True, context=context or {}).data
    return paginator.get_paginated_response(data)
