"""The staff dashboards under /dashboard/: one `dashboard` URL namespace, pages from each app.

Each app keeps its pages' routes in `apps/<app>/urls_dashboard.py` (a plain `urlpatterns`);
this module joins them so every page is `dashboard:<name>` wherever it lives. Sign-in and
sign-out stay in the `accounts` namespace (they work without a company).
"""

from apps.bookings import urls_dashboard as bookings_pages
from apps.cargo import urls_dashboard as cargo_pages
from apps.companies import urls_dashboard as companies_pages
from apps.pricing import urls_dashboard as pricing_pages
from apps.tracking import urls_dashboard as tracking_pages
from apps.verification import urls_dashboard as verification_pages

app_name = "dashboard"

urlpatterns = [
    *companies_pages.urlpatterns,
    *bookings_pages.urlpatterns,
    *tracking_pages.urlpatterns,
    *pricing_pages.urlpatterns,
    *cargo_pages.urlpatterns,
    *verification_pages.urlpatterns,
]
