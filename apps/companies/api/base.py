"""Small helpers shared by the companies API views: input parsing and paginated lists."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Count, QuerySet, Window
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import PageNumberPagination


class PaginatedApi(APIView):
    """An APIView whose GET lists are paginated: {count, next, previous, results}."""

    pagination_class = PageNumberPagination

    def paginated(
        self, queryset: QuerySet[Any], output_class: type[serializers.Serializer]
    ) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(output_class(page, many=True).data)


MAX_PAGE_NUMBER = 10**9


class WindowCountPaginator(DjangoPaginator):
    """A paginator that reads the total from `COUNT(*) OVER ()` on the page's own rows.

    The default paginator runs the query twice (COUNT, then the page). For the spatial search
    each run evaluates ST_Covers on every candidate area, so one query instead of two halves
    the database work. An empty page past the first falls back to a COUNT to tell "no such page"
    (404) from "no results".
    """

    object_list: QuerySet[Any]  # the search's queryset (Paginator accepts any sequence)

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

    def validate_page_number(self, number: Any) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        # The OFFSET is computed in SQL as a bigint: a page far past any real result is empty
        # (404) before it can overflow.
        if number > MAX_PAGE_NUMBER:
            raise EmptyPage(self.error_messages["no_results"])
        return number


class WindowCountPagination(PageNumberPagination):
    """The standard page shape, counted in the page query itself (see WindowCountPaginator)."""

    django_paginator_class = WindowCountPaginator
