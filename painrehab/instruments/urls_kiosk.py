"""URLs of kiosk mode (views/kiosk.py); ``kiosk.KIOSK_VIEWS`` lists them too."""

from django.urls import URLPattern, path

from painrehab.instruments.views import kiosk

urlpatterns: list[URLPattern] = [
    path(
        "patients/<int:patient_id>/kiosk/",
        kiosk.kiosk_start,
        name="kiosk_start",
    ),
    path("kiosk/", kiosk.kiosk_home, name="kiosk"),
    path(
        "kiosk/questionnaires/<int:administration_id>/",
        kiosk.kiosk_fill,
        name="kiosk_fill",
    ),
    path(
        "kiosk/questionnaires/<int:administration_id>/save/",
        kiosk.kiosk_save,
        name="kiosk_save",
    ),
    path("kiosk/finish/", kiosk.kiosk_finish, name="kiosk_finish"),
    path("kiosk/ended/", kiosk.kiosk_ended, name="kiosk_ended"),
]
