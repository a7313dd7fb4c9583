"""Instrument pages; each part keeps its own URL list."""

from painrehab.instruments import urls_daily, urls_fill, urls_kiosk

app_name = "instruments"

urlpatterns = [
    *urls_fill.urlpatterns,
    *urls_daily.urlpatterns,
    *urls_kiosk.urlpatterns,
]
