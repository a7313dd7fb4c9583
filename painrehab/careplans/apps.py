from django.apps import AppConfig


class CarePlansConfig(AppConfig):
    name = "painrehab.careplans"
    label = "careplans"
