"""URLs of the scheduling app; every view declares who may use it.

Each views module lists its own patterns, so areas are edited independently.
"""

from django.urls import URLPattern

from painrehab.scheduling.views import boards, changes, feeds, runs, setup

app_name = "scheduling"

urlpatterns: list[URLPattern] = [
    *boards.urlpatterns,
    *runs.urlpatterns,
    *changes.urlpatterns,
    *feeds.urlpatterns,
    *setup.urlpatterns,
]
