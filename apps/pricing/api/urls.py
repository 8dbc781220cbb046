"""Routes of the pricing API under /api/v1/."""

urlpatterns: list = []
