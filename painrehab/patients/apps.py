from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "painrehab.patients"
    label = "patients"
