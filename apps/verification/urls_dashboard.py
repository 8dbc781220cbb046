"""Dashboard pages of apps.verification (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.verification import views_documents, views_fleet

urlpatterns = [
    path("fleet/", views_fleet.fleet, name="fleet"),
    path("fleet/trucks/new/", views_fleet.truck_create, name="fleet-truck-create"),
    path("fleet/trucks/<int:truck_id>/", views_fleet.truck_edit, name="fleet-truck-edit"),
    path(
        "fleet/trucks/<int:truck_id>/retire/", views_fleet.truck_retire, name="fleet-truck-retire"
    ),
    path("fleet/drivers/new/", views_fleet.driver_add, name="fleet-driver-add"),
    path("fleet/drivers/<int:driver_id>/", views_fleet.driver_edit, name="fleet-driver-edit"),
    path(
        "fleet/drivers/<int:driver_id>/retire/",
        views_fleet.driver_retire,
        name="fleet-driver-retire",
    ),
]

urlpatterns += [
    path("documents/", views_documents.documents, name="documents"),
    path("documents/upload/", views_documents.document_upload_page, name="document-upload"),
    path("documents/<int:document_id>/file/", views_documents.document_file, name="document-file"),
]
