"""URLs of the messaging app; every view declares who may use it."""

from django.urls import URLPattern, path

from painrehab.messaging import views

app_name = "messaging"

urlpatterns: list[URLPattern] = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:thread_id>/", views.thread_detail, name="thread"),
    path(
        "patients/<int:patient_id>/messages/",
        views.patient_threads,
        name="patient_threads",
    ),
    path(
        "patients/<int:patient_id>/messages/new/",
        views.thread_new,
        name="thread_new",
    ),
]
