"""Dashboard pages of apps.bookings (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.bookings import views_driver, views_today

urlpatterns = [
    path("", views_today.home, name="home"),
    path("today/", views_today.today, name="today"),
    path("jobs/", views_driver.driver_job_list, name="driver-jobs"),
    path("jobs/<int:booking_id>/start/", views_driver.driver_job_start, name="driver-job-start"),
    path(
        "jobs/<int:booking_id>/complete/",
        views_driver.driver_job_complete,
        name="driver-job-complete",
    ),
]
