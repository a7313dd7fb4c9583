"""URLs of the notes app; every view declares who may use it."""

from django.urls import URLPattern

app_name = "notes"

urlpatterns: list[URLPattern] = []
