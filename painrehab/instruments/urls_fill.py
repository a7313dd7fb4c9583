"""URLs of questionnaire filling and results (see views/fill.py, views/results.py)."""

from django.urls import URLPattern, path

from painrehab.instruments.views import fill, results

urlpatterns: list[URLPattern] = [
    path("patients/<int:patient_id>/measures/", results.measures, name="measures"),
    path("patients/<int:patient_id>/measures/start/", fill.start, name="start"),
    path("questionnaires/<int:administration_id>/", fill.fill, name="fill"),
    path("questionnaires/<int:administration_id>/save/", fill.save, name="save"),
    path(
        "questionnaires/<int:administration_id>/correct/",
        fill.correct,
        name="correct",
    ),
    path("alerts/", results.alerts, name="alerts"),
    path(
        "alerts/<int:score_id>/acknowledge/",
        results.alert_acknowledge,
        name="alert_acknowledge",
    ),
]
