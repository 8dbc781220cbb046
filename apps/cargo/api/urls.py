"""Routes of the cargo API under /api/v1/cargo/."""

from django.urls import path

from apps.cargo.api import views_routes, views_shipments, views_trips

urlpatterns: list = [
    path("routes/", views_routes.RouteSearchApi.as_view(), name="cargo-routes"),
    path("hubs/", views_trips.HubListApi.as_view(), name="cargo-hubs"),
    path("trips/", views_trips.TripListCreateApi.as_view(), name="cargo-trips"),
    path("trips/<int:trip_id>/", views_trips.TripDetailApi.as_view(), name="cargo-trip"),
    path(
        "trips/<int:trip_id>/depart/", views_trips.TripDepartApi.as_view(), name="cargo-trip-depart"
    ),
    path(
        "trips/<int:trip_id>/arrive/", views_trips.TripArriveApi.as_view(), name="cargo-trip-arrive"
    ),
    path(
        "trips/<int:trip_id>/cancel/", views_trips.TripCancelApi.as_view(), name="cargo-trip-cancel"
    ),
    path(
        "trips/<int:trip_id>/shipments/",
        views_trips.TripShipmentsApi.as_view(),
        name="cargo-trip-shipments",
    ),
    path("shipments/", views_shipments.ShipmentListCreateApi.as_view(), name="cargo-shipments"),
    path(
        "shipments/<str:reference>/",
        views_shipments.ShipmentDetailApi.as_view(),
        name="cargo-shipment",
    ),
    path(
        "shipments/<str:reference>/cancel/",
        views_shipments.ShipmentCancelApi.as_view(),
        name="cargo-shipment-cancel",
    ),
    path(
        "shipments/<str:reference>/deliver/",
        views_shipments.ShipmentDeliverApi.as_view(),
        name="cargo-shipment-deliver",
    ),
]
