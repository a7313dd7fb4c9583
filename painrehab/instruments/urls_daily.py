"""URLs of the daily check-in, body map and clinician measures (views/daily.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
