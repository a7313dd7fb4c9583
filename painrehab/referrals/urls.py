"""Referral pages: ids only in paths (no names, no MRNs)."""

from django.urls import path

from painrehab.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.triage, name="triage"),
    path("new/", views.intake, name="intake"),
    path("<int:episode_id>/", views.referral_detail, name="referral_detail"),
    path(
        "<int:episode_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("<int:episode_id>/triage/", views.triage_update, name="triage_update"),
    path("<int:episode_id>/schedule/", views.schedule, name="schedule"),
    path(
        "<int:episode_id>/evaluations/<str:discipline>/",
        views.evaluation,
        name="evaluation",
    ),
    path("<int:episode_id>/decision/", views.decision, name="decision"),
]
