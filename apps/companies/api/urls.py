"""Routes of the companies API under /api/v1/."""

from django.urls import path

from apps.companies.api import views, views_staff

company = "companies/<int:company_id>"

urlpatterns = [
    path("companies/", views.CompanyListCreateApi.as_view(), name="companies"),
    path(f"{company}/", views.CompanyDetailApi.as_view(), name="company"),
    path(f"{company}/trucks/", views.TruckListCreateApi.as_view(), name="company-trucks"),
    path(
        f"{company}/trucks/<int:truck_id>/",
        views.TruckDetailApi.as_view(),
        name="company-truck",
    ),
    path(
        f"{company}/service-areas/",
        views.ServiceAreaListCreateApi.as_view(),
        name="company-service-areas",
    ),
    path(
        f"{company}/service-areas/<int:service_area_id>/",
        views.ServiceAreaDetailApi.as_view(),
        name="company-service-area",
    ),
    path(f"{company}/members/", views_staff.MemberListCreateApi.as_view(), name="company-members"),
    path(
        f"{company}/members/<int:membership_id>/",
        views_staff.MemberDetailApi.as_view(),
        name="company-member",
    ),
    path(f"{company}/drivers/", views_staff.DriverListCreateApi.as_view(), name="company-drivers"),
    path(f"{company}/drivers/me/", views_staff.DriverMeApi.as_view(), name="company-driver-me"),
    path(
        f"{company}/drivers/<int:driver_id>/",
        views_staff.DriverDetailApi.as_view(),
        name="company-driver",
    ),
    path(
        "invitations/accept/",
        views_staff.InvitationAcceptApi.as_view(),
        name="invitation-accept",
    ),
]
