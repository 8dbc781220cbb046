"""Routes of the companies API under /api/v1/."""

urlpatterns: list = []
