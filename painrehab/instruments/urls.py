"""Instrument pages; each part keeps its own URL list."""

from painrehab.instruments import urls_daily, urls_fill

app_name = "instruments"

urlpatterns = [*urls_fill.urlpatterns, *urls_daily.urlpatterns]
