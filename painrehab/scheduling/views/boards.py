"""Scheduling pages: boards (see docs/scheduling.md)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
