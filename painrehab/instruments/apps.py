from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "painrehab.instruments"
    label = "instruments"
