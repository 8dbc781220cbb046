"""Routes of the pricing API under /api/v1/."""

from django.urls import path

from apps.pricing.api import views

company = "companies/<int:company_id>"

urlpatterns = [
    path(f"{company}/pricing/", views.PricingConfigApi.as_view(), name="company-pricing"),
    path(
        f"{company}/pricing/versions/",
        views.PricingConfigVersionListApi.as_view(),
        name="company-pricing-versions",
    ),
    path(
        f"{company}/pricing/versions/<int:version>/",
        views.PricingConfigVersionDetailApi.as_view(),
        name="company-pricing-version",
    ),
    path("quotes/estimate/", views.QuoteEstimateApi.as_view(), name="quote-estimate"),
]
