"""Routes of the verification API under /api/v1/."""

urlpatterns: list = []
