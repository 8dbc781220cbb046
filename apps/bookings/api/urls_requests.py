"""Move requests, quotes and accepting a quote."""

urlpatterns: list = []
