"""Move requests, quotes and accepting a quote."""

from django.urls import path

from apps.bookings.api import views_requests as views

urlpatterns = [
    path("move-requests/", views.MoveRequestListCreateApi.as_view(), name="move-request-list"),
    path(
        "move-requests/<int:move_request_id>/",
        views.MoveRequestDetailApi.as_view(),
        name="move-request-detail",
    ),
    path(
        "move-requests/<int:move_request_id>/quotes/",
        views.MoveRequestQuoteListApi.as_view(),
        name="move-request-quotes",
    ),
    path("quotes/<int:quote_id>/accept/", views.QuoteAcceptApi.as_view(), name="quote-accept"),
]
