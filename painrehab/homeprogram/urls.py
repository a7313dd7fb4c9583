"""URLs of the home exercise programme's staff pages (views.py)."""

from django.urls import URLPattern, path

from painrehab.homeprogram import views

app_name = "homeprogram"

urlpatterns: list[URLPattern] = [
    path(
        "patients/<int:patient_id>/home-exercises/",
        views.exercise_list,
        name="exercise_list",
    ),
    path(
        "patients/<int:patient_id>/home-exercises/<int:exercise_id>/",
        views.exercise_edit,
        name="exercise_edit",
    ),
    path(
        "patients/<int:patient_id>/home-exercises/<int:exercise_id>/stop/",
        views.exercise_stop,
        name="exercise_stop",
    ),
]
