"""Page-number pagination of docs/api.md: {count, next, previous, results}, page_size up to 100."""

from rest_framework.pagination import PageNumberPagination as _DrfPageNumberPagination


class PageNumberPagination(_DrfPageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
