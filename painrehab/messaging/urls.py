"""URLs of the messaging app; every view declares who may use it."""

from django.urls import URLPattern, path

from painrehab.messaging import views, views_family

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
# The team's side of conversations with families (views_family.py).
urlpatterns += [
    path("family-messages/", views_family.inbox, name="family_inbox"),
    path(
        "patients/<int:patient_id>/family-messages/",
        views_family.patient_threads,
        name="family_threads",
    ),
    path(
        "family-messages/<int:thread_id>/",
        views_family.thread_detail,
        name="family_thread",
    ),
]
