from django.urls import path

from painrehab.episodes.views import admission, aftercare, census, journey

app_name = "episodes"

urlpatterns = [
    path("census/", census.census, name="census"),
    path("waitlist/", census.waitlist, name="waitlist"),
    path(
        "episodes/<int:episode_id>/waitlist/",
        admission.waitlist_add,
        name="waitlist_add",
    ),
    path("episodes/<int:episode_id>/admit/", admission.admit, name="admit"),
    path("episodes/<int:episode_id>/extend/", admission.extend, name="extend"),
    path("episodes/<int:episode_id>/discharge/", aftercare.discharge, name="discharge"),
    path("episodes/<int:episode_id>/step-down/", aftercare.step_down, name="step_down"),
    path(
        "episodes/<int:episode_id>/step-down/completed/",
        aftercare.step_down_complete,
        name="step_down_complete",
    ),
    path("episodes/<int:episode_id>/close/", aftercare.close, name="close"),
    path("follow-ups/", aftercare.follow_ups, name="follow_ups"),
    path(
        "follow-ups/<int:follow_up_id>/",
        aftercare.follow_up_record,
        name="follow_up_record",
    ),
    path("patients/<int:patient_id>/journey/", journey.journey, name="journey"),
]
