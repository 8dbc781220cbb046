"""Top-level URLs: API v1, OpenAPI docs, admin, dashboards, operations endpoints."""

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core import views as core_views
from apps.tracking import views as tracking_views

if settings.ADMIN_REQUIRES_OTP:
    from django_otp.admin import OTPAdminSite

    admin.site.__class__ = OTPAdminSite

api_v1 = [
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.companies.api.urls")),
    path("", include("apps.verification.api.urls")),
    path("", include("apps.pricing.api.urls")),
    path("", include("apps.bookings.api.urls")),
    path("", include("apps.tracking.api.urls")),
    path("cargo/", include("apps.cargo.api.urls")),
]

urlpatterns = [
    path("health/", core_views.health, name="health"),
    path("ready/", core_views.ready, name="ready"),
    path("", include("django_prometheus.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's page runs an inline script: the one page served without our CSP.
    path(
        "api/docs/",
        csp_exempt()(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("api/v1/", include(api_v1)),
    # Anything else under /api/ answers 404 in the error envelope, whatever DEBUG says.
    re_path(r"^api/", core_views.api_not_found),
    path("admin/", admin.site.urls),
    path("dashboard/", include("apps.accounts.urls")),
    path("dashboard/", include("movehub.dashboard_urls")),
    # Invitation e-mails sent before the dashboard page existed pointed here.
    path(
        "invitations/accept/",
        RedirectView.as_view(pattern_name="dashboard:invitation-accept", query_string=True),
    ),
    path("t/<str:token>/", tracking_views.share_page, name="share-page"),
]

# Errors raised outside any view (an unknown Host, a dependency down in middleware) still answer
# in the envelope under /api/.
handler400 = "apps.core.views.bad_request"
handler500 = "apps.core.views.server_error"
