from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "painrehab.scheduling"
    label = "scheduling"
