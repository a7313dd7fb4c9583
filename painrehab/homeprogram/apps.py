from django.apps import AppConfig


class HomeProgramConfig(AppConfig):
    name = "painrehab.homeprogram"
    label = "homeprogram"
