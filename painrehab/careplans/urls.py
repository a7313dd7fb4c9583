"""URLs of the careplans app; every view declares who may use it."""

from django.urls import URLPattern

app_name = "careplans"

urlpatterns: list[URLPattern] = []
