"""URLs of the messaging app; every view declares who may use it."""

from django.urls import URLPattern

app_name = "messaging"

urlpatterns: list[URLPattern] = []
