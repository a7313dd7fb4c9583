"""URLs of questionnaire filling and results (see views/fill.py, views/results.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
