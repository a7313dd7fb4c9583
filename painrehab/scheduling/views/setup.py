"""Scheduling pages: setup (see docs/scheduling.md)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
