"""URLs of the daily check-in, body map and clinician measures (views/daily.py)."""

from django.urls import URLPattern, path

from painrehab.instruments.views import daily

urlpatterns: list[URLPattern] = [
    path("patients/<int:patient_id>/check-in/", daily.checkin, name="checkin"),
    path("patients/<int:patient_id>/body-map/", daily.body_map, name="body_map"),
    path(
        "patients/<int:patient_id>/clinician-measures/",
        daily.clinician_measures,
        name="clinician_measures",
    ),
]
