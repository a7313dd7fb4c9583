"""Mounts each app under its namespace. Every view declares who may use it."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("painrehab.common.urls")),
    path("", include("painrehab.accounts.urls")),
    path("patients/", include("painrehab.patients.urls")),
    path("referrals/", include("painrehab.referrals.urls")),
    path("", include("painrehab.episodes.urls")),
    path("", include("painrehab.instruments.urls")),
    path("", include("painrehab.careplans.urls")),
    path("", include("painrehab.notes.urls")),
    path("", include("painrehab.messaging.urls")),
    path("", include("painrehab.scheduling.urls")),
    path("audit/", include("painrehab.audit.urls")),
    path("", include("painrehab.homeprogram.urls")),
    path("", include("painrehab.portal.urls_staff")),
    path("family/", include("painrehab.portal.urls")),
    path("", include("painrehab.outcomes.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "painrehab.common.views.bad_request"
handler403 = "painrehab.common.views.permission_denied"
handler404 = "painrehab.common.views.page_not_found"
handler500 = "painrehab.common.views.server_error"
