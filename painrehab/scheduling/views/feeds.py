"""Scheduling pages: feeds (see docs/scheduling.md)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
